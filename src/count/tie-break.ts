// Tie-breaking, recorded so that anyone can repeat it:
//   backwards  look back through earlier rounds, most recent first, for the first round where the tied candidates'
//              tallies differed (SSI 2007/42 Sch. 1 rr. 49(3), 50(2)); if they never differed, fall back to lot
//              when a seed is given, otherwise to the fixed order;
//   fixed      a published order, most favoured first (default: the order of the options);
//   lot        a deterministic draw: SHA-256(seed ":" draw-number) in counter mode, so the seed in the report
//              reproduces every draw.
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';

export type TieBreakKind = 'backwards' | 'fixed' | 'lot';

export interface TieBreakSpec {
  kind: TieBreakKind;
  seed?: string;
  /** For 'fixed' (and the fallback of 'backwards'): option ids, most favoured first. */
  order?: readonly string[];
}

export interface TieBreakRecord {
  round: number;
  purpose: 'exclude' | 'elect' | 'order';
  among: string[];
  chosen: string;
  reason: string;
}

/** Deterministic draws from a seed: SHA-256 in counter mode. */
export class SeededLot {
  private counter = 0;
  constructor(readonly seed: string) {}

  /** A uniform integer in [0, n) by rejection sampling over 256-bit blocks (no modulo bias). */
  below(n: number): { value: number; draw: number } {
    if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError('n must be a positive integer');
    const big = BigInt(n);
    const limit = (1n << 256n) - ((1n << 256n) % big);
    for (;;) {
      const draw = ++this.counter;
      const digest = sha256(utf8ToBytes(`${this.seed}:${draw}`));
      let x = 0n;
      for (const b of digest) x = (x << 8n) | BigInt(b);
      if (x < limit) return { value: Number(x % big), draw };
    }
  }
}

/** History of tallies: history[round-1][candidate] (undefined when the candidate had no tally that round). */
export type TallyHistory = readonly (readonly (bigint | undefined)[])[];

export class TieBreaker {
  readonly records: TieBreakRecord[] = [];
  private readonly lot: SeededLot | null;
  private readonly rank: Map<number, number>;

  constructor(
    readonly spec: TieBreakSpec,
    private readonly names: readonly string[],
  ) {
    if (!['backwards', 'fixed', 'lot'].includes(spec.kind)) {
      throw new RangeError(`tieBreak.kind must be backwards, fixed or lot, not "${String(spec.kind)}"`);
    }
    if (spec.kind === 'lot' && !spec.seed) throw new RangeError('tieBreak.seed is required for lot');
    this.lot = spec.seed ? new SeededLot(spec.seed) : null;
    const order = spec.order ?? names;
    this.rank = new Map();
    order.forEach((n, i) => {
      const c = names.indexOf(n);
      if (c < 0) throw new RangeError(`tieBreak.order names unknown option "${n}"`);
      this.rank.set(c, i);
    });
  }

  /** Choose among tied candidates: the one to exclude ('lowest') or the one to prefer ('highest'). */
  choose(
    tied: readonly number[],
    want: 'lowest' | 'highest',
    round: number,
    purpose: TieBreakRecord['purpose'],
    history: TallyHistory = [],
  ): number {
    if (tied.length === 0) throw new RangeError('tied must not be empty');
    if (tied.length === 1) return tied[0]!;
    let left = [...tied].sort((a, b) => a - b);
    let reason = '';
    if (this.spec.kind === 'backwards') {
      for (let r = history.length - 1; r >= 0 && left.length > 1; r--) {
        const row = history[r]!;
        if (left.some((c) => row[c] === undefined)) continue;
        const vals = left.map((c) => row[c]!);
        const best = vals.reduce((a, b) => (want === 'lowest' ? (b < a ? b : a) : b > a ? b : a));
        const narrowed = left.filter((c) => row[c] === best);
        if (narrowed.length < left.length) {
          reason += `round ${r + 1}: ${narrowed.map((c) => this.names[c]).join(', ')} ${want}; `;
          left = narrowed;
        }
      }
    }
    let chosen: number;
    if (left.length === 1) {
      chosen = left[0]!;
      reason += 'decided by earlier rounds';
    } else if (this.lot && this.spec.kind !== 'fixed') {
      const { value, draw } = this.lot.below(left.length);
      chosen = left[value]!;
      reason += `by lot: SHA-256("${this.lot.seed}:${draw}") mod ${left.length} = ${value} over [${left
        .map((c) => this.names[c])
        .join(', ')}]`;
    } else {
      const byOrder = [...left].sort((a, b) => this.orderOf(a) - this.orderOf(b));
      chosen = want === 'highest' ? byOrder[0]! : byOrder[byOrder.length - 1]!;
      reason += `fixed order (most favoured first): ${byOrder.map((c) => this.names[c]).join(', ')}`;
    }
    this.records.push({
      round,
      purpose,
      among: tied.map((c) => this.names[c]!),
      chosen: this.names[chosen]!,
      reason,
    });
    return chosen;
  }

  private orderOf(c: number): number {
    return this.rank.get(c) ?? Number.MAX_SAFE_INTEGER;
  }
}
