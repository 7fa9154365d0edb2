// Webhooks as the organisation's state (docs/NOTIFICATIONS.md "Webhooks"): the endpoints its councils registered
// by privileged acts, and the event types an endpoint may ask for. The signing secrets are not here: they never
// enter the log (the server keeps them, keyed by the request that made each one).

/** The event types, each the act of the log it is made from (Standard Webhooks: full-stop delimited). */
export const webhookEventActs = {
  'motion.moved': 'motion_moved',
  'motion.debate_opened': 'debate_opened',
  'motion.withdrawn': 'motion_withdrawn',
  'motion.lapsed': 'motion_lapsed',
  'motion.decided': 'motion_decided',
  'vote.opened': 'vote_opened',
  'vote.closed': 'vote_closed',
  'vote.failed': 'vote_failed',
  'vote.decryption_due': 'decryption_due',
  'petition.opened': 'petition_opened',
  'petition.succeeded': 'petition_succeeded',
  'petition.expired': 'petition_expired',
  'mandate.started': 'mandate_started',
  'mandate.ended': 'mandate_ended',
  'member.admitted': 'member_admitted',
  'privileged_act.requested': 'privileged_act_requested',
  'privileged_act.done': 'privileged_act_done',
  'privileged_act.expired': 'privileged_act_expired',
} as const;

export type WebhookEventType = keyof typeof webhookEventActs;

export const webhookEventTypes = Object.keys(webhookEventActs) as WebhookEventType[];

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: WebhookEventType[];
  /** The council whose events (its own and those of the councils below it) it receives; null: the whole organisation. */
  councilId: string | null;
  /** The request that registered it. */
  requestId: string;
  registeredAt: string;
  /** The request whose secret signs its deliveries now (the registration, or the latest rotation). */
  secretRequestId: string;
  /** After a rotation: the secret signing beside the new one for a day, so the receiver can change over. */
  previousSecretRequestId: string | null;
  rotatedAt: string | null;
  removedAt: string | null;
}
