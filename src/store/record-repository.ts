// Storage verbs of the record: the Merkle tree grows inside the append transaction (leaf hashes beside the
// entries, complete subtree hashes in merkle_nodes, the frontier in tree_states), so any proof is one batched
// read; signed checkpoints are kept forever; each log's public key is published from here.
import { hash } from 'node:crypto';
import { hexToBytes } from '@noble/hashes/utils.js';
import type { Kysely, Transaction } from 'kysely';
import {
  appendEntries as appendToTree,
  emptyRoot,
  treeHasher,
  type CompactRangeJson,
  type HashReader,
  type LogKeyPeriod,
  type NodeId,
} from '../record/index.ts';
import { insertRows } from './db.ts';
import type { Database } from './schema.ts';

/** RFC 9162 hashing with node:crypto's SHA-256 (native; the record layer's default is the pure @noble one). */
export const nodeTreeHasher = treeHasher((data) => hash('sha256', data, 'buffer'));

/** Lower-case hex of a hash, as the tables store it. */
export function hashHex(h: Uint8Array): string {
  return Buffer.from(h.buffer, h.byteOffset, h.byteLength).toString('hex');
}

type Q = Kysely<Database> | Transaction<Database>;

export interface TreeState {
  size: number;
  root: Uint8Array;
  frontier: CompactRangeJson | undefined;
}

export async function readTreeState(q: Q, orgId: string): Promise<TreeState> {
  const r = await q.selectFrom('tree_states').selectAll().where('org_id', '=', orgId).executeTakeFirst();
  if (!r) return { size: 0, root: emptyRoot(), frontier: undefined };
  return {
    size: Number(r.size),
    root: hexToBytes(r.root),
    frontier: JSON.parse(r.frontier) as CompactRangeJson,
  };
}

/**
 * Grows the organisation's tree by the given leaves (entry bodies, in order, starting at the stored size) and
 * stores the new nodes and frontier. Returns each leaf's hash.
 */
export async function growTree(q: Q, orgId: string, bodies: readonly Uint8Array[]): Promise<Uint8Array[]> {
  const before = await readTreeState(q, orgId);
  const r = appendToTree(before.frontier, bodies, nodeTreeHasher);
  const nodes = r.nodes.map((n) => [orgId, n.level, n.index, hashHex(n.hash)]);
  await insertRows(q, 'merkle_nodes', ['org_id', 'level', 'idx', 'hash'], nodes);
  const row = { size: r.size, root: hashHex(r.root), frontier: JSON.stringify(r.frontier) };
  if (before.frontier === undefined)
    await q
      .insertInto('tree_states')
      .values({ org_id: orgId, ...row })
      .execute();
  else await q.updateTable('tree_states').set(row).where('org_id', '=', orgId).execute();
  return r.leafHashes;
}

/** Drops the stored tree of an organisation (rebuild grows it again from the log). */
export async function clearTree(q: Q, orgId: string): Promise<void> {
  await q.deleteFrom('merkle_nodes').where('org_id', '=', orgId).execute();
  await q.deleteFrom('tree_states').where('org_id', '=', orgId).execute();
}

/** Any complete subtree hash, in one query per level asked: leaves from the log, the rest from merkle_nodes. */
export function dbHashReader(q: Q, orgId: string): HashReader {
  return {
    async readHashes(ids: readonly NodeId[]): Promise<Uint8Array[]> {
      const found = new Map<string, string>();
      const leaves = ids.filter((i) => i.level === 0).map((i) => i.index);
      if (leaves.length) {
        const rows = await q
          .selectFrom('log_entries')
          .select(['seq', 'leaf_hash'])
          .where('org_id', '=', orgId)
          .where('seq', 'in', leaves)
          .execute();
        for (const r of rows) found.set(`0/${r.seq}`, r.leaf_hash);
      }
      const inner = ids.filter((i) => i.level > 0);
      if (inner.length) {
        const rows = await q
          .selectFrom('merkle_nodes')
          .select(['level', 'idx', 'hash'])
          .where('org_id', '=', orgId)
          .where((eb) =>
            eb.or(inner.map((i) => eb.and([eb('level', '=', i.level), eb('idx', '=', i.index)]))),
          )
          .execute();
        for (const r of rows) found.set(`${r.level}/${r.idx}`, r.hash);
      }
      return ids.map((i) => {
        const h = found.get(`${i.level}/${i.index}`);
        if (h === undefined) throw new RangeError(`node ${i.level}/${i.index} is not stored`);
        return hexToBytes(h);
      });
    },
  };
}

