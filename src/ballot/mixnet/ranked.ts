// Ranked ballots for the mix-net (docs/MIXNET.md §6–§7): a ranking is a rank per candidate, one byte each, packed 29
// to a ristretto255 point (as Belenios packs small integers into a group element, `of_ints`), each point encrypted
// with plain ElGamal under the joint key with a Schnorr proof of knowledge of its randomness, the whole signed with
// the voter's credential. A ballot is a vector of w = ⌈C/29⌉ ciphertexts.
import { checkRandom, equalBytes, fromHex, toHex, u32, type RandomBytes } from '../bytes.ts';
import { hashBytes } from '../hash.ts';
import type { Group, Point } from '../group.ts';
import { pointFromHex, pointHex, type Hex } from '../codec.ts';
import { BallotFormatError, BallotProtocolError } from '../errors.ts';
import { credentialScalar, prepare, type Election } from '../election.ts';
import { ballotContext } from '../ballot.ts';
import { schnorrEquation, schnorrProve, schnorrVerify, type SchnorrProof } from '../schnorr.ts';
import { EquationBatch } from '../batch.ts';
import { selectLast } from '../tally.ts';
import type { MixList } from './shuffle.ts';

/** Ranks per point: bytes 2..30 of the encoding (docs/MIXNET.md §6). */
export const RANKS_PER_POINT = 29;
/** Ranks are one byte, so at most 255 candidates. */
export const MAX_RANKED_CANDIDATES = 255;

export interface RankedCiphertext {
  alpha: Hex;
  beta: Hex;
  /** Proof of knowledge of r with α = r·G (Schnorr, tag "ranked-pok"). */
  proof: SchnorrProof;
}

export interface RankedBallotBody {
  election: Hex;
  id: Hex;
  credential: Hex;
  ciphertexts: RankedCiphertext[];
  code: Hex;
  signature: SchnorrProof;
}

/** The candidates of a ranked election: the options of its single contest. */
export function rankedCandidates(election: Election): string[] {
  const contests = election.setup.manifest.contests;
  if (contests.length !== 1) throw new BallotProtocolError('a ranked election has exactly one contest');
  const options = contests[0]!.options;
  if (options.length < 1 || options.length > MAX_RANKED_CANDIDATES)
    throw new BallotProtocolError(`a ranked election has 1..${MAX_RANKED_CANDIDATES} candidates`);
  return options;
}

export const rankedWidth = (candidates: number): number => Math.ceil(candidates / RANKS_PER_POINT);

// ── the plaintext: ranks → points → ranks ────────────────────────────────────────────────────────────────────

/**
 * Ranks (one per candidate, 0 = unranked, 1 = first) from groups of equal rank, most preferred first — the shape of
 * an open ranked ballot. Throws BallotFormatError on an unknown or repeated candidate or an empty group.
 */
export function ranksOf(candidates: readonly string[], ranking: readonly (readonly string[])[]): number[] {
  const ranks = candidates.map(() => 0);
  ranking.forEach((group, gi) => {
    if (!Array.isArray(group) || group.length === 0)
      throw new BallotFormatError(`ranking[${gi}]: empty group`);
    for (const name of group) {
      const c = candidates.indexOf(name);
      if (c < 0) throw new BallotFormatError(`ranking: unknown candidate "${name}"`);
      if (ranks[c] !== 0) throw new BallotFormatError(`ranking: "${name}" ranked twice`);
      ranks[c] = gi + 1;
    }
  });
  return ranks;
}

/**
 * The point whose encoding is 00 ‖ ε ‖ payload (29 bytes) ‖ 00 for the smallest ε in 0..255 that is a valid
 * encoding (about one even s in four is; no ε fits with probability (3/4)^256).
 */
export function embed(g: Group, payload: Uint8Array): Point {
  if (payload.length !== RANKS_PER_POINT) throw new RangeError(`embed: ${RANKS_PER_POINT} bytes`);
  const s = new Uint8Array(32);
  s.set(payload, 2);
  for (let e = 0; e < 256; e++) {
    s[1] = e;
    try {
      return g.decode(s);
    } catch (err) {
      if (!(err instanceof BallotFormatError)) throw err;
    }
  }
  throw new BallotProtocolError('embed: no valid encoding for this payload');
}

/**
 * The 29 payload bytes of a point, or null when its encoding is not the one `embed` gives its payload: another layout,
 * or a larger ε than the smallest that fits. A second ε would let a voter mark a valid ranking, to be recognised in
 * the published result (docs/MIXNET.md §6.3, review finding 1); every ε below this one must not decode.
 */
