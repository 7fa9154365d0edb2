// Ballot acceptance = verifier check 5 (docs/BALLOT-PROTOCOL.md §5 "Acceptance", §8): the server runs
// checkBallot before appending; the verifier runs verifyBallotBody on every board ballot.
import { fromHex, toHex, type RandomBytes } from './bytes.ts';
import type { Group, Point } from './group.ts';
import { pointFromHex } from './codec.ts';
import type { Ciphertext } from './elgamal.ts';
import { BallotFormatError } from './errors.ts';
import { prepare, type Election, type Prepared } from './election.ts';
import {
  decodeRangeProof,
  rangeChallengeOk,
  rangeEquations,
  rangeVerifyDecoded,
  type DecodedProof,
} from './range-proof.ts';
import { decodeSchnorr, schnorrEquationDecoded, schnorrVerify, type DecodedSchnorr } from './schnorr.ts';
import { EquationBatch } from './batch.ts';
import { hashBytes } from './hash.ts';
import {
  ballotContext,
  digestOfProofs,
  confirmationCode,
  contestHash,
  proofContext,
  SUM_OPTION,
  type BallotBody,
} from './ballot.ts';

export type Verdict = { ok: true } | { ok: false; check: string; reason: string };

export interface DecodedBallot {
  hI: Uint8Array;
  X: Point;
  cts: Ciphertext[][];
  proofs: DecodedProof[][];
  sumProofs: DecodedProof[];
}

const fail = (check: string, reason: string): Verdict => ({ ok: false, check, reason });

/** The ballot digest from the bytes decodeBallot read (no second parse of the proofs' hex). */
function decodedDigest(g: Group, d: DecodedBallot, code: Uint8Array): Uint8Array {
  const fields: Uint8Array[] = [];
  d.proofs.forEach((row, c) => {
    for (const p of row) fields.push(...p.bytes);
    fields.push(...d.sumProofs[c]!.bytes);
  });
  return digestOfProofs(d.hI, code, fields, g.hashBytes);
}

/** Shape and canonical encodings (check 5.1); throws BallotFormatError naming the field. */
export function decodeBallot(g: Group, prep: Prepared, ballot: BallotBody): DecodedBallot {
  const defs = prep.election.setup.manifest.contests;
  if (typeof ballot !== 'object' || ballot === null) throw new BallotFormatError('ballot: not an object');
  const id = fromHex(ballot.id, 32, 'ballot.id');
  fromHex(ballot.code, 32, 'ballot.code');
  const X = pointFromHex(g, ballot.credential, 'ballot.credential');
  if (!Array.isArray(ballot.contests) || ballot.contests.length !== defs.length) {
    throw new BallotFormatError(`ballot.contests: expected ${defs.length}`);
  }
  const cts: Ciphertext[][] = [];
  const proofs: DecodedProof[][] = [];
  const sumProofs: DecodedProof[] = [];
  ballot.contests.forEach((c, i) => {
    const def = defs[i]!;
    if (!Array.isArray(c?.selections) || c.selections.length !== def.options.length) {
      throw new BallotFormatError(`ballot.contests[${i}].selections: expected ${def.options.length}`);
    }
    const where = (o: number) => `contests[${i}].selections[${o}]`;
    cts.push(
      c.selections.map((s, o) => ({
        alpha: pointFromHex(g, s?.alpha, `${where(o)}.alpha`),
        beta: pointFromHex(g, s?.beta, `${where(o)}.beta`),
      })),
    );
    proofs.push(
      c.selections.map((s, o) => decodeRangeProof(g, s?.proof, def.optionMax + 1, `${where(o)}.proof`)),
    );
    sumProofs.push(decodeRangeProof(g, c.sumProof, def.max - def.min + 1, `contests[${i}].sumProof`));
  });
  fromHex(ballot.signature?.R ?? '', 32, 'signature.R');
  fromHex(ballot.signature?.s ?? '', 32, 'signature.s');
  return { hI: ballotContext(prep.fp, id, g.encode(X), g.hashBytes), X, cts, proofs, sumProofs };
}

