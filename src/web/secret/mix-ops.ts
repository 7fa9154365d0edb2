// What the browser does for a secret ranked vote (docs/MIXNET.md): the voter's booth encrypts a ranking and opens a
// challenged one; a mixer shuffles and proves; anyone verifies the whole mixed election and counts it again. Plain
// functions of JSON messages, as ballot-ops.ts and trustee-ops.ts, so that they run in the Web Worker
// (ballot-worker.ts) and in Node's tests. A mixer's or a trustee's browser checks everything before it acts: the
// ranked ballots and every earlier shuffle (a server cannot have an honest mixer shuffle, or a trustee decrypt, a
// list that is not the one the cast ballots make).
import { bodiesOf, type Board } from '../../ballot/board.ts';
import type { CredentialListSummary, Election } from '../../ballot/election.ts';
import { BallotFormatError, BallotProtocolError } from '../../ballot/errors.ts';
import type { Group } from '../../ballot/group.ts';
import type { RandomBytes } from '../../ballot/bytes.ts';
import { nobleGroup } from '../../ballot/noble-group.ts';
import {
  encryptRanking,
  mixerKeys,
  mixInput,
  shuffle,
  shuffleSignatureProblem,
  signedShuffles,
  spoilRanked,
  verifyMixBoard,
  verifyRankedBallots,
  verifyShuffle,
  verifySpoiledRanked,
  type MixBoard,
  type MixCheck,
  type MixDecryptionBody,
  type MixList,
  type MixResultBody,
  type RankedBallotBody,
  type ShuffleBody,
  type SpoiledRankedBody,
} from '../../ballot/mixnet/index.ts';
import { countVote, type CountBallot, type MethodId } from '../../count/index.ts';
import type { CountReport } from '../../count/report.ts';
import { boothElection } from './ballot-ops.ts';

/**
 * What GET …/secret/mix/board returns (docs/MIXNET.md §16.2): the mixed vote's messages, joined from their parts, in
 * board order. The election itself (setup, key generation, credential list) is the secret view's board.
 */
export interface MixBoardView {
  cast: { seq: number; at: number; ballot: RankedBallotBody }[];
  spoiled: { seq: number; at: number; spoiled: SpoiledRankedBody }[];
  shuffles: { seqs: number[]; slot: number; shuffle: ShuffleBody }[];
  skipped: { seq: number; slot: number; reason: string }[];
  partials: { seqs: number[]; decryption: MixDecryptionBody }[];
  result: null | { seq: number; result: MixResultBody };
}