export function extract(g: Group, P: Point): Uint8Array | null {
  const s = g.encode(P);
  if (s[0] !== 0 || s[31] !== 0) return null;
  const t = Uint8Array.from(s);
  for (let e = 0; e < s[1]!; e++) {
    t[1] = e;
    try {
      g.decode(t);
      return null;
    } catch (err) {
      if (!(err instanceof BallotFormatError)) throw err;
    }
  }
  return s.slice(2, 31);
}

/**
 * The points encoding a rank vector: w = ⌈C/29⌉ points, ranks in candidate order, zero padding. Any byte is
 * encoded (a hostile device can); decodeRanking decides what is valid.
 */
export function encodeRanks(g: Group, ranks: readonly number[]): Point[] {
  const w = rankedWidth(ranks.length);
  return Array.from({ length: w }, (_, k) => {
    const payload = new Uint8Array(RANKS_PER_POINT);
    for (let i = 0; i < RANKS_PER_POINT; i++) {
      const r = ranks[k * RANKS_PER_POINT + i];
      if (r === undefined) break;
      if (!Number.isInteger(r) || r < 0 || r > 255) throw new RangeError(`rank ${r}: not a byte`);
      payload[i] = r;
    }
    return embed(g, payload);
  });
}

export type DecodedRanking = { ok: true; ranking: string[][] } | { ok: false; reason: string };

/**
 * The ranking a decrypted vector encodes (docs/MIXNET.md §6 "Decoding"), or why it is invalid: a point without the
 * layout, a rank above C, a non-zero padding byte, or ranks that are not 1..g without gaps. An invalid ballot is
 * counted as invalid, never repaired.
 */
export function decodeRanking(
  candidates: readonly string[],
  payloads: readonly (Uint8Array | null)[],
): DecodedRanking {
  const C = candidates.length;
  if (payloads.length !== rankedWidth(C)) return { ok: false, reason: `expected ${rankedWidth(C)} points` };
  const ranks: number[] = [];
  for (let k = 0; k < payloads.length; k++) {
    const p = payloads[k];
    if (!p) return { ok: false, reason: `point ${k} is not an embedded ranking` };
    for (let i = 0; i < RANKS_PER_POINT; i++) {
      const at = k * RANKS_PER_POINT + i;
      if (at < C) ranks.push(p[i]!);
      else if (p[i] !== 0) return { ok: false, reason: `padding byte ${at} is ${p[i]}, not 0` };
    }
  }
  const groups: string[][] = [];
  for (let c = 0; c < C; c++) {
    const r = ranks[c]!;
    if (r > C) return { ok: false, reason: `candidate ${c} has rank ${r} > ${C}` };
    if (r > 0) (groups[r - 1] ??= []).push(candidates[c]!);
  }
  for (let gi = 0; gi < groups.length; gi++)
    if (!groups[gi])
      return { ok: false, reason: `rank ${gi + 1} is missing but rank ${groups.length} is used` };
  return { ok: true, ranking: groups };
}

// ── the ballot ────────────────────────────────────────────────────────────────────────────────────────────────

/** r_k = Hq("ranked-nonce"; H_I, ξ_B, u32(k)). */
const rankedNonce = (g: Group, hI: Uint8Array, xi: Uint8Array, k: number): bigint =>
  g.hashToScalar('ranked-nonce', [hI, xi, u32(k)]);

const pokContext = (g: Group, hI: Uint8Array, k: number, alpha: Point, beta: Point) => [
  hI,
  u32(k),
  g.encode(alpha),
  g.encode(beta),
];

/** code = H("ranked-confirmation"; H_I, enc(α_1), enc(β_1), …, enc(α_w), enc(β_w)). */
function rankedCode(g: Group, hI: Uint8Array, cts: readonly { alpha: Point; beta: Point }[]): Uint8Array {
  return hashBytes('ranked-confirmation', [
    hI,
    ...cts.flatMap((ct) => [g.encode(ct.alpha), g.encode(ct.beta)]),
  ]);
}

/** d = H("ranked-digest"; H_I, code, R_1, s_1, …, R_w, s_w). */
function rankedDigest(hI: Uint8Array, code: Uint8Array, proofs: readonly SchnorrProof[]): Uint8Array {
  return hashBytes('ranked-digest', [
    hI,
    code,
    ...proofs.flatMap((p) => [fromHex(p.R, 32, 'proof.R'), fromHex(p.s, 32, 'proof.s')]),
  ]);
}

