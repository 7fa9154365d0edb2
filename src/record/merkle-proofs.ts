// Proof generation over an abstract node store. Every element of an RFC 9162 proof (§2.1.3.1 PATH, §2.1.4.1
// SUBPROOF) is the hash of a range D[begin:end] whose begin is aligned to a power of two at least end - begin;
// such a range splits into complete subtrees (NodeIds) that the store can keep, so a proof needs one batched read
// of at most ~2·log2(size) stored hashes and a few node hashes for the right edge of the tree.
import { emptyRoot, nodeHash, splitPoint } from './rfc9162.ts';

/** The complete subtree of 2^level leaves starting at leaf index·2^level. level 0 is a leaf hash. */
export interface NodeId {
  level: number;
  index: number;
}

/**
 * Where the store keeps hashes of complete subtrees. Only ids of complete subtrees inside the tree being proved
 * are asked for. The result has the same order and length as `ids`. May be sync or async (a database).
 */
export interface HashReader {
  readHashes(ids: readonly NodeId[]): Promise<readonly Uint8Array[]> | readonly Uint8Array[];
}

/** A proof element: the Merkle Tree Hash of leaves [begin, end). */
export interface LeafRange {
  begin: number;
  end: number;
}

function checkSize(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`${name}: ${n} is not a non-negative safe integer`);
}

/** Splits [begin, end) into maximal aligned complete subtrees, left to right. */
export function rangeNodes(begin: number, end: number): NodeId[] {
  const out: NodeId[] = [];
  let at = begin;
  while (at < end) {
    let level = 0;
    let width = 1;
    while (at % (width * 2) === 0 && at + width * 2 <= end) {
      width *= 2;
      level++;
    }
    out.push({ level, index: at / width });
    at += width;
  }
  return out;
}

/** The ranges whose hashes form the inclusion proof of leaf `index` in a tree of `size` (§2.1.3.1 PATH). */
export function inclusionRanges(index: number, size: number): LeafRange[] {
  checkSize('index', index);
  checkSize('size', size);
  if (index >= size) throw new RangeError(`index: ${index} is not below size ${size}`);
  const out: LeafRange[] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      out.push({ begin: lo + k, end: hi });
      hi = lo + k;
    } else {
      out.push({ begin: lo, end: lo + k });
      lo += k;
    }
  }
  return out.reverse();
}

/** The ranges whose hashes form the consistency proof from size1 to size2 (§2.1.4.1 SUBPROOF). */
export function consistencyRanges(size1: number, size2: number): LeafRange[] {
  checkSize('size1', size1);
  checkSize('size2', size2);
  if (size1 > size2) throw new RangeError(`size1: ${size1} exceeds size2 ${size2}`);
  if (size1 === 0 || size1 === size2) return [];
  const out: LeafRange[] = [];
  let m = size1;
  let lo = 0;
  let hi = size2;
  let complete = true;
  for (;;) {
    const n = hi - lo;
    if (m === n) {
      if (!complete) out.push({ begin: lo, end: hi });
      break;
    }
    const k = splitPoint(n);
    if (m <= k) {
      out.push({ begin: lo + k, end: hi });
      hi = lo + k;
    } else {
      out.push({ begin: lo, end: lo + k });
      lo += k;
      m -= k;
      complete = false;
    }
  }
  return out.reverse();
}

/** Reads the hashes of the given ranges with one batched read and folds each range's subtrees right to left. */
export async function hashRanges(reader: HashReader, ranges: readonly LeafRange[]): Promise<Uint8Array[]> {
  const plans = ranges.map((r) => rangeNodes(r.begin, r.end));
  const ids: NodeId[] = [];
  const seen = new Map<string, number>();
  for (const plan of plans) {
    for (const id of plan) {
      const key = `${id.level}/${id.index}`;
      if (!seen.has(key)) {
        seen.set(key, ids.length);
        ids.push(id);
      }
    }
  }
  const hashes = await reader.readHashes(ids);
  if (hashes.length !== ids.length) throw new RangeError('readHashes: returned the wrong number of hashes');
  return plans.map((plan) => {
    let h = hashes[seen.get(`${plan[plan.length - 1]!.level}/${plan[plan.length - 1]!.index}`)!]!;
    for (let i = plan.length - 2; i >= 0; i--)
      h = nodeHash(hashes[seen.get(`${plan[i]!.level}/${plan[i]!.index}`)!]!, h);
    return h;
  });
}

export async function inclusionProof(reader: HashReader, index: number, size: number): Promise<Uint8Array[]> {
  return hashRanges(reader, inclusionRanges(index, size));
}

export async function consistencyProof(
  reader: HashReader,
  size1: number,
  size2: number,
): Promise<Uint8Array[]> {
  return hashRanges(reader, consistencyRanges(size1, size2));
}

/** The root of the tree of `size` leaves, from the store. */
export async function treeRoot(reader: HashReader, size: number): Promise<Uint8Array> {
  checkSize('size', size);
  if (size === 0) return emptyRoot();
  const [root] = await hashRanges(reader, [{ begin: 0, end: size }]);
  return root!;
}
