// The background half of webhooks (docs/NOTIFICATIONS.md "Deliveries"). Deliveries are written in the transaction of
// the entries that make their events (src/store/ledger.ts); here, after the commit, each due one is claimed (its
// attempt counted and its next attempt scheduled before the request is made), POSTed signed to its endpoint, and
// its outcome written: delivered, waiting for its next attempt, or given up after the last one. A crash loses
// nothing (the delivery is durable and due again at its next attempt); the one repeat is a delivery the receiver
// took just before the crash, sent again with the same webhook-id, which is what receivers deduplicate on.
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { WebhookEndpoint } from '../../core/index.ts';
import {
  claimWebhookDelivery,
  dropWebhookDelivery,
  dueWebhookDeliveries,
  recordWebhookAttempt,
  setWebhookStatus,
  webhookSecrets,
  webhookStatus,
  type WebhookDelivery,
} from '../../store/webhook-repository.ts';
import { every } from '../every.ts';
import type { CouncilsService } from '../service.ts';
import type { WebhookSettings } from './settings.ts';
import { webhookHeaders } from './signing.ts';
import { checkedLookup, hostOf, isPublicAddress } from './target.ts';

/** Seconds before attempt n + 1 (Standard Webhooks' example schedule): 5 s, 5 min, 30 min, 2 h, … 24 h. */
export const retryDelaysSeconds = [5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000, 86_400] as const;
/** Attempts before a delivery is given up: the first and one per delay, over about 75 hours. */
export const maxAttempts = retryDelaysSeconds.length + 1;
/** How long a rotated-out secret still signs beside the new one. */
export const rotationOverlapMs = 24 * 3600 * 1000;

/** How long past its schedule a receiver's Retry-After may put an attempt off: an hour (or the schedule's delay). */
export const retryAfterCapSeconds = 3600;
/** How long a claim holds a delivery beyond the exchange's own deadline (see claimWebhookDelivery). */
const claimMarginMs = 5_000;

/**
 * When attempt `attempt` + 1 is due: the schedule's delay plus up to 10% of it at random (jitter), or later if the
 * receiver asked with Retry-After — never earlier than the schedule, and never more than an hour later (or the
 * schedule's own delay, if longer), so a receiver cannot hold a delivery for days or make it hammer.
 */
export function retryAt(nowMs: number, attempt: number, retryAfter: number | null = null): string {
  const delay = retryDelaysSeconds[Math.min(attempt, retryDelaysSeconds.length) - 1] ?? 86_400;
  const scheduled = delay * 1000 * (1 + Math.random() * 0.1);
  const cap = Math.max(scheduled, retryAfterCapSeconds * 1000);
  const asked = retryAfter === null ? 0 : Math.min(retryAfter * 1000, cap);
  return new Date(nowMs + Math.max(scheduled, asked)).toISOString();
}

/**
 * The seconds a Retry-After header asks to wait (RFC 9110 §10.2.3: delay-seconds, or an HTTP-date), or null if
 * it says nothing usable. A date in the past is 0.
 */
