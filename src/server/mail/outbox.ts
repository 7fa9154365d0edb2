// Queueing one message for the sender (docs/NOTIFICATIONS.md "Sending other messages"): what invitations and
// password-reset links use. Call it with the transaction of the act that causes the message (a SideWrites
// `write`), so the act and its message commit together or not at all; the mailer sends it within a second or so,
// with retries and backoff, under a Message-ID made from its id.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { insertMail } from '../../store/mail-repository.ts';
import type { MailSettings } from './mailer.ts';
import { messageIdFor } from './mailer.ts';
import { escapeHtml } from './messages.ts';

export interface Message {
  orgId: string;
  /** The member it is for, when the recipient is one. */
  memberId?: string | null;
  /** What it is, e.g. "invitation" or "password_reset" (kept with it; it names no preference). */
  kind: string;
  to: string;
  subject: string;
  /** Plain text; the HTML part is made from it (paragraphs; URLs become links) unless `html` is given. */
  text: string;
  html?: string;
  /** Stable id: queueing the same id again does nothing (default: a fresh one). */
  id?: string;
}

/**
 * Queues `message` in `q` (pass the act's transaction). Returns false, and queues nothing, when e-mail is off
 * (no relay configured): the caller then shows the link instead.
 */
export async function queueMessage(
  mail: MailSettings | null,
  q: Kysely<Database> | Transaction<Database>,
  message: Message,
  now: string,
): Promise<boolean> {
  if (!mail) return false;
  const id = message.id ?? `${message.kind}:${randomUUID()}`;
  await insertMail(
    q,
    [
      {
        id,
        orgId: message.orgId,
        memberId: message.memberId ?? null,
        kind: message.kind,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html ?? htmlOf(message.text),
        unsubscribeUrl: null,
        messageId: messageIdFor(id, mail.publicUrl),
      },
    ],
    now,
  );
  return true;
}

function htmlOf(text: string): string {
  const paragraphs = text.split(/\n{2,}/).map((p) =>
    escapeHtml(p)
      .replace(/\n/g, '<br>')
      .replace(/https?:\/\/[^\s<]+/g, (u) => `<a href="${u}">${u}</a>`),
  );
  return `<!doctype html><html><body>${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}</body></html>`;
}
