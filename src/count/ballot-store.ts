// A compact store of ranked ballots: identical ballots are one entry with a bigint weight, so memory grows with the
// number of distinct ballots, not voters, and a deputy's ballot can carry the weight of their council.
//
// A ballot is a list of rank groups, most preferred first; candidates in one group are ranked equal. Each entry is
// encoded in one shared Int16Array: a candidate index starts a new group, `index | TIED` continues the previous
// group, and OVERVOTE marks a rank the voter spoiled (CA SB 1288 "#": the ballot stops counting there).
//
// Everything is held in typed arrays: the codes, the entries' offsets, an open-addressing hash table of entries
// (so an identical ballot is found without building a string key), and the weights, which are doubles while the
// total weight stays an exact integer below 2^53 and bigints beyond.

/** Marks an overvoted rank (a rank whose candidates are unknown or several where one is allowed). */
export const OVERVOTE = 0x3fff;
/** Flag on a code: this candidate is tied with the previous code's candidate. */
export const TIED = 0x4000;
const MAX_CANDIDATES = 0x3fff;
const SAFE = Number.MAX_SAFE_INTEGER;

/** The finaliser of MurmurHash3: spreads every bit of h into the low bits the hash table uses. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export class BallotStore {
  readonly candidates: readonly string[];
  private readonly byName: Map<string, number>;
  private data = new Int16Array(1024);
  private used = 0;
  private offsets = new Uint32Array(257);
  private count = 0;
  /** Weights as exact integers in doubles while the total is at most 2^53 - 1; then `bigWs` takes over. */
  private ws = new Float64Array(256);
  private bigWs: bigint[] | null = null;
  private totalNum = 0;
  private totalBig = 0n;
  /** Open addressing: slot → entry index + 1 (0 = empty); a power of two, at most half full. */
  private slots = new Int32Array(1024);
  private overvotes = false;

  private readonly compress: boolean;
  /** Reused per add: the codes being built, and a stamp per candidate to drop repetitions without a Set. */
  private scratch: Int16Array;
  private readonly seen: Uint32Array;
  private stampNo = 0;

  /** `compress: false` keeps every ballot as its own entry (a per-ballot baseline for benchmarks and tests). */
  constructor(candidates: readonly string[], options: { compress?: boolean } = {}) {
    this.compress = options.compress ?? true;
    // Each candidate at most once, plus any number of overvote marks (bounded by the ranks given).
    this.scratch = new Int16Array(candidates.length + 64);
    this.seen = new Uint32Array(candidates.length);
    if (candidates.length > MAX_CANDIDATES)
      throw new RangeError(`candidates must be at most ${MAX_CANDIDATES}`);
    if (new Set(candidates).size !== candidates.length) throw new RangeError('candidates must be distinct');
    this.candidates = [...candidates];
    this.byName = new Map(candidates.map((c, i) => [c, i]));
  }

  /** Number of distinct ballots. */
  get size(): number {
    return this.count;
  }
  /** Sum of all weights (the number of voters when every weight is 1). */
  get totalWeight(): bigint {
    return this.bigWs ? this.totalBig : BigInt(this.totalNum);
  }
  /** True when some entry holds an OVERVOTE code. */
  get hasOvervotes(): boolean {
    return this.overvotes;
  }
  indexOf(name: string): number {
    const i = this.byName.get(name);
    if (i === undefined) throw new RangeError(`unknown candidate "${name}"`);
    return i;
  }

  /** Add a ballot given as groups of candidate names (most preferred first). */
  addNames(groups: readonly (readonly string[])[], weight: bigint = 1n): void {
    this.add(
      groups.map((g) => g.map((n) => (n === '#' ? OVERVOTE : this.indexOf(n)))),
      weight,
    );
  }

  /**
   * Add a ballot given as groups of candidate indices. A candidate's later repetitions are dropped (only its most
   * preferred rank counts), empty groups are dropped, an OVERVOTE stands alone in its group.
   */
  add(groups: readonly (readonly number[])[], weight: bigint = 1n): void {
    if (typeof weight !== 'bigint' || weight <= 0n) throw new RangeError('weight must be a positive bigint');
    let overvotes = 0;
    for (const group of groups) for (const c of group) if (c === OVERVOTE) overvotes++;
    if (this.candidates.length + overvotes > this.scratch.length) {
      this.scratch = new Int16Array(this.candidates.length + overvotes);
    }
    const codes = this.scratch;
    const stamp = ++this.stampNo;
    let len = 0;
    for (const group of groups) {
      let first = true;
      for (const c of group) {
        if (c === OVERVOTE) {
          codes[len++] = OVERVOTE;
          first = false;
          continue;
        }
        if (!Number.isInteger(c) || c < 0 || c >= this.candidates.length) {
          throw new RangeError(`ballot names candidate index ${c} out of range`);
        }
        if (this.seen[c] === stamp) continue;
        this.seen[c] = stamp;
        codes[len++] = first ? c : c | TIED;
        first = false;
      }
    }
    this.insert(codes, len, weight <= BigInt(SAFE) ? Number(weight) : weight);
  }

  /**
   * Add a ballot already encoded (the form `codes(i)` returns): the first `length` codes of `codes`, which are
   * copied. For readers that parse straight into codes; the encoding is checked (each candidate once and in range,
   * no TIED flag on the first code) so a wrong one cannot enter the store. `weight` is a positive safe integer or
   * a positive bigint.
   */
  addCodes(codes: Int16Array, length: number, weight: number | bigint): void {
    if (typeof weight === 'bigint' ? weight <= 0n : !Number.isSafeInteger(weight) || weight <= 0) {
      throw new RangeError('weight must be a positive integer');
    }
    const stamp = ++this.stampNo;
    const n = this.candidates.length;
    for (let k = 0; k < length; k++) {
      const code = codes[k]!;
      if (code === OVERVOTE) continue;
      const c = code & ~TIED;
      if (code < 0 || c >= n || (k === 0 && code !== c)) throw new RangeError(`bad ballot code ${code}`);
      if (this.seen[c] === stamp) throw new RangeError(`ballot repeats candidate index ${c}`);
      this.seen[c] = stamp;
    }
    this.insert(codes, length, weight);
  }

  private insert(codes: Int16Array, len: number, weight: number | bigint): void {
    this.addToTotal(weight);
    if (!this.compress) return this.append(codes, len, weight);
    // FNV-1a over the codes, the length mixed in.
    let h = 0x811c9dc5 ^ len;
    for (let k = 0; k < len; k++) h = Math.imul(h ^ codes[k]!, 0x01000193);
    h = mix(h);
    const mask = this.slots.length - 1;
    const data = this.data;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s]! - 1;
      if (e < 0) {
        this.slots[s] = this.count + 1;
        this.append(codes, len, weight);
        if (this.count * 2 > this.slots.length) this.rehash();
        return;
      }
      const start = this.offsets[e]!;
      if (this.offsets[e + 1]! - start !== len) continue;
      let k = 0;
      while (k < len && data[start + k] === codes[k]) k++;
      if (k === len) {
        this.addToEntry(e, weight);
        return;
      }
    }
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let e = 0; e < this.count; e++) {
      const start = this.offsets[e]!;
      const end = this.offsets[e + 1]!;
      let h = 0x811c9dc5 ^ (end - start);
      for (let k = start; k < end; k++) h = Math.imul(h ^ this.data[k]!, 0x01000193);
      h = mix(h);
      let s = h & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = e + 1;
    }
    this.slots = slots;
  }

  private addToTotal(weight: number | bigint): void {
    if (!this.bigWs && typeof weight === 'number' && this.totalNum + weight <= SAFE) {
      this.totalNum += weight;
      return;
    }
    this.toBig();
    this.totalBig += BigInt(weight);
  }

  /** Leave the double weights for bigints (the total passed 2^53 - 1). */
  private toBig(): void {
    if (this.bigWs) return;
    this.bigWs = Array.from(this.ws.subarray(0, this.count), (w) => BigInt(w));
    this.totalBig = BigInt(this.totalNum);
  }

  private addToEntry(e: number, weight: number | bigint): void {
    if (this.bigWs) this.bigWs[e] = this.bigWs[e]! + BigInt(weight);
    else this.ws[e] = this.ws[e]! + (weight as number); // the total is safe, so every entry's sum is too
  }

  private append(codes: Int16Array, len: number, weight: number | bigint): void {
    const n = this.count;
    if (this.used + len > this.data.length) {
      const bigger = new Int16Array(Math.max(this.data.length * 2, this.used + len));
      bigger.set(this.data);
      this.data = bigger;
    }
    for (let k = 0; k < len; k++) {
      const code = codes[k]!;
      if (code === OVERVOTE) this.overvotes = true;
      this.data[this.used + k] = code;
    }
    this.used += len;
    if (n + 2 > this.offsets.length) {
      const bigger = new Uint32Array(this.offsets.length * 2);
      bigger.set(this.offsets);
      this.offsets = bigger;
    }
    this.offsets[n + 1] = this.used;
    if (this.bigWs) this.bigWs.push(BigInt(weight));
    else {
      if (n >= this.ws.length) {
        const bigger = new Float64Array(this.ws.length * 2);
        bigger.set(this.ws);
        this.ws = bigger;
      }
      this.ws[n] = weight as number;
    }
    this.count = n + 1;
  }

  weight(i: number): bigint {
    return this.bigWs ? this.bigWs[i]! : BigInt(this.ws[i]!);
  }
  /**
   * The weights as exact integers in doubles (a view: do not modify), or null when the total weight is beyond
   * 2^53 - 1 and only `weight(i)` is exact. Any sum of these weights is exact too.
   */
  get numberWeights(): Float64Array | null {
    return this.bigWs ? null : this.ws.subarray(0, this.count);
  }
  /** The raw codes of entry i (a view: do not modify). */
  codes(i: number): Int16Array {
    return this.data.subarray(this.offsets[i]!, this.offsets[i + 1]!);
  }
  /** Start and end offsets of entry i in `rawData`, for hot loops. */
  start(i: number): number {
    return this.offsets[i]!;
  }
  end(i: number): number {
    return this.offsets[i + 1]!;
  }
  get rawData(): Int16Array {
    return this.data;
  }

  /**
   * The same ballots under other candidate names (same number of candidates, distinct): for readers that learn
   * the names after the ballots (BLT). Shares nothing mutable with this store, which should no longer be added to.
   */
  renamed(candidates: readonly string[]): BallotStore {
    if (candidates.length !== this.candidates.length)
      throw new RangeError('renamed: wrong number of candidates');
    const s = new BallotStore(candidates, { compress: this.compress });
    s.data = this.data;
    s.used = this.used;
    s.offsets = this.offsets;
    s.count = this.count;
    s.ws = this.ws;
    s.bigWs = this.bigWs;
    s.totalNum = this.totalNum;
    s.totalBig = this.totalBig;
    s.slots = this.slots;
    s.overvotes = this.overvotes;
    return s;
  }

  /** Entry i decoded as groups of candidate indices (OVERVOTE included as its own group). */
  groups(i: number): number[][] {
    const out: number[][] = [];
    for (const code of this.codes(i)) {
      if (code & TIED && code !== OVERVOTE) out[out.length - 1]!.push(code & ~TIED);
      else out.push([code]);
    }
    return out;
  }

  /** Every entry as { groups of names, weight }, in insertion order. */
  *entries(): Generator<{ ranking: string[][]; weight: bigint }> {
    for (let i = 0; i < this.size; i++) {
      yield {
        ranking: this.groups(i).map((g) => g.map((c) => (c === OVERVOTE ? '#' : this.candidates[c]!))),
        weight: this.weight(i),
      };
    }
  }
}
