// Webhooks' tables (docs/NOTIFICATIONS.md "Webhooks"): the secrets by request, the delivery outbox (written in the
// transaction of the entries that make events), the attempts of each delivery, and each endpoint's health. Storage
// verbs only; src/server/webhooks decides what to send and when.
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import {
  endpointsFor,
  webhookActs,
  webhookBody,
  webhookEventOf,
  type Entry,
  type OrgState,
} from '../core/index.ts';
import { oneOf } from './db.ts';
import type { Database, WebhookDeliveryTable } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

/**
 * A delivery's id, which is its `webhook-id`: the same for every attempt and replay, and the same if the entry's
 * transaction is tried again, so a delivery is written once (Standard Webhooks: no full stop in it).
 */
export function deliveryId(orgId: string, endpointId: string, seq: number): string {
  return `msg_${createHash('sha256').update(`${orgId}\n${endpointId}\n${seq}`).digest('base64url').slice(0, 27)}`;
}

/**
 * In the entries' own transaction: one delivery per entry that makes an event and per endpoint in force that asked
 * for it, with its body, due now. `state` is the state after the entries.
 */
export async function recordWebhookDeliveries(
  trx: Q,
  orgId: string,
  state: OrgState,
  entries: readonly Entry[],
): Promise<void> {
  if (state.power.webhooks.size === 0) return;
  const rows: WebhookDeliveryTable[] = [];
  for (const e of entries) {
    if (!webhookActs.has(e.act)) continue;
    const event = webhookEventOf(state, e);
    if (!event) continue;
    const body = webhookBody(orgId, e, event);
    for (const endpoint of endpointsFor(state, event))
      rows.push({
        id: deliveryId(orgId, endpoint.id, e.seq),
        org_id: orgId,
        endpoint_id: endpoint.id,
        seq: e.seq,
        event_type: event.type,
        body,
        created_at: e.time,
        next_attempt_at: e.time,
        attempts: 0,
        delivered_at: null,
        failed_at: null,
        last_status: null,
        last_error: null,
      });
  }
  for (let i = 0; i < rows.length; i += 200)
    await trx
      .insertInto('webhook_deliveries')
      .values(rows.slice(i, i + 200))
      .execute();
}

export async function insertWebhookSecret(
  q: Q,
  row: { orgId: string; requestId: string; endpointId: string; secret: string; createdAt: string },
): Promise<void> {
  await q
    .insertInto('webhook_secrets')
    .values({
      org_id: row.orgId,
      request_id: row.requestId,
      endpoint_id: row.endpointId,
      secret: row.secret,
      created_at: row.createdAt,
    })
    .execute();
}

/** The secrets of these requests (those that made one), by request id. */
export async function webhookSecrets(
  q: Q,
  orgId: string,
  requestIds: readonly string[],
): Promise<Map<string, string>> {
  if (requestIds.length === 0) return new Map();
  const rows = await q
    .selectFrom('webhook_secrets')
    .select(['request_id', 'secret'])
    .where('org_id', '=', orgId)
    .where('request_id', 'in', requestIds)
    .execute();
  return new Map(rows.map((r) => [r.request_id, r.secret]));
}

/**
 * Deliveries due now, of endpoints not disabled (and of `orgIds` only, if given), oldest first. The organisations
 * go in as one bound value (a PostgreSQL array, a JSON array on SQLite), not one each: a process may hold the
 * leases of more organisations than a statement may bind (SQLite's 32,766, PostgreSQL's 65,535).
 */
export async function dueWebhookDeliveries(q: Q, now: string, limit: number, orgIds?: readonly string[]) {
  return q
    .selectFrom('webhook_deliveries as d')
    .selectAll('d')
    .$if(orgIds !== undefined, (b) => b.where(oneOf(q, 'd.org_id', orgIds!)))
    .where('d.delivered_at', 'is', null)
    .where('d.failed_at', 'is', null)
    .where('d.next_attempt_at', '<=', now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('webhook_endpoint_status as s')
            .select('s.endpoint_id')
            .whereRef('s.org_id', '=', 'd.org_id')
            .whereRef('s.endpoint_id', '=', 'd.endpoint_id')
            .where('s.disabled_at', 'is not', null),
        ),
      ),
    )
    .orderBy('d.next_attempt_at')
    .orderBy('d.seq')
    .limit(limit)
    .execute();
}

export type WebhookDelivery = Awaited<ReturnType<typeof dueWebhookDeliveries>>[number];

/**
 * Takes a delivery for one attempt: counts it and holds it until `heldUntil` (past the exchange's deadline), only if
 * nobody took it since it was read. The attempt's outcome then sets its next attempt; a sender that died
 * mid-attempt leaves it due again at `heldUntil`.
 */