function checkProofs(g: Group, prep: Prepared, d: DecodedBallot): Verdict {
  const defs = prep.election.setup.manifest.contests;
  for (let c = 0; c < defs.length; c++) {
    const def = defs[c]!;
    let sum: Ciphertext = { alpha: g.identity, beta: g.identity };
    for (let o = 0; o < def.options.length; o++) {
      const ct = d.cts[c]![o]!;
      const st = {
        K: prep.K,
        ct,
        lo: 0,
        hi: def.optionMax,
        context: proofContext(d.hI, c, o, 0, def.optionMax),
      };
      if (!rangeVerifyDecoded(g, st, d.proofs[c]![o]!)) {
        return fail('5.6', `range proof invalid (contest ${c}, option ${o})`);
      }
      sum = { alpha: g.add(sum.alpha, ct.alpha), beta: g.add(sum.beta, ct.beta) };
    }
    const st = {
      K: prep.K,
      ct: sum,
      lo: def.min,
      hi: def.max,
      context: proofContext(d.hI, c, SUM_OPTION, def.min, def.max),
    };
    if (!rangeVerifyDecoded(g, st, d.sumProofs[c]!)) {
      return fail('5.7', `sum proof invalid (contest ${c})`);
    }
  }
  return { ok: true };
}

/** Checks 5.2 and 5.3, lookups only: the credential on the list and the time within the vote's. */
function listedInTime(prep: Prepared, ballot: BallotBody, at: number): Verdict {
  const m = prep.election.setup.manifest;
  if (!prep.weights.has(ballot.credential)) return fail('5.2', 'credential not on the list');
  if (!Number.isFinite(at) || at < m.opensAt) return fail('5.3', 'cast before opening');
  if (at > m.closesAt) return fail('5.3', 'cast after closing');
  return { ok: true };
}

/** Check 5.8 against the ids already cast or spoiled (a ballot without a string id fails 5.1 later). */
const idReused = (ballot: BallotBody, usedIds: { has(id: string): boolean }): boolean =>
  typeof ballot?.id === 'string' && usedIds.has(ballot.id);

function verifyDecoded(g: Group, prep: Prepared, ballot: BallotBody, d: DecodedBallot, at: number): Verdict {
  const listed = listedInTime(prep, ballot, at);
  if (!listed.ok) return listed;
  const hashes = d.cts.map((row, c) => contestHash(g, d.hI, c, row));
  const code = confirmationCode(d.hI, hashes, g.hashBytes);
  if (toHex(code) !== ballot.code) return fail('5.4', 'confirmation code does not match the ciphertexts');
  const digest = decodedDigest(g, d, code);
  if (!schnorrVerify(g, 'schnorr', [digest], d.X, ballot.signature)) return fail('5.5', 'signature invalid');
  return checkProofs(g, prep, d);
}

/** Checks 5.1–5.7 of one ballot cast at time `at` (ms). Stateless, so ballots can be checked in any chunking. */
export function verifyBallotBody(g: Group, election: Election, ballot: BallotBody, at: number): Verdict {
  const prep = prepare(g, election);
  if (ballot?.election !== election.fingerprint) return fail('5.1', 'wrong election fingerprint');
  try {
    return verifyDecoded(g, prep, ballot, decodeBallot(g, prep, ballot), at);
  } catch (e) {
    if (e instanceof BallotFormatError) return fail('5.1', `encoding: ${e.message}`);
    throw e;
  }
}

/** What the server runs before appending a ballot: check 5.8 (id never used, cast or spoiled) and 5.1–5.7. */
export function checkBallot(
  g: Group,
  election: Election,
  ballot: BallotBody,
  at: number,
  usedIds: { has(id: string): boolean },
): Verdict {
  if (idReused(ballot, usedIds)) return fail('5.8', 'ballot id reused');
  return verifyBallotBody(g, election, ballot, at);
}