/** A failure the page words from the catalogue (`error_<code>`), as the trustee's (trustee-keystore.ts). */
export class MixError extends Error {
  constructor(
    readonly code: 'mix_board_invalid' | 'mix_not_your_turn' | 'mix_chain_invalid' | 'mix_my_shuffle_missing',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The library's MixBoard (docs/MIXNET.md §9) from the route's JSON, with each shuffle's slot and the mixers' keys
 * from the election board's dkg-commit messages (the signatures' signers, §12).
 */
export const mixPart = (view: MixBoardView, board: Board): MixBoard => ({
  cast: view.cast.map((c) => ({ ballot: c.ballot, at: c.at })),
  shuffles: view.shuffles.map((s) => s.shuffle),
  partials: view.partials.map((p) => p.decryption),
  result: view.result?.result ?? null,
  signers: { slots: view.shuffles.map((s) => s.slot), keys: mixerKeys(bodiesOf(board, 'dkg-commit')) },
});

/** The election of the board (setup, key generation, credential list), checked; a list summary for the booth. */
export function boardElection(g: Group, board: Board, list?: CredentialListSummary): Election {
  try {
    return boothElection(g, board, list);
  } catch (e) {
    throw new MixError('mix_board_invalid', e instanceof Error ? e.message : String(e));
  }
}

/**
 * The list after the shuffles on the board, each checked: the accepted ranked ballots make the first mixer's input
 * (docs/MIXNET.md §7.3), and shuffle m must carry mixer number m and verify on the list before it (§9, M.1–M.2).
 */
export function verifiedList(g: Group, election: Election, mix: MixBoard): MixList {
  const verdicts = verifyRankedBallots(g, election, mix.cast);
  const accepted = mix.cast.filter((_, i) => verdicts[i]!.ok);
  let list = mixInput(election, accepted);
  if (list.length === 0) throw new MixError('mix_chain_invalid', 'there are no ballots to mix');
  mix.shuffles.forEach((s, m) => {
    if (s?.mixer !== m + 1)
      throw new MixError('mix_chain_invalid', `shuffle ${m + 1} carries mixer ${s?.mixer}`);
    const v = verifyShuffle(g, election, list, s);
    if (!v.ok) throw new MixError('mix_chain_invalid', `shuffle ${m + 1} does not verify: ${v.reason}`);
    // signed by its slot's mixer (docs/MIXNET.md §12): the operator cannot put a shuffle of its own in a slot
    if (signedShuffles(election) || s.signature !== undefined) {
      const slot = mix.signers?.slots[m] ?? 0;
      const why = shuffleSignatureProblem(g, election, slot, list, s, mix.signers?.keys[slot]);
      if (why !== null) throw new MixError('mix_chain_invalid', `shuffle ${m + 1} (slot ${slot}): ${why}`);
    }
    list = s.ciphertexts;
  });
  return list;
}

/**
 * The list the trustees decrypt: mixing is over (every mixer — the vote's trustees, slot j being trustee j:
 * docs/MIXNET.md §16.1 — has shuffled or was skipped at its deadline, and one at least has shuffled) and every
 * shuffle checks. Before that, the list may still link ballots to voters.
 */
export function finalList(
  g: Group,
  election: Election,
  board: Board,
  view: MixBoardView,
  /** The slot this trustee shuffled in, as this browser noted when it posted: the board must show it there. */
  shuffledIn?: number,
): MixList {
  const n = bodiesOf(board, 'setup')[0]?.n ?? 0;
  const done = [...view.shuffles.map((s) => s.slot), ...view.skipped.map((s) => s.slot)];
  const missing = Array.from({ length: n }, (_, i) => i + 1).filter((slot) => !done.includes(slot));
  if (missing.length || view.shuffles.length === 0)
    throw new MixError(
      'mix_chain_invalid',
      view.shuffles.length === 0
        ? 'no mixer has shuffled'
        : `mixers ${missing.join(', ')} have not shuffled yet`,
    );
  // every shuffle is signed by its slot's mixer (verifiedList), so a shuffle in my slot is mine; what the server
  // can still say alone is that I was skipped (docs/MIXNET.md §12)
  if (shuffledIn !== undefined && !view.shuffles.some((s) => s.slot === shuffledIn))
    throw new MixError(
      'mix_my_shuffle_missing',
      `this browser posted a shuffle in slot ${shuffledIn}, and the board shows ${
        view.skipped.some((s) => s.slot === shuffledIn) ? 'that slot skipped' : 'no shuffle there'
      }`,
    );
  return verifiedList(g, election, mixPart(view, board));
}

/** How the server counts a mixed vote (src/core/secret/mixed.ts): the vote's method, seats and tie-break seed. */
export interface MixCountRule {
  method: MethodId;
  seats: number;
  /** Ties look back through earlier rounds, then fall to a lot seeded by the vote's id. */
  seed: string;
}

/** The in-browser verification of a mixed vote: checks M.1–M.3 and the challenged ballots, and the recount. */
export interface MixVerification {
  ok: boolean;
  checks: MixCheck[];
  /** Ballots accepted, shuffles and challenged ballots checked, for the page's summary. */
  ballots: number;
  shuffles: number;
  challenged: number;
  /** The decrypted ballots (once M.2 and M.3 pass): valid rankings, blank ones among them, invalid ones. */
  decrypted: { valid: number; blank: number; invalid: { index: number; reason: string }[] } | null;
  /** The count run again here when the published one has rounds, and whether every round and winner agree. */
  recount: CountReport | null;
  same: boolean | null;
}

export type MixRequest =
  | {
      op: 'ranked-encrypt';
      board: Board;
      list?: CredentialListSummary;
      credentialSecret: string;
      ranking: string[][];
    }
  | {
      op: 'ranked-spoil';
      board: Board;
      list?: CredentialListSummary;
      ballot: RankedBallotBody;
      ballotNonce: string;
    }
  | { op: 'mix-shuffle'; board: Board; mix: MixBoardView; mixer: number }
  | {
      op: 'mix-verify';
      board: Board;
      mix: MixBoardView;
      rule: MixCountRule;
      /** The published count (the vote's result), to compare round by round. */
      published: CountReport | null;
    };

export type MixReply =
  | { op: 'ranked-encrypt'; ballot: RankedBallotBody; ballotNonce: string; code: string }
  | { op: 'ranked-spoil'; spoiled: SpoiledRankedBody }
  | { op: 'mix-shuffle'; message: ShuffleBody; ballots: number }
  | { op: 'mix-verify'; verification: MixVerification };

export const isMixRequest = (r: { op: string }): r is MixRequest =>
  r.op.startsWith('ranked-') || r.op.startsWith('mix-');

export function handleMixRequest(req: MixRequest, randomBytes: RandomBytes, g: Group = nobleGroup): MixReply {
  try {
    return run(req, randomBytes, g);
  } catch (e) {
    if (e instanceof BallotFormatError || e instanceof BallotProtocolError)
      throw new MixError('mix_board_invalid', e.message);
    throw e;
  }
}

function run(req: MixRequest, randomBytes: RandomBytes, g: Group): MixReply {
  switch (req.op) {
    case 'ranked-encrypt': {
      const e = boardElection(g, req.board, req.list);
      const r = encryptRanking(g, e, req.credentialSecret, req.ranking, randomBytes);
      return { op: 'ranked-encrypt', ballot: r.ballot, ballotNonce: r.ballotNonce, code: r.ballot.code };
    }
    case 'ranked-spoil': {
      const e = boardElection(g, req.board, req.list);
      const spoiled = spoilRanked(g, e, req.ballot, req.ballotNonce);
      // what the voter is shown is what any verifier of the spoiled entry finds
      const why = verifySpoiledRanked(g, e, spoiled);
      if (why) throw new MixError('mix_board_invalid', why);
      return { op: 'ranked-spoil', spoiled };
    }
    case 'mix-shuffle': {
      const r = mixShuffle(g, req.board, req.mix, req.mixer, randomBytes);
      return { op: 'mix-shuffle', message: r.message, ballots: r.list.length };
    }
    case 'mix-verify':
      return { op: 'mix-verify', verification: verifyMixed(g, req) };
  }
}

/**
 * Mixer `mixer`'s shuffle of the list the board gives, once every ballot and earlier shuffle checks (unsigned: the
 * trustee's worker signs it, trustee-ops.ts).
 */
export function mixShuffle(
  g: Group,
  board: Board,
  view: MixBoardView,
  mixer: number,
  randomBytes: RandomBytes,
): { election: Election; list: MixList; message: ShuffleBody } {
  const election = boardElection(g, board);
  const mix = mixPart(view, board);
  if (mix.shuffles.length !== mixer - 1)
    throw new MixError(
      'mix_not_your_turn',
      `shuffle ${mixer} comes after ${mixer - 1} others; the board has ${mix.shuffles.length}`,
    );
  const list = verifiedList(g, election, mix);
  return { election, list, message: shuffle(g, election, mixer, list, randomBytes) };
}

function verifyMixed(g: Group, req: Extract<MixRequest, { op: 'mix-verify' }>): MixVerification {
  const e = boardElection(g, req.board);
  const mix = mixPart(req.mix, req.board);
  const report = verifyMixBoard(g, e, mix);
  // challenged ballots are never mixed, but each must open to the ranking shown (docs/MIXNET.md §7.2)
  const failures = req.mix.spoiled.flatMap((s) => {
    const why = verifySpoiledRanked(g, e, s.spoiled);
    return why ? [{ where: `challenged ballot (entry ${s.seq})`, reason: why }] : [];
  });
  const challenged: MixCheck = {
    id: 'challenged',
    title: 'challenged ballots',
    ok: !failures.length,
    failures,
  };
  const rejected = report.checks.find((c) => c.id === 'M.1')?.failures.length ?? 0;
  const rankings = report.rankings;
  const valid = rankings?.flatMap((r) => (r.ok ? [r.ranking] : [])) ?? [];
  const counted = valid.filter((r) => r.length > 0);
  // counted as the server counts (src/core/secret/mixed.ts): the valid rankings that are not blank, over the
  // manifest's options (the rank-vector order, covered by the election fingerprint)
  const recount =
    rankings && req.published && req.published.rounds.length > 0 && counted.length > 0
      ? countVote(
          {
            method: req.rule.method,
            options: e.setup.manifest.contests[0]!.options,
            seats: req.rule.seats,
            tieBreak: { kind: 'backwards', seed: req.rule.seed },
          },
          counted.map((ranking) => ({ ranking })) as CountBallot[],
        )
      : null;
  return {
    ok: report.ok && challenged.ok,
    checks: [...report.checks, challenged],
    ballots: mix.cast.length - rejected,
    shuffles: mix.shuffles.length,
    challenged: req.mix.spoiled.length,
    decrypted: rankings
      ? {
          valid: valid.length,
          blank: valid.length - counted.length,
          invalid: rankings.flatMap((r, index) => (r.ok ? [] : [{ index, reason: r.reason }])),
        }
      : null,
    recount,
    same:
      recount && req.published
        ? canonical(recount.rounds) === canonical(req.published.rounds) &&
          canonical(recount.winners) === canonical(req.published.winners)
        : null,
  };
}

/** JSON with every object's keys sorted (a report read back from PostgreSQL's jsonb has its keys reordered). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
