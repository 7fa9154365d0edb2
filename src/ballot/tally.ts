// Tallying (EG 2.1 tally and decryption; docs/BALLOT-PROTOCOL.md §6): weighted aggregation of the last ballot per credential,
// proven partial decryptions, Lagrange combination of any k valid ones, baby-step giant-step decoding.
import { fromHex, toHex, u32, type RandomBytes } from './bytes.ts';
import type { Group, Point } from './group.ts';
import { pointFromHex, pointHex, scalarFromHex, type Hex } from './codec.ts';
import { prepare, type Election } from './election.ts';
import { dleqProve, dleqVerify, type DleqProof } from './dleq.ts';
import { BallotFormatError } from './errors.ts';
import type { BallotBody } from './ballot.ts';
import type { TrusteeShare } from './dkg-result.ts';

export interface CastBallot {
  ballot: BallotBody;
  at: number;
}

export interface Aggregate {
  /** Ids of the ballots counted (the last per credential, in board order). */
  counted: Hex[];
  /** Ids superseded by a later ballot of the same credential. */
  superseded: Hex[];
  ciphertexts: { alpha: Hex; beta: Hex }[][];
}

export interface PartialDecryptionBody {
  trustee: number;
  decryptions: { M: Hex; proof: DleqProof }[][];
}

export interface ResultBody {
  tallies: number[][];
  trustees: number[];
}

/** Last ballot per credential counts (revoting); each counted ballot is weighted by its credential's weight. */
export function aggregate(g: Group, election: Election, cast: readonly CastBallot[]): Aggregate {
  const { counted, superseded } = selectLast(cast);
  const chosen = new Set(counted);
  const ciphertexts = sumBallots(
    g,
    election,
    cast.filter((c) => chosen.has(c.ballot.id)).map((c) => c.ballot),
  );
  return { counted, superseded, ciphertexts };
}

/** Which ballots count: the last one per credential, in board order. */
export function selectLast(cast: readonly { ballot: { credential: Hex; id: Hex } }[]): {
  counted: Hex[];
  superseded: Hex[];
} {
  const last = new Map<Hex, number>();
  cast.forEach((c, i) => last.set(c.ballot.credential, i));
  const counted: Hex[] = [];
  const superseded: Hex[] = [];
  cast.forEach((c, i) => (last.get(c.ballot.credential) === i ? counted : superseded).push(c.ballot.id));
  return { counted, superseded };
}

/** Σ w·(α, β) per option over the given ballots; sums of disjoint chunks add up (addSums), for worker threads. */
export function sumBallots(
  g: Group,
  election: Election,
  ballots: readonly BallotBody[],
): Aggregate['ciphertexts'] {
  const prep = prepare(g, election);
  const defs = election.setup.manifest.contests;
  const acc = defs.map((d) => d.options.map(() => ({ alpha: g.identity, beta: g.identity })));
  for (const ballot of ballots) {
    const w = BigInt(prep.weights.get(ballot.credential) ?? 0);
    if (w === 0n) throw new BallotFormatError(`ballot ${ballot.id}: credential not on the list`);
    ballot.contests.forEach((contest, ci) =>
      contest.selections.forEach((s, o) => {
        const a = pointFromHex(g, s.alpha, 'alpha');
        const b = pointFromHex(g, s.beta, 'beta');
        const cell = acc[ci]![o]!;
        cell.alpha = g.add(cell.alpha, w === 1n ? a : g.mul(a, w));
        cell.beta = g.add(cell.beta, w === 1n ? b : g.mul(b, w));
      }),
    );
  }
  return acc.map((row) => row.map((ct) => ({ alpha: pointHex(g, ct.alpha), beta: pointHex(g, ct.beta) })));
}

export function addSums(
  g: Group,
  a: Aggregate['ciphertexts'],
  b: Aggregate['ciphertexts'],
): Aggregate['ciphertexts'] {
  const add = (x: Hex, y: Hex) => pointHex(g, g.add(pointFromHex(g, x, 'x'), pointFromHex(g, y, 'y')));
  return a.map((row, c) =>
    row.map((ct, o) => ({ alpha: add(ct.alpha, b[c]![o]!.alpha), beta: add(ct.beta, b[c]![o]!.beta) })),
  );
}