/**
 * Encrypts a ranking (groups of equal rank, most preferred first; [] is a blank ballot) for the voter with this
 * credential. Returns the ballot to cast and the ballot nonce ξ_B, which opens it if the voter challenges it.
 */
export function encryptRanking(
  g: Group,
  election: Election,
  credentialSecret: Hex,
  ranking: readonly (readonly string[])[],
  randomBytes: RandomBytes,
): { ballot: RankedBallotBody; ballotNonce: Hex } {
  return encryptRanks(
    g,
    election,
    credentialSecret,
    ranksOf(rankedCandidates(election), ranking),
    randomBytes,
  );
}

/**
 * encryptRanking from a rank vector (one rank per candidate, 0..C). A booth never needs it; tests use it to cast the
 * ballots a hostile device could (ties, gaps), which must decrypt to invalid ballots or be counted by the method.
 */
export function encryptRanks(
  g: Group,
  election: Election,
  credentialSecret: Hex,
  ranks: readonly number[],
  randomBytes: RandomBytes,
): { ballot: RankedBallotBody; ballotNonce: Hex } {
  const { K, fp } = prepare(g, election);
  if (ranks.length !== rankedCandidates(election).length) throw new RangeError('ranks: one per candidate');
  const points = encodeRanks(g, ranks);
  const x = credentialScalar(g, credentialSecret);
  const X = g.mulBase(x);
  const id = checkRandom(randomBytes, 32);
  const xi = checkRandom(randomBytes, 32);
  const hI = ballotContext(fp, id, g.encode(X));
  const cts = points.map((M, k) => {
    const r = rankedNonce(g, hI, xi, k);
    return { alpha: g.mulBase(r), beta: g.add(M, g.mul(K, r)), r };
  });
  const code = rankedCode(g, hI, cts);
  const proofs = cts.map((ct, k) =>
    schnorrProve(g, 'ranked-pok', pokContext(g, hI, k, ct.alpha, ct.beta), ct.r, randomBytes),
  );
  const signature = schnorrProve(g, 'schnorr', [rankedDigest(hI, code, proofs)], x, randomBytes);
  return {
    ballot: {
      election: election.fingerprint,
      id: toHex(id),
      credential: pointHex(g, X),
      ciphertexts: cts.map((ct, k) => ({
        alpha: pointHex(g, ct.alpha),
        beta: pointHex(g, ct.beta),
        proof: proofs[k]!,
      })),
      code: toHex(code),
      signature,
    },
    ballotNonce: toHex(xi),
  };
}

export type RankedVerdict = { ok: true } | { ok: false; check: string; reason: string };

/** A ranked ballot past checks R.1–R.5, with what R.6 and R.7 need. */
interface Prechecked {
  hI: Uint8Array;
  X: Point;
  cts: { alpha: Point; beta: Point }[];
  proofs: SchnorrProof[];
  signature: SchnorrProof;
  /** The ranked digest d (§7.1), which the signature signs. */
  d: Uint8Array;
}

const isProof = (p: unknown): p is SchnorrProof =>
  typeof p === 'object' &&
  p !== null &&
  typeof (p as SchnorrProof).R === 'string' &&
  typeof (p as SchnorrProof).s === 'string';

