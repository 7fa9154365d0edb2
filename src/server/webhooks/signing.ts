// Standard Webhooks 1.0 symmetric signatures ("Signature scheme", "Webhook headers"): the secret is 32 random bytes
// shown as `whsec_` + base64; a delivery is signed as HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}`
// and the signature sent as `v1,` + base64. Several signatures, space-delimited, while a rotated secret still signs.
import { createHmac, randomBytes } from 'node:crypto';

const prefix = 'whsec_';

/** A new signing secret: 32 random bytes (the scheme asks for 24 to 64), as `whsec_…`. */
export function newWebhookSecret(): string {
  return `${prefix}${randomBytes(32).toString('base64')}`;
}

/** The HMAC key of a `whsec_…` secret (the prefix is optional, as in the scheme's libraries). */
function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith(prefix) ? secret.slice(prefix.length) : secret, 'base64');
}

/** One `v1,…` signature of `body` as sent at `timestamp` (Unix seconds). */
export function webhookSignature(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The three headers of a delivery, signed with each of `secrets` (the current one first). */
export function webhookHeaders(
  secrets: readonly string[],
  id: string,
  timestamp: number,
  body: string,
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((s) => webhookSignature(s, id, timestamp, body)).join(' '),
  };
}
