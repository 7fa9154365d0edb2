// What the store calls inside its append transaction, and when to issue a checkpoint. Pure: the store passes the
// stored frontier in and persists what comes out (the new frontier, the new complete subtree hashes).
import { CompactRange, type CompactRangeJson, type StoredNode } from './compact-range.ts';
import { defaultTreeHasher, type TreeHasher } from './rfc9162.ts';

export interface TreeAppend {
  /** The frontier to store for the next append (JSON, at most 53 hashes). */
  frontier: CompactRangeJson;
  size: number;
  /** RFC 9162 root of the tree after the append. */
  root: Uint8Array;
  /** Leaf hash of each appended entry, in order (level 0; the store keeps it beside the entry). */
  leafHashes: Uint8Array[];
  /** Every complete subtree of level ≥ 1 the append completed: persist as (level, index) → hash. */
  nodes: StoredNode[];
}

/**
 * Appends a batch of entries (their leaf bytes: RFC 8785 canonical JSON, UTF-8) to the tree whose frontier was
 * stored after the previous append (undefined for an empty log). `hasher` computes the same RFC 9162 hashes with
 * another SHA-256 (the store passes node:crypto's, several times faster than the pure default).
 */
export function appendEntries(
  frontier: CompactRangeJson | undefined,
  entries: readonly Uint8Array[],
  hasher: TreeHasher = defaultTreeHasher,
): TreeAppend {
  const range = frontier ? CompactRange.fromJSON(frontier) : CompactRange.empty();
  const leafHashes = entries.map((e, i) => {
    if (!(e instanceof Uint8Array)) throw new TypeError(`entries[${i}]: expected bytes`);
    return hasher.leaf(e);
  });
  const nodes: StoredNode[] = [];
  range.append(
    leafHashes,
    (n) => {
      if (n.level > 0) nodes.push(n);
    },
    hasher,
  );
  return { frontier: range.toJSON(), size: range.size, root: range.root(hasher), leafHashes, nodes };
}

export interface CheckpointSchedule {
  /** Issue a checkpoint once this many entries are not yet covered … */
  everyEntries: number;
  /** … or once the oldest uncovered entry is this old (milliseconds). */
  everyMs: number;
}

/**
 * Whether a new checkpoint is due (issue batches "every N entries or T seconds"). `now` and the time of the
 * oldest uncovered entry are epoch milliseconds supplied by the caller.
 */
export function checkpointDue(
  schedule: CheckpointSchedule,
  state: { checkpointSize: number; size: number; oldestUncoveredAt: number | undefined; now: number },
): boolean {
  if (!(schedule.everyEntries >= 1) || !(schedule.everyMs >= 0))
    throw new RangeError('schedule: everyEntries ≥ 1, everyMs ≥ 0');
  const uncovered = state.size - state.checkpointSize;
  if (uncovered <= 0) return false;
  if (uncovered >= schedule.everyEntries) return true;
  return state.oldestUncoveredAt !== undefined && state.now - state.oldestUncoveredAt >= schedule.everyMs;
}