/**
 * The part of checkBallot that stays in the organisation's queue when checks 5.1 and 5.4–5.7 of this very ballot
 * passed before it (BallotCrypto.preverified): the election's fingerprint, the credential on the list (5.2), the
 * time (5.3) and the id never used (5.8), all lookups. Those proof checks were made against the same election.
 */
export function checkBallotQueued(
  g: Group,
  election: Election,
  ballot: BallotBody,
  at: number,
  usedIds: { has(id: string): boolean },
): Verdict {
  if (idReused(ballot, usedIds)) return fail('5.8', 'ballot id reused');
  if (ballot?.election !== election.fingerprint) return fail('5.1', 'wrong election fingerprint');
  return listedInTime(prepare(g, election), ballot, at);
}

/** Ballots per multi-scalar multiplication in verifyBallotsBatched (≈ 22 points each for 3 options). */
export const BATCH_BALLOTS = 512;

export interface BatchOptions {
  /**
   * A CSPRNG for the batch weights (node:crypto's randomBytes; crypto.getRandomValues in a browser). Without one
   * the weights are derived from a hash of every input of the batch (sound, but a test can then predict them).
   */
  randomBytes?: RandomBytes;
  /** Ballots per multi-scalar multiplication (default BATCH_BALLOTS). */
  batchSize?: number;
}

/** A ballot that passed every per-ballot check, with what its group equations need. */
interface Prechecked {
  i: number;
  d: DecodedBallot;
  digest: Uint8Array;
  sig: DecodedSchnorr;
}

/**
 * Checks 5.1–5.7 of many ballots, with the same verdicts as verifyBallotBody on each (docs/BALLOT-PROTOCOL.md §8,
 * "Batch verification"). Every check but the group equations runs per ballot, each point decoded once; the
 * equations of the signatures and of every range and sum proof of up to `batchSize` ballots are checked together in
 * one multi-scalar multiplication (batch.ts) with random weights. A ballot that fails a per-ballot check is checked
 * again alone by verifyBallotBody, which names the check it fails. A batch whose sum is not the identity is halved
 * until the halves pass (new weights each time), so that the ballots whose equations fail are found with about
 * 2·log2(batch) smaller multiplications per bad ballot; those alone are then checked by verifyBallotBody.
 */
export function verifyBallotsBatched(
  g: Group,
  election: Election,
  ballots: readonly { ballot: BallotBody; at: number }[],
  options: BatchOptions = {},
): Verdict[] {
  const prep = prepare(g, election);
  const size = options.batchSize ?? BATCH_BALLOTS;
  if (!Number.isInteger(size) || size < 1) throw new RangeError('batchSize: a positive integer');
  const verdicts: (Verdict | undefined)[] = ballots.map(() => undefined);
  const single = (i: number) =>
    (verdicts[i] = verifyBallotBody(g, election, ballots[i]!.ballot, ballots[i]!.at));
  const holds = (group: readonly Prechecked[]): boolean => {
    const seed: Uint8Array[] = [];
    if (!options.randomBytes) {
      for (const p of group) {
        const sig = ballots[p.i]!.ballot.signature;
        seed.push(p.digest, fromHex(sig.R, 32, 'signature.R'), fromHex(sig.s, 32, 'signature.s'));
      }
    }
    const batch = new EquationBatch(
      g,
      prep.K,
      options.randomBytes ? new Uint8Array(0) : hashBytes('batch-seed', seed),
      options.randomBytes,
    );
    for (const p of group) ballotEquations(g, prep, batch, p);
    return batch.check();
  };
  // Only a batch that passed makes its ballots valid; a failed one is halved. When the first half passes, the
  // second holds a failing equation (up to the 2^-128 of the weights), so it is halved without checking it whole.
  const bisect = (group: readonly Prechecked[], knownBad: boolean): void => {
    if (!knownBad && holds(group)) {
      for (const { i } of group) verdicts[i] = { ok: true };
      return;
    }
    if (group.length === 1) {
      single(group[0]!.i);
      return;
    }
    const half = group.length >> 1;
    const left = group.slice(0, half);
    const leftHolds = holds(left);
    if (leftHolds) for (const { i } of left) verdicts[i] = { ok: true };
    else bisect(left, true);
    bisect(group.slice(half), leftHolds);
  };
  for (let from = 0; from < ballots.length; from += size) {
    const pending: Prechecked[] = [];
    for (let i = from; i < Math.min(ballots.length, from + size); i++) {
      const ok = precheck(g, prep, ballots[i]!.ballot, ballots[i]!.at);
      if (ok) pending.push({ i, ...ok });
      else single(i);
    }
    if (pending.length > 0) bisect(pending, false);
  }
  return verdicts as Verdict[];
}

