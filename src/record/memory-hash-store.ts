// An in-memory HashReader that keeps every complete subtree hash, level by level, in growable byte buffers
// (32 bytes per node, 2·size nodes in all). Used by the verifier, the tests and the benchmark; it is also the
// model for the store's persistent node table or tiles.
import { CompactRange, type StoredNode } from './compact-range.ts';
import type { HashReader, NodeId } from './merkle-proofs.ts';
import { HASH_SIZE, defaultTreeHasher, type TreeHasher } from './rfc9162.ts';

export class MemoryHashStore implements HashReader {
  readonly #levels: Uint8Array[] = [];
  readonly #counts: number[] = [];
  readonly #range = CompactRange.empty();

  /** `hasher` computes the node hashes (the pure default, or one over a faster SHA-256). */
  constructor(private readonly hasher: TreeHasher = defaultTreeHasher) {}

  get size(): number {
    return this.#range.size;
  }

  get compactRange(): CompactRange {
    return this.#range;
  }

  append(leafHashes: Iterable<Uint8Array>): this {
    this.#range.append(leafHashes, (node) => this.#put(node), this.hasher);
    return this;
  }

  #put({ level, index, hash }: StoredNode): void {
    while (this.#levels.length <= level) {
      this.#levels.push(new Uint8Array(HASH_SIZE * 1024));
      this.#counts.push(0);
    }
    let buf = this.#levels[level]!;
    if ((index + 1) * HASH_SIZE > buf.length) {
      const grown = new Uint8Array(Math.max(buf.length * 2, (index + 1) * HASH_SIZE));
      grown.set(buf);
      this.#levels[level] = buf = grown;
    }
    buf.set(hash, index * HASH_SIZE);
    this.#counts[level] = index + 1;
  }

  hash(id: NodeId): Uint8Array {
    const count = this.#counts[id.level] ?? 0;
    if (!Number.isSafeInteger(id.index) || id.index < 0 || id.index >= count) {
      throw new RangeError(`node ${id.level}/${id.index}: not a complete subtree of this tree`);
    }
    return this.#levels[id.level]!.subarray(id.index * HASH_SIZE, (id.index + 1) * HASH_SIZE);
  }

  readHashes(ids: readonly NodeId[]): Uint8Array[] {
    return ids.map((id) => this.hash(id));
  }
}