/** Checks R.1–R.5; throws BallotFormatError on an encoding the caller reports as R.1. */
function precheck(
  g: Group,
  election: Election,
  ballot: RankedBallotBody,
  at: number,
  usedIds: ReadonlySet<Hex>,
): Prechecked | RankedVerdict {
  const fail = (check: string, reason: string): RankedVerdict => ({ ok: false, check, reason });
  const prep = prepare(g, election);
  if (typeof ballot !== 'object' || ballot === null) return fail('R.1', 'expected an object');
  if (ballot.election !== election.fingerprint) return fail('R.1', 'made for another election (H_E)');
  const w = rankedWidth(rankedCandidates(election).length);
  if (!Array.isArray(ballot.ciphertexts) || ballot.ciphertexts.length !== w)
    return fail('R.1', `expected ${w} ciphertexts`);
  const id = fromHex(ballot.id, 32, 'id');
  const X = pointFromHex(g, ballot.credential, 'credential');
  const cts = ballot.ciphertexts.map((ct, k) => ({
    alpha: pointFromHex(g, ct?.alpha, `ciphertexts[${k}].alpha`),
    beta: pointFromHex(g, ct?.beta, `ciphertexts[${k}].beta`),
  }));
  const proofs = ballot.ciphertexts.map((ct) => ct.proof);
  if (!proofs.every(isProof)) return fail('R.1', 'a ciphertext without a proof { R, s }');
  if (!isProof(ballot.signature)) return fail('R.1', 'signature: expected { R, s }');
  const code = fromHex(ballot.code, 32, 'code');
  if (!prep.weights.has(ballot.credential)) return fail('R.2', 'credential not on the list');
  const { opensAt, closesAt } = election.setup.manifest;
  if (!Number.isFinite(at) || at < opensAt || at > closesAt)
    return fail('R.3', 'cast outside the voting period');
  if (usedIds.has(ballot.id)) return fail('R.4', 'ballot id used before');
  const hI = ballotContext(prep.fp, id, g.encode(X));
  if (!equalBytes(code, rankedCode(g, hI, cts))) return fail('R.5', 'confirmation code does not match');
  return { hI, X, cts, proofs, signature: ballot.signature, d: rankedDigest(hI, code, proofs) };
}

const isVerdict = (x: Prechecked | RankedVerdict): x is RankedVerdict => 'ok' in x;

/**
 * Acceptance of a ranked ballot (docs/MIXNET.md §7.2, checks R.1–R.7): the server before appending, the verifier on
 * every board ballot. `usedIds` are the ids of the ballots and spoiled ballots before this one.
 */
export function checkRankedBallot(
  g: Group,
  election: Election,
  ballot: RankedBallotBody,
  at: number,
  usedIds: ReadonlySet<Hex>,
): RankedVerdict {
  try {
    const pre = precheck(g, election, ballot, at, usedIds);
    if (isVerdict(pre)) return pre;
    for (let k = 0; k < pre.cts.length; k++) {
      const ct = pre.cts[k]!;
      if (
        !schnorrVerify(g, 'ranked-pok', pokContext(g, pre.hI, k, ct.alpha, ct.beta), ct.alpha, pre.proofs[k]!)
      )
        return { ok: false, check: 'R.6', reason: `proof of knowledge invalid (ciphertext ${k})` };
    }
    if (!schnorrVerify(g, 'schnorr', [pre.d], pre.X, pre.signature))
      return { ok: false, check: 'R.7', reason: 'signature invalid' };
    return { ok: true };
  } catch (e) {
    if (e instanceof BallotFormatError) return { ok: false, check: 'R.1', reason: `encoding: ${e.message}` };
    throw e;
  }
}

/** Ballots per batch of verifyRankedBallots. */
const BATCH = 256;

/**
 * checkRankedBallot over cast ballots in board order (each id counted as used from its entry on, accepted or not),
 * with the group equations of R.6 and R.7 of up to 256 ballots checked in one weighted multi-scalar multiplication:
 * seed = H("ranked-batch-seed"; for each ballot d, R, s of its signature) — d covers H_I (H_E, id, X), the code (every
 * α, β) and every proof's R_k, s_k. A batch that fails is checked again ballot by ballot, which names the failures.
 * The verdicts are checkRankedBallot's.
 */
export function verifyRankedBallots(
  g: Group,
  election: Election,
  cast: readonly { ballot: RankedBallotBody; at: number }[],
): RankedVerdict[] {
  const verdicts: RankedVerdict[] = [];
  const used = new Set<Hex>();
  let pending: { index: number; pre: Prechecked }[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const seed = hashBytes(
      'ranked-batch-seed',
      pending.flatMap(({ pre }) => [
        pre.d,
        fromHex(pre.signature.R, 32, 'R'),
        fromHex(pre.signature.s, 32, 's'),
      ]),
    );
    const batch = new EquationBatch(g, prepare(g, election).K, seed);
    try {
      for (const { pre } of pending) {
        pre.cts.forEach((ct, k) =>
          schnorrEquation(
            g,
            batch,
            'ranked-pok',
            pokContext(g, pre.hI, k, ct.alpha, ct.beta),
            ct.alpha,
            pre.proofs[k]!,
          ),
        );
        schnorrEquation(g, batch, 'schnorr', [pre.d], pre.X, pre.signature);
      }
      if (batch.check()) {
        for (const { index } of pending) verdicts[index] = { ok: true };
        pending = [];
        return;
      }
    } catch (e) {
      if (!(e instanceof BallotFormatError)) throw e;
    }
    // these passed R.1–R.5 (R.4 against the ids before them), so an empty set of used ids gives the same verdict
    for (const { index } of pending)
      verdicts[index] = checkRankedBallot(g, election, cast[index]!.ballot, cast[index]!.at, new Set());
    pending = [];
  };
  cast.forEach((c, index) => {
    try {
      const pre = precheck(g, election, c?.ballot, c?.at, used);
      if (isVerdict(pre)) verdicts[index] = pre;
      else pending.push({ index, pre });
    } catch (e) {
      if (!(e instanceof BallotFormatError)) throw e;
      verdicts[index] = { ok: false, check: 'R.1', reason: `encoding: ${e.message}` };
    }
    if (typeof c?.ballot?.id === 'string') used.add(c.ballot.id);
    if (pending.length === BATCH) flush();
  });
  flush();
  return verdicts;
}