/** The weighted group equations of one prechecked ballot: its signature, every range proof and sum proof. */
function ballotEquations(g: Group, prep: Prepared, batch: EquationBatch, p: Prechecked): void {
  const { d } = p;
  schnorrEquationDecoded(g, batch, d.X, p.sig);
  prep.election.setup.manifest.contests.forEach((def, c) => {
    const cts = d.cts[c]!;
    cts.forEach((ct, o) => rangeEquations(g, batch, 0, d.proofs[c]![o]!, [ct.alpha], [ct.beta]));
    const alphas = cts.map((ct) => ct.alpha);
    const betas = cts.map((ct) => ct.beta);
    rangeEquations(g, batch, def.min, d.sumProofs[c]!, alphas, betas);
  });
}

/**
 * Every per-ballot part of checks 5.1–5.7 but the group equations: fingerprint, encodings, credential, time, code,
 * and each proof's challenge sum. Null if any fails (the caller then runs verifyBallotBody for the reason).
 */
function precheck(g: Group, prep: Prepared, ballot: BallotBody, at: number): Omit<Prechecked, 'i'> | null {
  const election = prep.election;
  const m = election.setup.manifest;
  if (ballot?.election !== election.fingerprint) return null;
  let d: DecodedBallot;
  try {
    d = decodeBallot(g, prep, ballot);
  } catch (e) {
    if (e instanceof BallotFormatError) return null;
    throw e;
  }
  if (!prep.weights.has(ballot.credential)) return null;
  if (!Number.isFinite(at) || at < m.opensAt || at > m.closesAt) return null;
  const hashes = d.cts.map((row, c) => contestHash(g, d.hI, c, row));
  const code = confirmationCode(d.hI, hashes, g.hashBytes);
  if (toHex(code) !== ballot.code) return null;
  const defs = m.contests;
  for (let c = 0; c < defs.length; c++) {
    const def = defs[c]!;
    for (let o = 0; o < def.options.length; o++) {
      const ct = d.cts[c]![o]!;
      const st = {
        K: prep.K,
        ct,
        lo: 0,
        hi: def.optionMax,
        context: proofContext(d.hI, c, o, 0, def.optionMax),
      };
      if (!rangeChallengeOk(g, st, d.proofs[c]![o]!)) return null;
    }
    const sum: Ciphertext = {
      alpha: g.sum(d.cts[c]!.map((ct) => ct.alpha)),
      beta: g.sum(d.cts[c]!.map((ct) => ct.beta)),
    };
    const st = {
      K: prep.K,
      ct: sum,
      lo: def.min,
      hi: def.max,
      context: proofContext(d.hI, c, SUM_OPTION, def.min, def.max),
    };
    if (!rangeChallengeOk(g, st, d.sumProofs[c]!)) return null;
  }
  const digest = decodedDigest(g, d, code);
  let sig: DecodedSchnorr;
  try {
    sig = decodeSchnorr(g, 'schnorr', [digest], d.X, ballot.signature);
  } catch (e) {
    if (e instanceof BallotFormatError) return null;
    throw e;
  }
  return { d, digest, sig };
}
