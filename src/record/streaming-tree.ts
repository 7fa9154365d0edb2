// The Merkle tree of a record as its leaf hashes stream past, in memory that does not grow with the log (issue #18
// item 4): a compact range (the frontier of RFC 9162 §2.1 complete subtrees, at most 53 hashes) gives the root at
// every size asked for as the scan passes it; the complete subtree hashes a proof will need are kept as they
// complete; and each tile window (the 256 nodes of one tlog-tiles level that one tile holds) is handed out as it
// fills, to be compared with the source's tile and dropped. What the verifier kept before was every node (64 bytes
// an entry).
import { CompactRange, type StoredNode } from './compact-range.ts';
import type { HashReader, NodeId } from './merkle-proofs.ts';
import { HASH_SIZE, defaultTreeHasher, emptyRoot, type TreeHasher } from './rfc9162.ts';
import { TILE_HEIGHT, TILE_WIDTH } from './tlog-tiles.ts';

/** The hashes of tile `index` at tile level `level` (nodes of Merkle level level·8), `count` of them (≤ 256). */
export interface TileWindow {
  level: number;
  index: number;
  count: number;
  /** count·32 bytes, a copy the receiver may keep. */
  hashes: Uint8Array;
}

export interface StreamingTreeOptions {
  hasher?: TreeHasher;
  /** The tree sizes whose roots to keep (each checkpoint's size). */
  rootsAt?: readonly number[];
  /** Complete subtrees whose hashes to keep as they complete (a proof's nodes: merkle-proofs.ts rangeNodes). */
  keep?: readonly NodeId[];
  /** Receives each tile window of tile levels below `tileLevels` as it fills, and the partial ones at finish(). */
  onWindow?: (window: TileWindow) => void;
  tileLevels?: number;
}

export class StreamingTree {
  readonly #range = CompactRange.empty();
  readonly #hasher: TreeHasher;
  readonly #rootSizes: number[];
  #nextRoot = 0;
  readonly #roots = new Map<number, Uint8Array>();
  /** Per Merkle level, the indices to keep and (once complete) their hashes. */
  readonly #keep: Map<number, Uint8Array | undefined>[] = [];
  readonly #windows: { index: number; count: number; buf: Uint8Array }[] = [];
  readonly #onWindow: ((w: TileWindow) => void) | undefined;
  readonly #onNode = (node: StoredNode) => this.#node(node);

  constructor(options: StreamingTreeOptions = {}) {
    this.#hasher = options.hasher ?? defaultTreeHasher;
    this.#rootSizes = [...new Set(options.rootsAt ?? [])].sort((a, b) => a - b);
    for (const id of options.keep ?? []) (this.#keep[id.level] ??= new Map()).set(id.index, undefined);
    this.#onWindow = options.onWindow;
    const levels = options.onWindow ? (options.tileLevels ?? 0) : 0;
    for (let l = 0; l < levels; l++)
      this.#windows.push({ index: 0, count: 0, buf: new Uint8Array(TILE_WIDTH * HASH_SIZE) });
    this.#passRoots();
  }

  get size(): number {
    return this.#range.size;
  }

  /** Appends the next leaf hash (RFC 9162 §2.1.1 SHA-256(0x00 ‖ entry)). */
  append(leafHash: Uint8Array): void {
    this.#range.append([leafHash], this.#onNode, this.#hasher);
    this.#passRoots();
  }

  #passRoots(): void {
    const sizes = this.#rootSizes;
    while (this.#nextRoot < sizes.length && sizes[this.#nextRoot]! <= this.#range.size) {
      const s = sizes[this.#nextRoot++]!;
      if (s === this.#range.size) this.#roots.set(s, s === 0 ? emptyRoot() : this.#range.root(this.#hasher));
    }
  }

  #node({ level, index, hash }: StoredNode): void {
    const keep = this.#keep[level];
    if (keep?.has(index)) keep.set(index, hash.slice());
    if (level % TILE_HEIGHT !== 0) return;
    const w = this.#windows[level / TILE_HEIGHT];
    if (!w) return;
    w.index = Math.floor(index / TILE_WIDTH);
    w.count = (index % TILE_WIDTH) + 1;
    w.buf.set(hash, (w.count - 1) * HASH_SIZE);
    if (w.count === TILE_WIDTH) this.#emit(level / TILE_HEIGHT);
  }

  #emit(level: number): void {
    const w = this.#windows[level]!;
    if (w.count === 0) return;
    this.#onWindow!({ level, index: w.index, count: w.count, hashes: w.buf.slice(0, w.count * HASH_SIZE) });
    w.count = 0;
  }

  /** Hands out the partial tile windows (the right edge of the tree); call once, after the last append. */
  finish(): void {
    for (let level = 0; level < this.#windows.length; level++) this.#emit(level);
  }

  /** The root at a size passed in `rootsAt`, once the scan has reached it. */
  rootAt(size: number): Uint8Array | undefined {
    return this.#roots.get(size);
  }

  /** The kept subtree hashes, as a HashReader for merkle-proofs (throws for a node not kept or not complete). */
  keptReader(): HashReader {
    return {
      readHashes: (ids) =>
        ids.map(({ level, index }) => {
          const h = this.#keep[level]?.get(index);
          if (!h)
            throw new RangeError(`node ${level}/${index}: not kept, or not a complete subtree of this tree`);
          return h;
        }),
    };
  }
}
