// The verifier of a mixed election (docs/MIXNET.md §9): ranked ballots → the input list → every shuffle in turn →
// partial decryptions → the result → the decoded rankings. Counting them is the council's method (src/count), which
// src/ballot does not import: the caller counts `rankings` (src/core/secret/ranked-count.ts).
import type { Group } from '../group.ts';
import type { Election } from '../election.ts';
import { BallotFormatError } from '../errors.ts';
import { verifyRankedBallots, mixInput, type DecodedRanking, type RankedBallotBody } from './ranked.ts';
import { decodeList, verifyDecoded, type MixList, type ShuffleBody } from './shuffle.ts';
import { shuffleSignatureProblem, signedShuffles } from './sign.ts';
import type { Hex } from '../codec.ts';
import { decodeRankings, verifyMixResult, type MixDecryptionBody, type MixResultBody } from './decrypt.ts';

export interface MixBoard {
  /** Cast ranked ballots in board order, with their board times. */
  cast: { ballot: RankedBallotBody; at: number }[];
  /** The shuffles in board order: mixer 1, 2, … */
  shuffles: ShuffleBody[];
  partials: MixDecryptionBody[];
  result: MixResultBody | null;
  /**
   * Who signed: each shuffle's slot (in board order) and each trustee's communication key (mixerKeys, from the
   * board's dkg-commit messages). Required when the manifest says `shuffles: "signed"` (§12).
   */
  signers?: { slots: number[]; keys: Record<number, Hex> };
}

export interface MixCheck {
  id: string;
  title: string;
  ok: boolean;
  failures: { where: string; reason: string }[];
}

export interface MixReport {
  ok: boolean;
  checks: MixCheck[];
  /** The decrypted ballots in the final list's order (valid rankings and invalid ballots), when the result checks. */
  rankings: DecodedRanking[] | null;
}

/** Runs checks M.1–M.5 over a mixed election's board. */
export function verifyMixBoard(g: Group, election: Election, board: MixBoard): MixReport {
  const checks: MixCheck[] = [];
  const check = (id: string, title: string, failures: MixCheck['failures']) =>
    checks.push({ id, title, ok: failures.length === 0, failures });
  // M.1 ballots; rejected ones are reported (the server never appends them)
  const accepted: MixBoard['cast'] = [];
  const bad: MixCheck['failures'] = [];
  verifyRankedBallots(g, election, board.cast).forEach((v, i) => {
    const c = board.cast[i]!;
    if (v.ok) accepted.push(c);
    else bad.push({ where: `ballot ${i} (${String(c?.ballot?.id)})`, reason: `${v.check} ${v.reason}` });
  });
  check('M.1', 'ranked ballots', bad);
  // M.2 the mixers in order, each on the previous list
  let list: MixList = mixInput(election, accepted);
  const mixFailures: MixCheck['failures'] = [];
  const signed = signedShuffles(election);
  if (board.shuffles.length === 0) mixFailures.push({ where: 'shuffles', reason: 'no shuffle' });
  try {
    let decoded = decodeList(g, list, 'input');
    board.shuffles.forEach((s, m) => {
      if (mixFailures.length) return;
      if (s?.mixer !== m + 1) {
        mixFailures.push({ where: `shuffle ${m + 1}`, reason: `mixer ${s?.mixer} where ${m + 1} was due` });
        return;
      }
      const v = verifyDecoded(g, election, decoded, list, s);
      const slot = board.signers?.slots[m];
      const unsigned =
        !(signed || s.signature !== undefined) || !v.ok
          ? null
          : slot === undefined
            ? 'no slot given for a signed shuffle'
            : shuffleSignatureProblem(g, election, slot, list, s, board.signers?.keys[slot]);
      if (!v.ok) mixFailures.push({ where: `shuffle ${m + 1} (mixer ${s.mixer})`, reason: v.reason });
      else if (unsigned !== null)
        mixFailures.push({ where: `shuffle ${m + 1} (mixer ${s.mixer}, slot ${slot})`, reason: unsigned });
      else {
        list = s.ciphertexts;
        decoded = decodeList(g, list, 'ciphertexts');
      }
    });
  } catch (e) {
    if (!(e instanceof BallotFormatError)) throw e;
    mixFailures.push({ where: 'input', reason: e.message });
  }
  check('M.2', 'shuffle proofs', mixFailures);
  // M.3 partial decryptions, M.4 result
  let rankings: DecodedRanking[] | null = null;
  if (mixFailures.length === 0) {
    const why = board.result ? verifyMixResult(g, election, list, board.partials, board.result) : 'no result';
    check('M.3', 'decryption proofs and result', why ? [{ where: 'mix-result', reason: why }] : []);
    if (!why && board.result) rankings = decodeRankings(g, election, board.result);
  } else
    check('M.3', 'decryption proofs and result', [
      { where: 'mix-result', reason: 'the shuffles do not verify' },
    ]);
  return { ok: checks.every((c) => c.ok), checks, rankings };
}