/** a − b, cell by cell (sums of ballots less the sums of some of them). */
export function subSums(
  g: Group,
  a: Aggregate['ciphertexts'],
  b: Aggregate['ciphertexts'],
): Aggregate['ciphertexts'] {
  const sub = (x: Hex, y: Hex) => pointHex(g, g.sub(pointFromHex(g, x, 'x'), pointFromHex(g, y, 'y')));
  return a.map((row, c) =>
    row.map((ct, o) => ({ alpha: sub(ct.alpha, b[c]![o]!.alpha), beta: sub(ct.beta, b[c]![o]!.beta) })),
  );
}

const pdContext = (fp: Uint8Array, l: number, c: number, o: number, A: Uint8Array, B: Uint8Array) => [
  'partial-decryption',
  fp,
  u32(l),
  u32(c),
  u32(o),
  A,
  B,
];

export function partialDecrypt(
  g: Group,
  election: Election,
  share: TrusteeShare,
  agg: Pick<Aggregate, 'ciphertexts'>,
  randomBytes: RandomBytes,
): PartialDecryptionBody {
  const prep = prepare(g, election);
  const s = scalarFromHex(share.secretShare, 'secretShare');
  const Kl = g.mulBase(s);
  const decryptions = agg.ciphertexts.map((row, c) =>
    row.map((ct, o) => {
      const A = pointFromHex(g, ct.alpha, 'alpha');
      const M = g.mul(A, s);
      const context = pdContext(prep.fp, share.trustee, c, o, g.encode(A), fromHex(ct.beta, 32, 'beta'));
      return {
        M: pointHex(g, M),
        proof: dleqProve(g, context, { G1: g.G, H1: Kl, G2: A, H2: M }, s, randomBytes),
      };
    }),
  );
  return { trustee: share.trustee, decryptions };
}

/** Check 7 for one trustee: null if every partial decryption is proven, else the reason. */
export function verifyPartial(
  g: Group,
  election: Election,
  agg: Pick<Aggregate, 'ciphertexts'>,
  pd: PartialDecryptionBody,
): string | null {
  const prep = prepare(g, election);
  const KlHex = election.publicShares[pd.trustee];
  if (KlHex === undefined) return `trustee ${pd.trustee} unknown`;
  try {
    const Kl = pointFromHex(g, KlHex, 'publicShare');
    for (let c = 0; c < agg.ciphertexts.length; c++) {
      for (let o = 0; o < agg.ciphertexts[c]!.length; o++) {
        const ct = agg.ciphertexts[c]![o]!;
        const d = pd.decryptions?.[c]?.[o];
        if (!d) return `missing decryption for contest ${c} option ${o}`;
        const A = pointFromHex(g, ct.alpha, 'alpha');
        const M = pointFromHex(g, d.M, 'M');
        const context = pdContext(prep.fp, pd.trustee, c, o, g.encode(A), fromHex(ct.beta, 32, 'beta'));
        if (!dleqVerify(g, context, { G1: g.G, H1: Kl, G2: A, H2: M }, d.proof)) {
          return `proof invalid for contest ${c} option ${o}`;
        }
      }
    }
    return null;
  } catch (e) {
    if (e instanceof BallotFormatError) return `encoding: ${e.message}`;
    throw e;
  }
}

/** λ_l = Π_{j∈T, j≠l} j / (j − l) mod L (EG Lagrange coefficients). */
export function lagrangeAtZero(g: Group, set: readonly number[], l: number): bigint {
  let num = 1n;
  let den = 1n;
  for (const j of set) {
    if (j === l) continue;
    num = g.scalar.mul(num, BigInt(j));
    den = g.scalar.mul(den, g.scalar.mod(BigInt(j - l)));
  }
  return g.scalar.mul(num, g.scalar.inv(den));
}

