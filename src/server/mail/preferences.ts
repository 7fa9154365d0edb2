// What each member receives by e-mail, per kind of notice (docs/NOTIFICATIONS.md "Preferences"): immediately, in
// a daily digest, or never. A member who has not chosen has the defaults: what is about them alone or waits on
// them alone (a recall of their mandate, an approval, a trustee's duty, their motion's lapse, the expiry of a
// petition or request they made or backed) comes at once, the
// rest in the digest.
import type { NoticeKind } from '../../core/index.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { memberDeliveries, setDeliveries } from '../../store/mail-repository.ts';

export const deliveries = ['immediately', 'digest', 'never'] as const;
export type Delivery = (typeof deliveries)[number];

export type MailKind = NoticeKind;

type Q = Kysely<Database>;

export const defaultDeliveries: Readonly<Record<MailKind, Delivery>> = {
  recall_petition: 'immediately',
  recall_motion: 'immediately',
  approval: 'immediately',
  trustee_keys: 'immediately',
  trustee_decryption: 'immediately',
  motion_lapsed: 'immediately',
  petition_expired: 'immediately',
  request_expired: 'immediately',
  vote_open: 'digest',
  motion_debate: 'digest',
  petition: 'digest',
  sealed_released: 'digest',
  vote_result: 'digest',
};

export const mailKinds = Object.keys(defaultDeliveries) as MailKind[];

export function isDelivery(x: string | undefined): x is Delivery {
  return (deliveries as readonly string[]).includes(x ?? '');
}

/** The member's delivery for every kind (their choice, else the default). */
export async function preferencesOf(
  q: Q,
  orgId: string,
  memberId: string,
): Promise<Record<MailKind, Delivery>> {
  const chosen = await memberDeliveries(q, orgId, memberId);
  const out = { ...defaultDeliveries };
  for (const k of mailKinds) {
    const c = chosen.get(k);
    if (isDelivery(c)) out[k] = c;
  }
  return out;
}

export async function choosePreferences(
  q: Q,
  orgId: string,
  memberId: string,
  choices: Partial<Record<MailKind, Delivery>>,
): Promise<void> {
  await setDeliveries(q, orgId, memberId, new Map(Object.entries(choices)));
}
