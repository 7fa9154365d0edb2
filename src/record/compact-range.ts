// The right edge of an append-only Merkle tree (a "compact range" [0, size) or frontier): the roots of the
// complete subtrees in the binary decomposition of size, largest first. It is at most 64 hashes, can be stored as
// JSON beside the log, and gives the new RFC 9162 root after appending a batch without rereading the log.
import { fromBase64, toBase64 } from './bytes.ts';
import type { NodeId } from './merkle-proofs.ts';
import { HASH_SIZE, defaultTreeHasher, emptyRoot, type TreeHasher } from './rfc9162.ts';

/** A complete subtree hash that an append created; a store may persist it to answer proofs later. */
export interface StoredNode extends NodeId {
  hash: Uint8Array;
}

export interface CompactRangeJson {
  size: number;
  /** Standard base64 of the complete-subtree roots, largest (leftmost) first. */
  hashes: string[];
}

function popcount(n: number): number {
  let c = 0;
  for (; n > 0; n = Math.floor(n / 2)) c += n % 2;
  return c;
}

export class CompactRange {
  #size: number;
  readonly #hashes: Uint8Array[];

  private constructor(size: number, hashes: Uint8Array[]) {
    this.#size = size;
    this.#hashes = hashes;
  }

  static empty(): CompactRange {
    return new CompactRange(0, []);
  }

  static fromJSON(json: CompactRangeJson): CompactRange {
    const { size, hashes } = json ?? ({} as CompactRangeJson);
    if (!Number.isSafeInteger(size) || size < 0)
      throw new RangeError(`compact range size: ${String(size)} is invalid`);
    if (!Array.isArray(hashes) || hashes.length !== popcount(size)) {
      throw new RangeError(`compact range hashes: expected ${popcount(size)} hashes for size ${size}`);
    }
    const decoded = hashes.map((h, i) => {
      const b = typeof h === 'string' ? fromBase64(h) : undefined;
      if (!b || b.length !== HASH_SIZE)
        throw new RangeError(`compact range hashes[${i}]: not a base64 SHA-256 hash`);
      return b;
    });
    return new CompactRange(size, decoded);
  }

  get size(): number {
    return this.#size;
  }

  /** The ids of the frontier's subtrees, largest first. */
  nodeIds(): NodeId[] {
    const out: NodeId[] = [];
    let at = 0;
    for (let level = 52; level >= 0; level--) {
      const width = 2 ** level;
      if (Math.floor(this.#size / width) % 2 === 1) {
        out.push({ level, index: at / width });
        at += width;
      }
    }
    return out;
  }

  /**
   * Appends leaf hashes. `onNode` sees every complete subtree hash created, leaves included (level 0), in the
   * order they complete; persisting them lets merkle-proofs answer any proof with one read.
   */
  append(
    leafHashes: Iterable<Uint8Array>,
    onNode?: (node: StoredNode) => void,
    hasher: TreeHasher = defaultTreeHasher,
  ): this {
    for (const leaf of leafHashes) {
      if (!(leaf instanceof Uint8Array) || leaf.length !== HASH_SIZE) {
        throw new TypeError(`leafHashes: item ${this.#size} is not a 32-byte hash`);
      }
      let hash = leaf;
      let index = this.#size;
      let level = 0;
      onNode?.({ level, index, hash });
      // Each trailing 1 bit of the old size is a complete sibling subtree that the new leaf completes.
      for (let s = this.#size; s % 2 === 1; s = (s - 1) / 2) {
        hash = hasher.node(this.#hashes.pop()!, hash);
        index = (index - 1) / 2;
        level++;
        onNode?.({ level, index, hash });
      }
      this.#hashes.push(hash);
      this.#size++;
    }
    return this;
  }

  /** MTH of the leaves so far (§2.1.1): the frontier folded right to left. */
  root(hasher: TreeHasher = defaultTreeHasher): Uint8Array {
    const n = this.#hashes.length;
    if (n === 0) return emptyRoot();
    let h = this.#hashes[n - 1]!;
    for (let i = n - 2; i >= 0; i--) h = hasher.node(this.#hashes[i]!, h);
    return h;
  }

  clone(): CompactRange {
    return new CompactRange(this.#size, this.#hashes.slice());
  }

  toJSON(): CompactRangeJson {
    return { size: this.#size, hashes: this.#hashes.map(toBase64) };
  }
}
