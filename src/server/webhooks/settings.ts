// The operator's settings of webhooks (docs/NOTIFICATIONS.md "Targets"), apart from the sender so the service can
// hold them without importing it.

export interface WebhookSettings {
  /** Send to private, loopback and link-local addresses too (a receiver on this machine or network). */
  allowPrivate: boolean;
  /** How long a receiver has to answer (Standard Webhooks suggests 15 to 30 s). */
  timeoutMs: number;
}

export const defaultWebhookSettings: WebhookSettings = { allowPrivate: false, timeoutMs: 15_000 };
