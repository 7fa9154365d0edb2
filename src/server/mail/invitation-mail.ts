// The invitation e-mail (docs/NOTIFICATIONS.md "Invitations by e-mail"): the link, who invites whom to which council,
// and how long it lasts, in the inviter's language (the invited person has none yet), plain text and HTML.
import type { Translator } from '../../i18n/index.ts';
import type { Message } from './outbox.ts';

export interface InvitationWords {
  to: string;
  name: string;
  inviter: string;
  council: string;
  org: string;
  days: number;
  link: string;
}

export function invitationMessage(
  tr: Translator,
  orgId: string,
  invitationId: string,
  w: InvitationWords,
): Omit<Message, 'orgId'> {
  return {
    // One message per invitation, whatever happens to the request that made it.
    id: `invitation:${orgId}:${invitationId}`,
    kind: 'invitation',
    to: w.to,
    subject: tr.t('mailInviteSubject', { inviter: w.inviter, org: w.org }),
    text: tr.t('mailInviteText', { ...w }),
  };
}