/** Opens a challenged ranked ballot with its nonce: the ranking, or why the nonce does not open it. */
export function openRanked(
  g: Group,
  election: Election,
  ballot: RankedBallotBody,
  ballotNonce: Hex,
): DecodedRanking {
  const { K, fp } = prepare(g, election);
  if (typeof ballot !== 'object' || ballot === null || !Array.isArray(ballot.ciphertexts))
    return { ok: false, reason: 'not a ranked ballot' };
  try {
    const hI = ballotContext(
      fp,
      fromHex(ballot.id, 32, 'id'),
      g.encode(pointFromHex(g, ballot.credential, 'X')),
    );
    const xi = fromHex(ballotNonce, 32, 'ballotNonce');
    const payloads = ballot.ciphertexts.map((ct, k) => {
      const r = rankedNonce(g, hI, xi, k);
      if (!g.eq(pointFromHex(g, ct?.alpha, 'alpha'), g.mulBase(r)))
        throw new BallotFormatError(`nonce does not open ciphertext ${k}`);
      return extract(g, g.sub(pointFromHex(g, ct?.beta, 'beta'), g.mul(K, r)));
    });
    return decodeRanking(rankedCandidates(election), payloads);
  } catch (e) {
    if (e instanceof BallotFormatError) return { ok: false, reason: e.message };
    throw e;
  }
}

/** A challenged ranked ballot's `spoiled` entry: the ballot, its nonce and the ranking it opens to. */
export interface SpoiledRankedBody {
  ballot: RankedBallotBody;
  ballotNonce: Hex;
  ranking: string[][];
}

/** The spoiled entry for a challenged ranked ballot; throws BallotFormatError if the nonce does not open it. */
export function spoilRanked(
  g: Group,
  election: Election,
  ballot: RankedBallotBody,
  ballotNonce: Hex,
): SpoiledRankedBody {
  const opened = openRanked(g, election, ballot, ballotNonce);
  if (!opened.ok) throw new BallotFormatError(`ballotNonce: ${opened.reason}`);
  return { ballot, ballotNonce, ranking: opened.ranking };
}

/** Null when the nonce opens the ballot to exactly the shown ranking, else why not (the verifier's check of it). */
export function verifySpoiledRanked(g: Group, election: Election, spoiled: SpoiledRankedBody): string | null {
  const opened = openRanked(g, election, spoiled?.ballot, spoiled?.ballotNonce);
  if (!opened.ok) return opened.reason;
  return JSON.stringify(opened.ranking) === JSON.stringify(spoiled.ranking)
    ? null
    : `shown ranking ${JSON.stringify(spoiled.ranking)} differs from ${JSON.stringify(opened.ranking)}`;
}

/**
 * The list the first mixer takes (docs/MIXNET.md §7 "Into the mix"): the last cast ballot of each credential, in
 * board order, each repeated `weight` times, without its proofs.
 */
export function mixInput(
  election: Election,
  cast: readonly { ballot: RankedBallotBody; at: number }[],
): MixList {
  const { counted } = selectLast(cast);
  const chosen = new Set(counted);
  const weights = new Map(election.credentials.map((c) => [c.credential, c.weight]));
  const out: MixList = [];
  for (const { ballot } of cast) {
    if (!chosen.has(ballot.id)) continue;
    const v = ballot.ciphertexts.map((ct) => ({ alpha: ct.alpha, beta: ct.beta }));
    for (let i = 0; i < (weights.get(ballot.credential) ?? 0); i++) out.push(v);
  }
  return out;
}
