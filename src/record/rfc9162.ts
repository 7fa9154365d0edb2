// RFC 9162 §2.1 Merkle Tree Hash with SHA-256: leaf and node hashing with domain separation (§2.1.1), inclusion
// proofs (§2.1.3) and consistency proofs (§2.1.4) and their verification. Sizes and indices of trees the store
// builds are JS numbers (< 2^53); verification also accepts bigint so any uint64 from a proof can be checked.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesEqual } from './bytes.ts';

export const HASH_SIZE = 32;

/** A SHA-256 function: @noble/hashes by default (pure, runs in the browser); a server may pass node:crypto's. */
export type Sha256 = (data: Uint8Array) => Uint8Array;

/** RFC 9162 §2.1.1 hashing over a given SHA-256: what appends and verifiers call for every leaf and node. */
export interface TreeHasher {
  /** SHA-256(0x00 || leaf). */
  leaf(leaf: Uint8Array): Uint8Array;
  /** SHA-256(0x01 || left || right); children of any length are accepted, as in the RFC 6962 vectors. */
  node(left: Uint8Array, right: Uint8Array): Uint8Array;
}

/** The RFC 9162 tree hasher over `hash` (the same bytes whatever SHA-256 implementation computes them). */
export function treeHasher(hash: Sha256): TreeHasher {
  const nodeBuffer = new Uint8Array(1 + 2 * HASH_SIZE);
  nodeBuffer[0] = 0x01;
  return {
    leaf(leaf) {
      const buf = new Uint8Array(1 + leaf.length);
      buf.set(leaf, 1);
      return hash(buf);
    },
    node(left, right) {
      if (left.length === HASH_SIZE && right.length === HASH_SIZE) {
        nodeBuffer.set(left, 1);
        nodeBuffer.set(right, 1 + HASH_SIZE);
        return hash(nodeBuffer);
      }
      const buf = new Uint8Array(1 + left.length + right.length);
      buf[0] = 0x01;
      buf.set(left, 1);
      buf.set(right, 1 + left.length);
      return hash(buf);
    },
  };
}

/** The default hasher: SHA-256 from @noble/hashes. */
export const defaultTreeHasher: TreeHasher = treeHasher(sha256);

/** MTH({}) = SHA-256() (§2.1.1). */
export function emptyRoot(): Uint8Array {
  return sha256(new Uint8Array(0));
}

/** MTH({d}) = SHA-256(0x00 || d) (§2.1.1). */
export function leafHash(leaf: Uint8Array): Uint8Array {
  return defaultTreeHasher.leaf(leaf);
}

/** SHA-256(0x01 || left || right) (§2.1.1). Children of any length are accepted, as in the RFC 6962 vectors. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return defaultTreeHasher.node(left, right);
}

/** The largest power of two strictly less than n (n ≥ 2): the split point k of §2.1.1. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) over the given leaf hashes (§2.1.1), computed bottom-up. */
export function rootFromLeafHashes(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 0) return emptyRoot();
  let level = hashes.slice();
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    // Pairs of complete subtrees combine left to right; an odd last node is carried up unchanged, which gives
    // the same result as splitting at the largest power of two.
    for (let i = 0; i + 1 < level.length; i += 2) next.push(nodeHash(level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

function toBig(name: string, n: bigint | number): bigint {
  if (typeof n === 'number') {
    if (!Number.isSafeInteger(n) || n < 0)
      throw new RangeError(`${name}: ${n} is not a non-negative safe integer`);
    return BigInt(n);
  }
  if (typeof n !== 'bigint') throw new TypeError(`${name}: expected a number or bigint`);
  return n;
}

function allHashes(proof: readonly Uint8Array[] | null | undefined): proof is readonly Uint8Array[] {
  return Array.isArray(proof) && proof.every((p) => p instanceof Uint8Array && p.length === HASH_SIZE);
}

/**
 * Verifies an inclusion proof (§2.1.3.2). Returns false for any proof that does not prove `leaf` at `index` in
 * the tree of `size` leaves with root `root`, including malformed ones (wrong hash lengths, trailing elements).
 */
export function verifyInclusion(
  leaf: Uint8Array,
  index: bigint | number,
  size: bigint | number,
  proof: readonly Uint8Array[] | null,
  root: Uint8Array,
): boolean {
  let fn = toBig('index', index);
  let sn = toBig('size', size);
  if (fn >= sn) return false;
  if (leaf.length !== HASH_SIZE || root.length !== HASH_SIZE) return false;
  const path = proof ?? [];
  if (!allHashes(path)) return false;
  sn -= 1n;
  let r = leaf;
  for (const p of path) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = nodeHash(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && bytesEqual(r, root);
}

/**
 * Verifies a consistency proof between the trees of size1 and size2 leaves (§2.1.4.2). size1 = 0 is rejected
 * (an empty tree needs no proof), as is size1 = size2 with a non-empty proof.
 */
export function verifyConsistency(
  size1: bigint | number,
  size2: bigint | number,
  proof: readonly Uint8Array[] | null,
  root1: Uint8Array,
  root2: Uint8Array,
): boolean {
  const first = toBig('size1', size1);
  const second = toBig('size2', size2);
  const path = proof ?? [];
  if (first === 0n || first > second || !allHashes(path)) return false;
  // Equal sizes: nothing to prove beyond equal roots (compared as given, as Go's verifyMatch does).
  if (first === second) return path.length === 0 && bytesEqual(root1, root2);
  if (root1.length !== HASH_SIZE || root2.length !== HASH_SIZE) return false;
  if (path.length === 0) return false;
  // Step 1: if first is an exact power of 2, first_hash is the first element of the path.
  const seeded = (first & (first - 1n)) === 0n ? [root1, ...path] : path;
  let fn = first - 1n;
  let sn = second - 1n;
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = seeded[0]!;
  let sr = seeded[0]!;
  for (const c of seeded.slice(1)) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && bytesEqual(fr, root1) && bytesEqual(sr, root2);
}
