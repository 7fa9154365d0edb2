// A compact store of ranked ballots: identical ballots are one entry with a bigint weight, so memory grows with the
// number of distinct ballots, not voters, and a deputy's ballot can carry the weight of their council.
//
// A ballot is a list of rank groups, most preferred first; candidates in one group are ranked equal. Each entry is
// encoded in one shared Int16Array: a candidate index starts a new group, `index | TIED` continues the previous
// group, and OVERVOTE marks a rank the voter spoiled (CA SB 1288 "#": the ballot stops counting there).

/** Marks an overvoted rank (a rank whose candidates are unknown or several where one is allowed). */
export const OVERVOTE = 0x3fff;
/** Flag on a code: this candidate is tied with the previous code's candidate. */
export const TIED = 0x4000;
const MAX_CANDIDATES = 0x3fff;

export class BallotStore {
  readonly candidates: readonly string[];
  private readonly byName: Map<string, number>;
  private readonly keyIndex = new Map<string, number>();
  private data = new Int16Array(1024);
  private used = 0;
  private offsets = new Uint32Array(257);
  private readonly ws: bigint[] = [];
  private total = 0n;

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
    return this.ws.length;
  }
  /** Sum of all weights (the number of voters when every weight is 1). */
  get totalWeight(): bigint {
    return this.total;
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
    this.total += weight;
    const view = codes.subarray(0, len);
    if (this.compress) {
      const key = String.fromCharCode.apply(null, view as unknown as number[]);
      const known = this.keyIndex.get(key);
      if (known !== undefined) {
        this.ws[known] = this.ws[known]! + weight;
        return;
      }
      this.keyIndex.set(key, this.ws.length);
    }
    this.append(view, weight);
  }

  private append(codes: Int16Array, weight: bigint): void {
    const n = this.ws.length;
    if (this.used + codes.length > this.data.length) {
      const bigger = new Int16Array(Math.max(this.data.length * 2, this.used + codes.length));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data.set(codes, this.used);
    this.used += codes.length;
    if (n + 2 > this.offsets.length) {
      const bigger = new Uint32Array(this.offsets.length * 2);
      bigger.set(this.offsets);
      this.offsets = bigger;
    }
    this.offsets[n + 1] = this.used;
    this.ws.push(weight);
  }

  weight(i: number): bigint {
    return this.ws[i]!;
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
        weight: this.ws[i]!,
      };
    }
  }
}