/**
 * The trustees whose partial decryptions combine (checks 7–8; docs/MIXNET.md §8 for mixed lists): every message
 * checked by `check` (null = valid), a second message of one trustee refused, a message without a trustee number
 * reported as trustee 0; then the first k valid by ascending number, with their Lagrange coefficients at 0.
 */
export function chooseTrustees<T extends { trustee: number }>(
  g: Group,
  k: number,
  partials: readonly T[],
  check: (pd: T) => string | null,
):
  | { invalid: { trustee: number; reason: string }[]; used: T[]; set: number[]; lambdas: bigint[] }
  | { invalid: { trustee: number; reason: string }[]; reason: string } {
  const invalid: { trustee: number; reason: string }[] = [];
  const valid: T[] = [];
  const seen = new Set<number>();
  const numbered = partials.filter(
    (pd) => typeof pd === 'object' && pd !== null && Number.isInteger(pd.trustee),
  );
  for (let i = numbered.length; i < partials.length; i++)
    invalid.push({ trustee: 0, reason: 'not a partial decryption with a trustee number' });
  for (const pd of [...numbered].sort((a, b) => a.trustee - b.trustee)) {
    const why = seen.has(pd.trustee) ? 'duplicate partial decryption' : check(pd);
    seen.add(pd.trustee);
    if (why === null) valid.push(pd);
    else invalid.push({ trustee: pd.trustee, reason: why });
  }
  if (valid.length < k) return { invalid, reason: `${valid.length} valid of ${k} needed` };
  const used = valid.slice(0, k);
  const set = used.map((p) => p.trustee);
  return { invalid, used, set, lambdas: set.map((l) => lagrangeAtZero(g, set, l)) };
}

/** Finds t in [0, bound] with T = t·G by baby-step giant-step, or null. */
export function discreteLog(g: Group, T: Point, bound: number): number | null {
  const m = Math.max(1, Math.ceil(Math.sqrt(bound + 1)));
  const baby = new Map<string, number>();
  let P = g.identity;
  for (let j = 0; j < m; j++) {
    baby.set(toHex(g.encode(P)), j);
    P = g.add(P, g.G);
  }
  const giant = g.neg(P); // −m·G
  let Q = T;
  for (let i = 0; i * m <= bound; i++) {
    const j = baby.get(toHex(g.encode(Q)));
    if (j !== undefined && i * m + j <= bound) return i * m + j;
    Q = g.add(Q, giant);
  }
  return null;
}

/** Combines the first k valid partial decryptions and decodes every tally (checks 7–9). */
export function combine(
  g: Group,
  election: Election,
  agg: Pick<Aggregate, 'ciphertexts'>,
  partials: readonly PartialDecryptionBody[],
): {
  ok: boolean;
  result: ResultBody | null;
  invalid: { trustee: number; reason: string }[];
  reason?: string;
} {
  const chosen = chooseTrustees(g, election.setup.k, partials, (pd) => verifyPartial(g, election, agg, pd));
  const { invalid } = chosen;
  if (!('used' in chosen)) return { ok: false, result: null, invalid, reason: chosen.reason };
  const { used, set, lambdas } = chosen;
  const tallies: number[][] = [];
  for (let c = 0; c < agg.ciphertexts.length; c++) {
    const bound = election.totalWeight * election.setup.manifest.contests[c]!.optionMax;
    const row: number[] = [];
    for (let o = 0; o < agg.ciphertexts[c]!.length; o++) {
      const Ms = used.map((p) => pointFromHex(g, p.decryptions[c]![o]!.M, 'M'));
      const M = g.msm(Ms, lambdas);
      const t = discreteLog(g, g.sub(pointFromHex(g, agg.ciphertexts[c]![o]!.beta, 'beta'), M), bound);
      if (t === null)
        return {
          ok: false,
          result: null,
          invalid,
          reason: `contest ${c} option ${o}: tally not in 0..${bound}`,
        };
      row.push(t);
    }
    tallies.push(row);
  }
  return { ok: true, result: { tallies, trustees: set }, invalid };
}
