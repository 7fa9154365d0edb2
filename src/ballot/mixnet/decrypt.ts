// Decryption of the mixed list (docs/MIXNET.md §8): each trustee's partial decryption M = s_l·α of every ciphertext
// with a Chaum–Pedersen proof (as the homomorphic tally's, tally.ts), checked in one weighted multi-scalar
// multiplication per trustee; the first k valid trustees combined with Lagrange coefficients at 0 (tally.ts); each
// plaintext point β − M read back as a ranking (ranked.ts).
import { concat, fromHex, u32, type RandomBytes } from '../bytes.ts';
import type { Group, Point } from '../group.ts';
import type { Ciphertext } from '../elgamal.ts';
import { hashBytes } from '../hash.ts';
import { pointFromHex, pointHex, scalarFromHex, type Hex } from '../codec.ts';
import { dleqEquation, dleqProve, type DleqProof } from '../dleq.ts';
import { EquationBatch } from '../batch.ts';
import { BallotFormatError } from '../errors.ts';
import { prepare, type Election } from '../election.ts';
import type { TrusteeShare } from '../dkg-result.ts';
import { chooseTrustees } from '../tally.ts';
import { decodeList, type MixList } from './shuffle.ts';
import { decodeRanking, extract, rankedCandidates, type DecodedRanking } from './ranked.ts';

/** A trustee's `mix-decryption` message: M and its proof for every ciphertext of the last mixer's list. */
export interface MixDecryptionBody {
  trustee: number;
  decryptions: { M: Hex; proof: DleqProof }[][];
}

/** The `mix-result` message: every plaintext point's encoding, and the trustees combined. */
export interface MixResultBody {
  plaintexts: Hex[][];
  trustees: number[];
}

/** Context of the proof for ciphertext (i, k): ("mix-decryption", H_E, u32(l), u32(i), u32(k), enc(α), enc(β)). */
const context = (fp: Uint8Array, l: number, i: number, k: number, alpha: Uint8Array, beta: Uint8Array) => [
  'mix-decryption',
  fp,
  u32(l),
  u32(i),
  u32(k),
  alpha,
  beta,
];

/** Trustee `share.trustee` decrypts its part of every ciphertext of the final list, with proofs. */
export function mixPartialDecrypt(
  g: Group,
  election: Election,
  share: TrusteeShare,
  list: MixList,
  randomBytes: RandomBytes,
): MixDecryptionBody {
  const { fp } = prepare(g, election);
  const s = scalarFromHex(share.secretShare, 'secretShare');
  const Kl = g.mulBase(s);
  const cts = decodeList(g, list, 'list');
  return {
    trustee: share.trustee,
    decryptions: cts.map((v, i) =>
      v.map((ct, k) => {
        const M = g.mul(ct.alpha, s);
        const ctx = context(fp, share.trustee, i, k, g.encode(ct.alpha), g.encode(ct.beta));
        return {
          M: pointHex(g, M),
          proof: dleqProve(g, ctx, { G1: g.G, H1: Kl, G2: ct.alpha, H2: M }, s, randomBytes),
        };
      }),
    ),
  };
}

/**
 * Null if every partial decryption of `pd` is proven, else the reason. The proofs are checked together: weights from
 * seed = H("mix-decryption-seed"; H_E, u32(l), enc(K_l), H("mix-list"; E(list)), every M ‖ a1 ‖ a2 ‖ s), one
 * multi-scalar multiplication; a failed batch is checked again one proof at a time to name the ciphertext.
 */
export function verifyMixPartial(
  g: Group,
  election: Election,
  list: MixList,
  pd: MixDecryptionBody,
): string | null {
  try {
    return verifyDecodedPartial(g, election, decodedList(g, list), pd);
  } catch (e) {
    if (e instanceof BallotFormatError) return `encoding: ${e.message}`;
    throw e;
  }
}

interface DecodedList {
  cts: Ciphertext[][];
  /** H("mix-list"; E(list)). */
  hash: Uint8Array;
}