export async function claimWebhookDelivery(
  q: Q,
  id: string,
  attempts: number,
  heldUntil: string,
): Promise<boolean> {
  const r = await q
    .updateTable('webhook_deliveries')
    .set({ attempts: attempts + 1, next_attempt_at: heldUntil })
    .where('id', '=', id)
    .where('attempts', '=', attempts)
    .where('delivered_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface AttemptOutcome {
  deliveryId: string;
  attempt: number;
  startedAt: string;
  status: number | null;
  error: string | null;
  durationMs: number;
  replayedBy: string | null;
}

/**
 * Writes an attempt's outcome: the attempt in the log, and the delivery delivered, waiting, or given up. A failed
 * attempt of the schedule sets the delivery's next attempt (or gives it up) only while its claim still holds: if
 * the claim ran out and another sender claimed the delivery since (its attempts counted past this one), that
 * sender's claim and outcome stand. Returns whether the delivery took this outcome.
 */
export async function recordWebhookAttempt(
  q: Q,
  a: AttemptOutcome,
  outcome: { delivered: boolean; givenUpAt: string | null; nextAttemptAt?: string | null; now: string },
): Promise<boolean> {
  await q
    .insertInto('webhook_attempts')
    .values({
      id: randomUUID(),
      delivery_id: a.deliveryId,
      attempt: a.attempt,
      started_at: a.startedAt,
      status: a.status,
      error: a.error?.slice(0, 500) ?? null,
      duration_ms: a.durationMs,
      replayed_by: a.replayedBy,
    })
    .execute();
  const last = { last_status: a.status, last_error: a.error?.slice(0, 500) ?? null };
  const r = outcome.delivered
    ? await q
        .updateTable('webhook_deliveries')
        .set({ ...last, delivered_at: outcome.now, failed_at: null })
        .where('id', '=', a.deliveryId)
        .executeTakeFirst()
    : await q
        .updateTable('webhook_deliveries')
        .set({
          ...last,
          ...(outcome.givenUpAt ? { failed_at: outcome.givenUpAt } : {}),
          ...(outcome.nextAttemptAt ? { next_attempt_at: outcome.nextAttemptAt } : {}),
        })
        .where('id', '=', a.deliveryId)
        .where('delivered_at', 'is', null)
        // a replay (attempt 0) claims nothing; a scheduled attempt's claim is its count
        .$if(a.replayedBy === null, (b) => b.where('attempts', '=', a.attempt))
        .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A delivery that will not be attempted (its endpoint is gone). */
export async function dropWebhookDelivery(q: Q, id: string, reason: string, now: string): Promise<void> {
  await q
    .updateTable('webhook_deliveries')
    .set({ failed_at: now, last_error: reason })
    .where('id', '=', id)
    .where('delivered_at', 'is', null)
    .execute();
}

export async function webhookStatuses(q: Q, orgId: string) {
  const rows = await q
    .selectFrom('webhook_endpoint_status')
    .selectAll()
    .where('org_id', '=', orgId)
    .execute();
  return new Map(rows.map((r) => [r.endpoint_id, r]));
}

export async function webhookStatus(q: Q, orgId: string, endpointId: string) {
  return q
    .selectFrom('webhook_endpoint_status')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('endpoint_id', '=', endpointId)
    .executeTakeFirst();
}

/** Sets some of an endpoint's health fields (the others keep their value). */
export async function setWebhookStatus(
  q: Q,
  orgId: string,
  endpointId: string,
  change: {
    disabled_at?: string | null;
    disabled_reason?: string | null;
    changed_by?: string | null;
    last_success_at?: string;
  },
): Promise<void> {
  await q
    .insertInto('webhook_endpoint_status')
    .values({
      org_id: orgId,
      endpoint_id: endpointId,
      disabled_at: null,
      disabled_reason: null,
      changed_by: null,
      last_success_at: null,
      ...change,
    })
    .onConflict((oc) => oc.columns(['org_id', 'endpoint_id']).doUpdateSet(change))
    .execute();
}

export async function findWebhookDelivery(q: Q, orgId: string, id: string) {
  return q
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** An endpoint's deliveries, newest first, `limit` after the delivery of seq `before` (a page). */
export async function listWebhookDeliveries(
  q: Q,
  orgId: string,
  endpointId: string,
  before: number | undefined,
  limit: number,
) {
  let query = q
    .selectFrom('webhook_deliveries')
    .select([
      'id',
      'seq',
      'event_type',
      'created_at',
      'attempts',
      'next_attempt_at',
      'delivered_at',
      'failed_at',
      'last_status',
      'last_error',
    ])
    .where('org_id', '=', orgId)
    .where('endpoint_id', '=', endpointId);
  if (before !== undefined) query = query.where('seq', '<', before);
  return query.orderBy('seq', 'desc').limit(limit).execute();
}

export async function attemptsOf(q: Q, deliveryId: string) {
  return q
    .selectFrom('webhook_attempts')
    .select(['attempt', 'started_at', 'status', 'error', 'duration_ms', 'replayed_by'])
    .where('delivery_id', '=', deliveryId)
    .orderBy('started_at')
    .orderBy('attempt')
    .execute();
}