export async function insertCheckpoint(
  q: Q,
  orgId: string,
  size: number,
  note: string,
  at: string,
): Promise<void> {
  await q.insertInto('checkpoints').values({ org_id: orgId, size, note, issued_at: at }).execute();
}

export async function latestCheckpoint(
  q: Q,
  orgId: string,
): Promise<{ size: number; note: string; issuedAt: string } | undefined> {
  const r = await q
    .selectFrom('checkpoints')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('size', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r && { size: Number(r.size), note: r.note, issuedAt: r.issued_at };
}

export async function checkpointOfSize(q: Q, orgId: string, size: number): Promise<string | undefined> {
  const r = await q
    .selectFrom('checkpoints')
    .select('note')
    .where('org_id', '=', orgId)
    .where('size', '=', size)
    .executeTakeFirst();
  return r?.note;
}

export async function listCheckpoints(q: Q, orgId: string): Promise<string[]> {
  const rows = await q
    .selectFrom('checkpoints')
    .select('note')
    .where('org_id', '=', orgId)
    .orderBy('size')
    .execute();
  return rows.map((r) => r.note);
}

/** The key that signs the organisation's next checkpoints (the last of its key history). */
export async function recordKey(q: Q, orgId: string): Promise<string | undefined> {
  const r = await q
    .selectFrom('record_key_history')
    .select('verifier_key')
    .where('org_id', '=', orgId)
    .orderBy('position', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.verifier_key;
}

/** Every log key of the organisation, oldest first, with the sizes it signs (record/key-history.ts). */
export async function recordKeyHistory(q: Q, orgId: string): Promise<LogKeyPeriod[]> {
  const rows = await q
    .selectFrom('record_key_history')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('position')
    .execute();
  return rows.map((r) => ({
    verifierKey: r.verifier_key,
    fromSize: Number(r.from_size),
    ...(r.rotation_seq === null
      ? {}
      : { requestSeq: Number(r.request_seq), rotationSeq: Number(r.rotation_seq) }),
  }));
}

/** Adds a key to the history: the first key (from size 0), or one a rotation handed over to. */
export async function insertRecordKey(
  q: Q,
  orgId: string,
  key: LogKeyPeriod,
  at: string,
  position = 0,
): Promise<void> {
  await q
    .insertInto('record_key_history')
    .values({
      org_id: orgId,
      position,
      verifier_key: key.verifierKey,
      from_size: key.fromSize,
      request_seq: key.requestSeq ?? null,
      rotation_seq: key.rotationSeq ?? null,
      created_at: at,
    })
    .execute();
}

/** The entries that request or carry out privileged acts, from `fromSeq` on: where key rotations are found. */
export async function privilegedActEntries(
  q: Q,
  orgId: string,
  acts: readonly string[],
  fromSeq: number,
  belowSeq: number,
): Promise<{ seq: number; act: string; payload: unknown }[]> {
  const rows = await q
    .selectFrom('log_entries')
    .select(['seq', 'body'])
    .where('org_id', '=', orgId)
    .where('act', 'in', acts)
    .where('seq', '>=', fromSeq)
    .where('seq', '<', belowSeq)
    .orderBy('seq')
    .execute();
  return rows.map((r) => {
    const e = JSON.parse(r.body) as { seq: number; act: string; payload: unknown };
    return { seq: e.seq, act: e.act, payload: e.payload };
  });
}

/** When the oldest entry not yet covered by a checkpoint was appended (for "every T seconds"). */
export async function entryTime(q: Q, orgId: string, seq: number): Promise<string | undefined> {
  const r = await q
    .selectFrom('log_entries')
    .select('time')
    .where('org_id', '=', orgId)
    .where('seq', '=', seq)
    .executeTakeFirst();
  return r?.time;
}

/**
 * Replaces a checkpoint's note by the same note with more (witness) signature lines, only if it is still `before`
 * (two witnesses adding lines at once must not erase each other's). Returns whether it was replaced.
 */
export async function replaceCheckpointNote(
  q: Q,
  orgId: string,
  size: number,
  before: string,
  note: string,
): Promise<boolean> {
  const r = await q
    .updateTable('checkpoints')
    .set({ note })
    .where('org_id', '=', orgId)
    .where('size', '=', size)
    .where('note', '=', before)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
