// E-mail's tables (docs/NOTIFICATIONS.md): the notice outbox (written in the transaction of the entries that make
// notices), the message outbox with its attempts, members' choices per kind, the digest's waiting items, and the
// server's own keys. Storage verbs only; src/server/mail decides what to send.
import type { Kysely, Transaction } from 'kysely';
import { noticeActs, type Entry } from '../core/index.ts';
import { insertRows, oneOf } from './db.ts';
import type { Database, MailOutboxTable } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** In the entries' own transaction: the seq of every entry that may tell someone something. */
export async function recordNotices(trx: Q, orgId: string, entries: readonly Entry[]): Promise<void> {
  // In statements of a bounded size: one batch's entries may be thousands, past SQLite's bound parameters.
  const rows = entries.filter((e) => noticeActs.has(e.act)).map((e) => [orgId, e.seq, e.act, e.time, null]);
  await insertRows(trx, 'notice_outbox', ['org_id', 'seq', 'act', 'created_at', 'mailed_at'], rows);
}

export async function unmailedNotices(q: Q, limit: number) {
  return q
    .selectFrom('notice_outbox')
    .select(['org_id', 'seq', 'act', 'created_at'])
    .where('mailed_at', 'is', null)
    .orderBy('created_at')
    .orderBy('org_id')
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export async function markNoticeMailed(q: Q, orgId: string, seq: number, now: string): Promise<void> {
  await q
    .updateTable('notice_outbox')
    .set({ mailed_at: now })
    .where('org_id', '=', orgId)
    .where('seq', '=', seq)
    .execute();
}

/** A message to send; `id` is stable (queueing the same id twice queues it once). */
export interface QueuedMail {
  id: string;
  orgId: string;
  memberId: string | null;
  kind: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  unsubscribeUrl: string | null;
  messageId: string;
}

function mailRow(m: QueuedMail, now: string): MailOutboxTable {
  return {
    id: m.id,
    org_id: m.orgId,
    member_id: m.memberId,
    kind: m.kind,
    to_address: m.to,
    subject: m.subject,
    text_body: m.text,
    html_body: m.html,
    unsubscribe_url: m.unsubscribeUrl,
    message_id: m.messageId,
    created_at: now,
    next_attempt_at: now,
    attempts: 0,
    sent_at: null,
    failed_at: null,
    last_error: null,
  };
}

/** Queues messages (in the caller's transaction, when it has one); an id already queued is left as it is. */
export async function insertMail(q: Q, mails: readonly QueuedMail[], now: string): Promise<void> {
  for (let i = 0; i < mails.length; i += 200) {
    const rows = mails.slice(i, i + 200).map((m) => mailRow(m, now));
    await q
      .insertInto('mail_outbox')
      .values(rows)
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
}

/** Messages due now (of `orgIds` only, if given), oldest first. */
export async function dueMail(q: Q, now: string, limit: number, orgIds?: readonly string[]) {
  return q
    .selectFrom('mail_outbox')
    .selectAll()
    .$if(orgIds !== undefined, (b) => b.where(oneOf(q, 'org_id', orgIds!)))
    .where('sent_at', 'is', null)
    .where('failed_at', 'is', null)
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();
}

/**
 * Takes a message for one attempt: counts the attempt and holds the message until `heldUntil` (past the send's
 * deadline), only if nobody took it since it was read. The attempt's outcome then sets its next attempt; a sender
 * that died mid-attempt leaves it due again at `heldUntil`.
 */
export async function claimMail(q: Q, id: string, attempts: number, heldUntil: string): Promise<boolean> {
  const r = await q
    .updateTable('mail_outbox')
    .set({ attempts: attempts + 1, next_attempt_at: heldUntil })
    .where('id', '=', id)
    .where('attempts', '=', attempts)
    .where('sent_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Sent: the row keeps who, what kind and when, not the body. An invitation, a reset or an e-mail change carries a
 * link that acts for its holder, readable by anyone who reads the database for as long as the body stayed.
 */
export async function markMailSent(q: Q, id: string, now: string): Promise<void> {
  await q
    .updateTable('mail_outbox')
    .set({ sent_at: now, text_body: '', html_body: '' })
    .where('id', '=', id)
    .execute();
}

/**
 * A failed attempt `attempt`: its error, and the message given up (`failedAt`) or due again at `nextAttemptAt`,
 * only while the attempt's claim holds (nobody has claimed the message since).
 */
export async function markMailFailed(
  q: Q,
  id: string,
  attempt: number,
  error: string,
  outcome: { failedAt: string | null; nextAttemptAt: string | null },
): Promise<void> {
  await q
    .updateTable('mail_outbox')
    .set({
      last_error: error.slice(0, 1000),
      failed_at: outcome.failedAt,
      // given up: nothing will send the body again (see markMailSent)
      ...(outcome.failedAt ? { text_body: '', html_body: '' } : {}),
      ...(outcome.nextAttemptAt ? { next_attempt_at: outcome.nextAttemptAt } : {}),
    })
    .where('id', '=', id)
    .where('attempts', '=', attempt)
    .where('sent_at', 'is', null)
    .execute();
}

/** Members' choices for one kind (those who chose; the others have the default). */
export async function deliveriesOf(
  q: Q,
  orgId: string,
  kind: string,
  memberIds: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < memberIds.length; i += 500) {
    const rows = await q
      .selectFrom('mail_preferences')
      .select(['member_id', 'delivery'])
      .where('org_id', '=', orgId)
      .where('kind', '=', kind)
      .where('member_id', 'in', memberIds.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.member_id, r.delivery);
  }
  return out;
}

export async function memberDeliveries(q: Q, orgId: string, memberId: string): Promise<Map<string, string>> {
  const rows = await q
    .selectFrom('mail_preferences')
    .select(['kind', 'delivery'])
    .where('org_id', '=', orgId)
    .where('member_id', '=', memberId)
    .execute();
  return new Map(rows.map((r) => [r.kind, r.delivery]));
}

export async function setDeliveries(
  q: Q,
  orgId: string,
  memberId: string,
  choices: ReadonlyMap<string, string>,
): Promise<void> {
  for (const [kind, delivery] of choices) {
    await q
      .insertInto('mail_preferences')
      .values({ org_id: orgId, member_id: memberId, kind, delivery })
      .onConflict((oc) => oc.columns(['org_id', 'member_id', 'kind']).doUpdateSet({ delivery }))
      .execute();
  }
}

/** The e-mail addresses of these members who have an account. */
export async function addressesOf(
  q: Q,
  orgId: string,
  memberIds: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < memberIds.length; i += 500) {
    const rows = await q
      .selectFrom('accounts')
      .select(['member_id', 'email'])
      .where('org_id', '=', orgId)
      .where('member_id', 'in', memberIds.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.member_id, r.email);
  }
  return out;
}

export interface DigestItem {
  orgId: string;
  memberId: string;
  seq: number;
  kind: string;
  title: string;
  path: string;
}

export async function insertDigestItems(q: Q, items: readonly DigestItem[], now: string): Promise<void> {
  for (let i = 0; i < items.length; i += 200) {
    const rows = items.slice(i, i + 200).map((d) => ({
      org_id: d.orgId,
      member_id: d.memberId,
      seq: d.seq,
      kind: d.kind,
      title: d.title,
      path: d.path,
      created_at: now,
      digested_at: null,
    }));
    await q
      .insertInto('digest_items')
      .values(rows)
      .onConflict((oc) => oc.columns(['org_id', 'member_id', 'seq', 'kind']).doNothing())
      .execute();
  }
}

/** The members with items waiting that were made before `before`. */
export async function membersWithDigests(q: Q, before: string, limit: number) {
  return q
    .selectFrom('digest_items')
    .select(['org_id', 'member_id'])
    .where('digested_at', 'is', null)
    .where('created_at', '<', before)
    .groupBy(['org_id', 'member_id'])
    .orderBy('org_id')
    .orderBy('member_id')
    .limit(limit)
    .execute();
}

export async function digestItemsOf(q: Q, orgId: string, memberId: string, before: string) {
  return q
    .selectFrom('digest_items')
    .select(['seq', 'kind', 'title', 'path', 'created_at'])
    .where('org_id', '=', orgId)
    .where('member_id', '=', memberId)
    .where('digested_at', 'is', null)
    .where('created_at', '<', before)
    .orderBy('seq')
    .execute();
}

export async function markDigested(
  q: Q,
  orgId: string,
  memberId: string,
  before: string,
  now: string,
): Promise<void> {
  await q
    .updateTable('digest_items')
    .set({ digested_at: now })
    .where('org_id', '=', orgId)
    .where('member_id', '=', memberId)
    .where('digested_at', 'is', null)
    .where('created_at', '<', before)
    .execute();
}

/** The server's secret of this name, made once (the first process to make it wins). */
export async function serverKey(q: Kysely<Database>, name: string, fresh: () => string): Promise<string> {
  await q
    .insertInto('server_keys')
    .values({ name, secret: fresh() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const r = await q
    .selectFrom('server_keys')
    .select('secret')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return r.secret;
}