function decodedList(g: Group, list: MixList): DecodedList {
  const cts = decodeList(g, list, 'list');
  const bytes = concat(cts.flatMap((v) => v.flatMap((ct) => [g.encode(ct.alpha), g.encode(ct.beta)])));
  return { cts, hash: hashBytes('mix-list', [bytes]) };
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

function verifyDecodedPartial(
  g: Group,
  election: Election,
  list: DecodedList,
  pd: MixDecryptionBody,
): string | null {
  const { fp } = prepare(g, election);
  if (!isObject(pd)) return 'expected an object';
  const KlHex = election.publicShares[pd.trustee];
  if (KlHex === undefined) return `trustee ${String(pd.trustee)} unknown`;
  try {
    const Kl = pointFromHex(g, KlHex, 'publicShare');
    const { cts } = list;
    if (!Array.isArray(pd.decryptions) || pd.decryptions.length !== cts.length)
      return `expected ${cts.length} rows of decryptions`;
    const all: Uint8Array[] = [];
    const rows = pd.decryptions.map((row, i) => {
      if (!Array.isArray(row) || row.length !== cts[i]!.length)
        throw new BallotFormatError(`decryptions[${i}]: expected ${cts[i]!.length} decryptions`);
      return row.map((d: unknown, k) => {
        const where = `decryptions[${i}][${k}]`;
        if (!isObject(d) || !isObject(d.proof)) throw new BallotFormatError(`${where}: not a decryption`);
        const proof = d.proof as unknown as DleqProof;
        all.push(
          fromHex(d.M as string, 32, `${where}.M`),
          fromHex(proof.a1, 32, `${where}.proof.a1`),
          fromHex(proof.a2, 32, `${where}.proof.a2`),
          fromHex(proof.s, 32, `${where}.proof.s`),
        );
        return { M: pointFromHex(g, d.M as string, `${where}.M`), proof };
      });
    });
    const seed = hashBytes('mix-decryption-seed', [
      fp,
      u32(pd.trustee),
      g.encode(Kl),
      list.hash,
      concat(all),
    ]);
    const one = (batch: EquationBatch, i: number, k: number) => {
      const ct = cts[i]![k]!;
      const d = rows[i]![k]!;
      const ctx = context(fp, pd.trustee, i, k, g.encode(ct.alpha), g.encode(ct.beta));
      dleqEquation(g, batch, ctx, { G1: g.G, H1: Kl, G2: ct.alpha, H2: d.M }, d.proof);
    };
    const batch = new EquationBatch(g, Kl, seed);
    rows.forEach((row, i) => row.forEach((_, k) => one(batch, i, k)));
    if (batch.check()) return null;
    for (let i = 0; i < rows.length; i++)
      for (let k = 0; k < rows[i]!.length; k++) {
        const single = new EquationBatch(g, Kl, hashBytes('mix-decryption-seed', [seed, u32(i), u32(k)]));
        one(single, i, k);
        if (!single.check()) return `proof invalid for ballot ${i} position ${k}`;
      }
    return 'proof invalid';
  } catch (e) {
    if (e instanceof BallotFormatError) return `encoding: ${e.message}`;
    throw e;
  }
}

export interface MixCombination {
  ok: boolean;
  result: MixResultBody | null;
  invalid: { trustee: number; reason: string }[];
  reason?: string;
}

/**
 * Checks every partial decryption and combines the first k valid ones (lowest indices) into the plaintext points.
 * `checked` names partials whose proofs were verified against this very list already (the server's, for those it
 * logged): they are not verified again.
 */
export function combineMix(
  g: Group,
  election: Election,
  list: MixList,
  partials: readonly MixDecryptionBody[],
  checked: (pd: MixDecryptionBody) => boolean = () => false,
): MixCombination {
  const invalid: { trustee: number; reason: string }[] = [];
  let decoded: DecodedList;
  try {
    decoded = decodedList(g, list);
  } catch (e) {
    if (e instanceof BallotFormatError)
      return { ok: false, result: null, invalid, reason: `list: ${e.message}` };
    throw e;
  }
  const chosen = chooseTrustees(g, election.setup.k, partials, (pd) =>
    checked(pd) ? null : verifyDecodedPartial(g, election, decoded, pd),
  );
  invalid.push(...chosen.invalid);
  if (!('used' in chosen)) return { ok: false, result: null, invalid, reason: chosen.reason };
  const { used, set, lambdas } = chosen;
  const plaintexts = decoded.cts.map((v, i) =>
    v.map((ct, j) => {
      const Ms: Point[] = used.map((p) => pointFromHex(g, p.decryptions[i]![j]!.M, 'M'));
      return pointHex(g, g.sub(ct.beta, g.msm(Ms, lambdas)));
    }),
  );
  return { ok: true, result: { plaintexts, trustees: set }, invalid };
}

/** Every plaintext vector read as a ranking (valid) or an invalid ballot with the reason, in list order. */
export function decodeRankings(g: Group, election: Election, result: MixResultBody): DecodedRanking[] {
  const candidates = rankedCandidates(election);
  return result.plaintexts.map((row) => {
    try {
      return decodeRanking(
        candidates,
        row.map((h) => extract(g, pointFromHex(g, h, 'plaintext'))),
      );
    } catch (e) {
      if (e instanceof BallotFormatError) return { ok: false, reason: `encoding: ${e.message}` };
      throw e;
    }
  });
}

/** Whether a published result is the combination of the partial decryptions (the verifier's check M.4). */
export function verifyMixResult(
  g: Group,
  election: Election,
  list: MixList,
  partials: readonly MixDecryptionBody[],
  result: MixResultBody,
): string | null {
  const again = combineMix(g, election, list, partials);
  if (!again.ok || !again.result) return again.reason ?? 'no combination';
  // every share on the board must verify, none repeated: the server logs no other (docs/MIXNET.md §9, M.3)
  const bad = again.invalid[0];
  if (bad) return `decryption of trustee ${bad.trustee}: ${bad.reason}`;
  if (JSON.stringify(again.result.trustees) !== JSON.stringify(result?.trustees))
    return `trustees ${JSON.stringify(result?.trustees)} are not the first ${election.setup.k} valid ${JSON.stringify(again.result.trustees)}`;
  const a = again.result.plaintexts;
  if (!Array.isArray(result.plaintexts) || result.plaintexts.length !== a.length)
    return 'wrong number of plaintexts';
  for (let i = 0; i < a.length; i++)
    for (let k = 0; k < a[i]!.length; k++)
      if (result.plaintexts[i]?.[k] !== a[i]![k])
        return `plaintext ${i} position ${k} differs from the combination`;
  return null;
}
