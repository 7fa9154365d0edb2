// Storage verbs for the log: append entries (with their leaf hashes) and read them back in order.
import type { Kysely, Transaction } from 'kysely';
import { canonicalEntry, type Entry } from '../core/index.ts';
import { insertRows } from './db.ts';
import { growTree, hashHex } from './record-repository.ts';
import type { Database } from './schema.ts';
import { writeBoardRows } from './secret-board.ts';

type Q = Kysely<Database> | Transaction<Database>;

export async function appendEntries(
  q: Q,
  orgId: string,
  entries: readonly Entry[],
  /** The entries' canonical JSON (`canonicalEntry`), when the caller has it already. */
  texts: readonly string[] = entries.map(canonicalEntry),
): Promise<void> {
  const bodies = texts.map((t) => Buffer.from(t, 'utf8'));
  // The tree grows in the same transaction: the stored leaf hashes and nodes always match the stored entries.
  const leafHashes = await growTree(q, orgId, bodies);
  const rows = entries.map((e, i) => [
    orgId,
    e.seq,
    e.act,
    e.actor,
    e.time,
    texts[i]!,
    hashHex(leafHashes[i]!),
  ]);
  await insertRows(q, 'log_entries', entryColumns, rows);
  // a secret vote's board entries indexed by vote, list and ballot code: a projection (src/store/secret-board.ts)
  await writeBoardRows(q, orgId, entries);
}

const entryColumns = ['org_id', 'seq', 'act', 'actor', 'time', 'body', 'leaf_hash'] as const;

/** The number of entries in an organisation's log (its next seq). */
export async function logSize(q: Q, orgId: string): Promise<number> {
  const r = await q
    .selectFrom('log_entries')
    .select((eb) => eb.fn.max('seq').as('max'))
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return r?.max === null || r?.max === undefined ? 0 : Number(r.max) + 1;
}

/** Entries from `fromSeq` on, in order, parsed. */
export async function* readEntries(q: Q, orgId: string, fromSeq = 0, pageSize = 5000): AsyncGenerator<Entry> {
  for await (const r of readRawEntries(q, orgId, fromSeq, pageSize)) yield JSON.parse(r.body) as Entry;
}

/** Up to `limit` entries from `fromSeq` on, in order, parsed: one indexed read (a catch-up's page). */
export async function readEntryPage(q: Q, orgId: string, fromSeq: number, limit: number): Promise<Entry[]> {
  const rows = await q
    .selectFrom('log_entries')
    .select('body')
    .where('org_id', '=', orgId)
    .where('seq', '>=', fromSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => JSON.parse(r.body) as Entry);
}

/** The entries at the given seqs, in seq order, parsed: one indexed read (a settled secret vote's board prefix). */
export async function readEntriesAt(q: Q, orgId: string, seqs: readonly number[]): Promise<Entry[]> {
  if (seqs.length === 0) return [];
  const rows = await q
    .selectFrom('log_entries')
    .select('body')
    .where('org_id', '=', orgId)
    .where('seq', 'in', [...seqs])
    .orderBy('seq')
    .execute();
  return rows.map((r) => JSON.parse(r.body) as Entry);
}

/**
 * The raw canonical bodies with their stored leaf hashes, from `fromSeq` on, read in pages of `pageSize` so a
 * long log never sits in memory whole: what `export` writes, `verify` checks and the replay parses.
 */
export async function* readRawEntries(
  q: Q,
  orgId: string,
  fromSeq = 0,
  pageSize = 5000,
): AsyncGenerator<{ seq: number; body: string; leafHash: string }> {
  for (let next = fromSeq; ;) {
    const rows = await q
      .selectFrom('log_entries')
      .select(['seq', 'body', 'leaf_hash'])
      .where('org_id', '=', orgId)
      .where('seq', '>=', next)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const r of rows) yield { seq: Number(r.seq), body: r.body, leafHash: r.leaf_hash };
    if (rows.length < pageSize) return;
    next = Number(rows[rows.length - 1]!.seq) + 1;
  }
}

/**
 * The log as JSON lines (each an entry's canonical JSON and a newline) of the entries before `size` (all when
 * undefined), one page of entries to a chunk: what `entries.jsonl` and `export` write, in memory bounded by the
 * page whatever the log's length (docs/SCALE.md "Streaming the record").
 */
export async function* entryLines(
  q: Q,
  orgId: string,
  size = Infinity,
  pageSize = 5000,
): AsyncGenerator<string> {
  let chunk: string[] = [];
  for await (const e of readRawEntries(q, orgId, 0, pageSize)) {
    if (e.seq >= size) break;
    chunk.push(e.body, '\n');
    if (chunk.length >= 2 * pageSize) {
      yield chunk.join('');
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk.join('');
}

export async function listOrgIds(q: Q): Promise<string[]> {
  const rows = await q
    .selectFrom('log_entries')
    .select('org_id')
    .where('seq', '=', 0)
    .orderBy('org_id')
    .execute();
  return rows.map((r) => r.org_id);
}