export function retryAfterSeconds(value: string | undefined, nowMs: number): number | null {
  const v = value?.trim();
  if (!v) return null;
  if (/^\d+$/.test(v)) return Number(v);
  // HTTP-date (RFC 9110 §5.6.7): IMF-fixdate, or the obsolete RFC 850 and asctime forms, all in GMT (asctime's
  // does not say so, and Date.parse would read it as local time)
  if (!/^[A-Za-z]{3}.* \d{2}:\d{2}:\d{2}/.test(v)) return null;
  const at = Date.parse(/GMT$/.test(v) ? v : `${v} GMT`);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

const agents = new Map<string, http.Agent>();

function agentFor(protocol: string, allowPrivate: boolean): http.Agent {
  const key = `${protocol}${allowPrivate}`;
  let a = agents.get(key);
  if (!a) {
    const options = { keepAlive: true, maxSockets: 16, lookup: checkedLookup(allowPrivate) };
    a = protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
    agents.set(key, a);
  }
  return a;
}

export interface PostOutcome {
  status: number | null;
  error: string | null;
  durationMs: number;
  /** A 429 or 503 answer's Retry-After header, as sent. */
  retryAfter?: string;
}

/** POSTs `body` to `href`; never follows a redirect (a 3xx is a failure, as Standard Webhooks says). */
export function postWebhook(
  href: string,
  headers: Record<string, string>,
  body: string,
  settings: WebhookSettings,
  stopping?: AbortSignal,
): Promise<PostOutcome> {
  const started = performance.now();
  const done = (status: number | null, error: string | null, retryAfter?: string): PostOutcome => ({
    status,
    error,
    durationMs: Math.round(performance.now() - started),
    ...(retryAfter !== undefined ? { retryAfter } : {}),
  });
  const url = new URL(href);
  const host = hostOf(url);
  if (!settings.allowPrivate && isIP(host) && !isPublicAddress(host))
    return Promise.resolve(done(null, `${host} is a private, loopback or reserved address`));
  return new Promise((settle) => {
    // The socket's timeout ends a silence; this deadline ends the whole exchange, so a receiver that trickles a byte
    // at a time cannot hold this round (and with it every other endpoint's deliveries) for ever.
    const deadline = setTimeout(() => {
      resolve(done(null, `no complete answer within ${settings.timeoutMs} ms`));
      req.destroy();
    }, settings.timeoutMs);
    const resolve = (o: PostOutcome) => {
      clearTimeout(deadline);
      stopping?.removeEventListener('abort', stop);
      settle(o);
    };
    // the server is stopping: the exchange ends now, unanswered (the delivery is due again at the next start)
    const stop = () => {
      resolve(done(null, stoppedError));
      req.destroy();
    };
    const req = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      agent: agentFor(url.protocol, settings.allowPrivate),
      timeout: settings.timeoutMs,
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'Councils-Webhooks/1',
        ...headers,
      },
    });
    req.on('response', (res) => {
      let excerpt = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (excerpt.length < 200) excerpt += chunk.slice(0, 200 - excerpt.length);
      });
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        // RFC 9110 §10.2.3: Retry-After with 503; RFC 6585 §4: with 429 (Too Many Requests)
        const after = status === 429 || status === 503 ? res.headers['retry-after'] : undefined;
        resolve(
          done(status, status >= 200 && status < 300 ? null : `HTTP ${status}: ${excerpt}`.trim(), after),
        );
      });
      res.on('error', (e) => resolve(done(status(res), e.message)));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${settings.timeoutMs} ms`)));
    req.on('error', (e) => resolve(done(null, e.message)));
    if (stopping?.aborted) stop();
    else stopping?.addEventListener('abort', stop, { once: true });
    req.end(body);
  });
}

/** The error of an attempt cut short because the server was stopping. */
const stoppedError = 'the server stopped before an answer came';

const status = (res: http.IncomingMessage) => res.statusCode ?? null;

/** The secrets that sign an endpoint's deliveries now: its current one, and the one it replaced for a day. */
export async function signingSecrets(
  service: CouncilsService,
  orgId: string,
  endpoint: WebhookEndpoint,
): Promise<string[]> {
  const overlap =
    endpoint.previousSecretRequestId !== null &&
    endpoint.rotatedAt !== null &&
    Date.parse(endpoint.rotatedAt) + rotationOverlapMs > service.clock.now().getTime();
  const ids = [endpoint.secretRequestId, ...(overlap ? [endpoint.previousSecretRequestId!] : [])];
  const found = await webhookSecrets(service.db.kysely, orgId, ids);
  return ids.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
}

export interface AttemptResult extends PostOutcome {
  delivered: boolean;
}

/** An attempt to make: the sender's numbered `attempt`, or a member's replay (attempt 0, `replayedBy`). */
export interface Attempt {
  d: WebhookDelivery;
  attempt: number;
  replayedBy: string | null;
}

/** Where a delivery goes and the secrets that sign it now; null when its endpoint was removed. */
async function targetOf(
  service: CouncilsService,
  d: WebhookDelivery,
): Promise<{ url: string; secrets: string[] } | null> {
  const state = await service.ledger(d.org_id).current();
  const endpoint = state.power.webhooks.get(d.endpoint_id);
  if (!endpoint || endpoint.removedAt !== null) return null;
  return { url: endpoint.url, secrets: await signingSecrets(service, d.org_id, endpoint) };
}

/**
 * Makes the attempts at once (each endpoint's target and secrets read once) and writes their outcomes in one
 * transaction: a success marks the endpoint healthy; a 410 Gone disables it; a delivery given up by an endpoint
 * that has had no success since the delivery was made disables it too (it has failed for days). A delivery whose
 * endpoint was removed is dropped unsent. Returns each attempt's result (null: dropped).
 */
export async function makeAttempts(
  service: CouncilsService,
  attempts: readonly Attempt[],
  stopping?: AbortSignal,
): Promise<(AttemptResult | null)[]> {
  const targets = new Map<string, ReturnType<typeof targetOf>>();
  const made = await Promise.all(
    attempts.map(async (a) => {
      const key = `${a.d.org_id}\n${a.d.endpoint_id}`;
      if (!targets.has(key)) targets.set(key, targetOf(service, a.d));
      const target = await targets.get(key)!;
      if (!target) return null;
      const startedAt = service.now();
      // webhook-timestamp is the attempt's wall-clock time: what the receiver compares with its own clock.
      const headers = webhookHeaders(target.secrets, a.d.id, Math.floor(Date.now() / 1000), a.d.body);
      const out = await postWebhook(target.url, headers, a.d.body, service.webhooks, stopping);
      return { startedAt, ...out, delivered: out.status !== null && out.status >= 200 && out.status < 300 };
    }),
  );
  const now = service.now();
  await service.db.kysely.transaction().execute(async (trx) => {
    for (const [i, a] of attempts.entries()) {
      const r = made[i];
      const { d } = a;
      if (!r) {
        await dropWebhookDelivery(trx, d.id, 'the endpoint was removed', now);
        continue;
      }
      const scheduled = !r.delivered && a.replayedBy === null;
      // an attempt cut short by the server's stop is due again at once and never gives the delivery up
      const cut = r.error === stoppedError;
      const givenUpAt = scheduled && !cut && a.attempt >= maxAttempts ? now : null;
      // the next attempt, counted from this one's end (the claim held the delivery until then)
      const nowMs = service.clock.now().getTime();
      const nextAttemptAt = !scheduled
        ? null
        : cut
          ? now
          : givenUpAt
            ? null
            : retryAt(nowMs, a.attempt, retryAfterSeconds(r.retryAfter, nowMs));
      const held = await recordWebhookAttempt(
        trx,
        {
          deliveryId: d.id,
          attempt: a.attempt,
          startedAt: r.startedAt,
          status: r.status,
          error: r.error,
          durationMs: r.durationMs,
          replayedBy: a.replayedBy,
        },
        { delivered: r.delivered, givenUpAt, nextAttemptAt, now },
      );
      const disable = (reason: string) =>
        setWebhookStatus(trx, d.org_id, d.endpoint_id, {
          disabled_at: now,
          disabled_reason: reason,
          changed_by: null,
        });
      if (r.delivered) await setWebhookStatus(trx, d.org_id, d.endpoint_id, { last_success_at: now });
      else if (r.status === 410) await disable('gone');
      else if (givenUpAt && held) {
        const health = await webhookStatus(trx, d.org_id, d.endpoint_id);
        if (!health?.last_success_at || health.last_success_at <= d.created_at) await disable('failing');
      }
    }
  });
  return made.map(
    (r) => r && { status: r.status, error: r.error, durationMs: r.durationMs, delivered: r.delivered },
  );
}

/**
 * Sends up to `limit` due deliveries at once; returns how many were attempted. Their attempts are claimed in one
 * transaction before any request is made, and their outcomes written in one after (two durable writes a batch).
 *
 * With several processes on one PostgreSQL database, a process sends only the deliveries of the organisations whose
 * scheduler lease it holds (src/store/leases.ts), and a claim holds its delivery for the whole exchange (its
 * deadline and a margin), not only until the first retry's time: a request still in flight after 5 s is not sent
 * again by another process, nor by this one once its lease has passed to another.
 */
export async function sendDueWebhooks(
  service: CouncilsService,
  limit = 50,
  stopping?: AbortSignal,
): Promise<number> {
  const q = service.db.kysely;
  const orgIds = await service.leases.leased(await service.orgIds());
  if (orgIds.length === 0) return 0;
  const due = await dueWebhookDeliveries(q, service.now(), limit, orgIds);
  if (due.length === 0) return 0;
  const heldUntil = new Date(
    service.clock.now().getTime() + service.webhooks.timeoutMs + claimMarginMs,
  ).toISOString();
  const claimed = await q.transaction().execute(async (trx) => {
    const mine: Attempt[] = [];
    for (const d of due) {
      const attempt = Number(d.attempts) + 1;
      if (await claimWebhookDelivery(trx, d.id, Number(d.attempts), heldUntil))
        mine.push({ d, attempt, replayedBy: null });
    }
    return mine;
  });
  if (claimed.length > 0) await makeAttempts(service, claimed, stopping);
  return claimed.length;
}

/**
 * Sends what is due every `everyMs` (one round at a time); returns the function that stops it. A stop ends the
 * round's requests in flight and sends no further batch: what is left stays queued for the next start.
 */
export function startWebhookSender(
  service: CouncilsService,
  everyMs = 1_000,
  onError?: (e: unknown) => void,
): () => Promise<void> {
  return every(
    everyMs,
    async (stopping) => {
      while (!stopping.aborted && (await sendDueWebhooks(service, 50, stopping)) > 0);
    },
    onError,
  );
}
