// The secret votes' part of `councils verify`: for every secret vote of a replayed log, the ballot verifier's
// numbered checks (docs/BALLOT-PROTOCOL.md §8) over the board entries taken from the log alone, plus the checks
// that only Councils can make: ballots and the credential list are anonymous entries, the credential list is no
// longer than the electorate nor than the issuances logged per weight (docs/BALLOT-PROTOCOL.md §4.1), and the
// vote's closing equals the count of the decrypted totals.
import {
  BallotFormatError,
  checkSignedList,
  decodeRankings,
  joinCredentialParts,
  verifyBoard,
  type Board,
  type CredentialsBody,
  type Report,
  type RsaPssVerifier,
  type SetupBody,
  type SignedCredential,
} from '../../ballot/index.ts';
import { issuedPerWeight, renamedSpec, secretSetup } from './decide.ts';
import { InvalidCommand } from '../kernel/errors.ts';
import type { ReplayCheck } from '../kernel/replay-check.ts';
import type { VoteResult } from '../votes/decide.ts';
import { countSecret, presentWeight } from './vote.ts';
import { countMixed, MIX_MINUTES, mixProblems } from './mixed.ts';
import type { Command, Entry, OrgState } from '../model.ts';
import type { Vote } from '../votes/types.ts';

/** The trustee command a `board_posted` entry records, for the rules check; other board entries are consequences. */
export function secretCommandOf(e: Entry): Command | undefined {
  if (e.act !== 'board_posted' || e.actor === null) return undefined;
  const { kind, body, voteId } = e.payload;
  if (kind === 'credential-issued') return { type: 'issue_credential', voteId };
  if (!['dkg-commit', 'dkg-shares', 'dkg-accusation', 'partial-decryption'].includes(kind)) return undefined;
  return { type: 'post_trustee_message', voteId, message: { kind, body } as never };
}

/**
 * Why a secret vote's setup entry is not the one its opening makes, if so: the manifest (options, times, title),
 * the trustees and their threshold (the motion's, or named anew only after a failed vote of it, as a mover would
 * name them), the issuing keys (one per weight class) and the end of registration. Without this check a log
 * writer could open a vote with trustees of its own choosing.
 */
export function setupProblem(state: OrgState, e: Entry): string | null {
  if (e.act !== 'board_posted' || e.payload.kind !== 'setup') return null;
  const vote = state.votes.get(e.payload.voteId);
  const motion = vote && state.motions.get(vote.motionId);
  const spec = motion?.decision.secret;
  if (!vote || !motion || !spec) return 'a setup entry for a vote that is not secret';
  if (vote.secret) return 'a second setup entry for one vote';
  if (vote.openedAt !== e.time) return 'a setup entry after the vote opened';
  const body = e.payload.body as SetupBody;
  const trustees = e.payload.trustees ?? [];
  const registrationEnds = e.payload.registrationEnds ?? '';
  const minutes = Math.round((Date.parse(registrationEnds) - Date.parse(e.time)) / 60_000);
  const asMoved = JSON.stringify(trustees) === JSON.stringify(spec.trustees) && body?.k === spec.threshold;
  try {
    let used = spec;
    if (!asMoved) {
      const failed = [...state.votes.values()].some(
        (v) => v.motionId === motion.id && v.outcome === 'failed',
      );
      if (!failed) {
        const sameTrustees = JSON.stringify(trustees) === JSON.stringify(spec.trustees);
        return sameTrustees
          ? `a secret vote opened with a threshold of ${String(body?.k)} of ${trustees.length} trustees, not its motion’s ${spec.threshold}, though no vote of it failed`
          : 'a secret vote opened with other trustees than its motion’s, though no vote of it failed';
      }
      used = renamedSpec(
        state,
        motion,
        spec,
        { trustees, threshold: body?.k, registrationMinutes: minutes },
        e.time,
      );
    }
    // A ranked vote recorded before shuffles were signed has no mark and is replayed as that release made it
    // (docs/MIXNET.md §12): dropping the mark from a new vote gains its writer nothing, as no trustee's client
    // makes a key for a ranked vote without it, and the mark is in H_M once a trustee has.
    const unsigned = body?.manifest?.ballot === 'ranked' && body.manifest.shuffles === undefined;
    const expected = secretSetup(
      state,
      motion,
      { ...vote, voteId: vote.id },
      e.time,
      used,
      body?.issuers,
      unsigned,
    );
    if (expected.setup.setupHash !== body?.setupHash) {
      return 'the setup is not the one the opening makes (manifest, number of trustees, threshold or issuing keys)';
    }
    if (expected.registrationEnds !== registrationEnds)
      return 'registration ends at another time than the opening sets';
    const mixMinutes = body?.manifest?.ballot === 'ranked' ? (used.mixMinutes ?? MIX_MINUTES) : undefined;
    if (e.payload.mixMinutes !== mixMinutes) return 'the mixers’ time is not the one the motion sets';
  } catch (err) {
    if (err instanceof InvalidCommand) return `the setup could not have been made: ${err.message}`;
    throw err;
  }
  return null;
}

/** The recount of a secret vote from the result on its board, or a reason it cannot be made. */
export function recountSecret(state: OrgState, vote: Vote): VoteResult | string {
  const sv = vote.secret!;
  const motion = state.motions.get(vote.motionId)!;
  if (sv.mix) {
    if (!sv.mix.result || !sv.election) return 'the vote closed without a mix result on its board';
    try {
      const rankings = decodeRankings(state.crypto.group, sv.election, sv.mix.result.result);
      return countMixed(vote, motion.decision, motion.kind === 'election', rankings);
    } catch (e) {
      if (e instanceof BallotFormatError || e instanceof TypeError)
        return `the mix result does not decode (${e.message})`;
      throw e;
    }
  }
  if (!sv.result || !sv.election) return 'the vote closed without a decrypted result on its board';
  const tallies = sv.result.tallies[0];
  if (!Array.isArray(tallies)) return 'the result has no tallies';
  try {
    const present = presentWeight(state.crypto.group, sv, sv.election);
    return countSecret(vote, motion.decision, motion.kind === 'election', tallies, present);
  } catch (e) {
    if (e instanceof BallotFormatError) return `a counted ballot does not decode (${e.message})`;
    throw e;
  }
}

/** Board index → "entry <seq>" in a ballot verifier's `where`. */
function whereInLog(where: string, seqs: readonly number[]): { text: string; seq?: number } {
  const m = /^entry (\d+)(.*)$/.exec(where);
  if (!m) return { text: where };
  const seq = seqs[Number(m[1])];
  return seq === undefined ? { text: where } : { text: `entry ${seq}${m[2]}`, seq };
}

/** Councils' own checks of a secret vote's board: anonymity of casts and the size of the credential list. */
function councilsProblems(vote: Vote, rsaPssVerify?: RsaPssVerifier): { text: string; seq?: number }[] {
  const sv = vote.secret!;
  const out: { text: string; seq?: number }[] = [];
  sv.board.forEach((e, i) => {
    const anonymous = ['credentials', 'ballot', 'spoiled', 'result'].includes(e.kind);
    if (anonymous && sv.actors[i] !== null) {
      out.push({ text: `entry ${sv.seqs[i]}: a ${e.kind} entry names a member`, seq: sv.seqs[i]! });
    }
    const trustee = ['dkg-commit', 'dkg-shares', 'dkg-accusation', 'partial-decryption'].includes(e.kind);
    if (trustee && sv.actors[i] === null) {
      out.push({
        text: `entry ${sv.seqs[i]}: a ${e.kind} entry not posted by its trustee`,
        seq: sv.seqs[i]!,
      });
    }
  });
  out.push(...credentialListProblems(vote, rsaPssVerify));
  return out;
}

/** The frozen credential list, over all its parts (§4.2): signatures, issuances per weight, and its size. */
function credentialListProblems(vote: Vote, rsaPssVerify?: RsaPssVerifier): { text: string; seq?: number }[] {
  const sv = vote.secret!;
  const at = sv.board.flatMap((e, i) => (e.kind === 'credentials' ? [i] : []));
  if (at.length === 0) return [];
  const seqOf = (i: number) => sv.seqs[i]!;
  let list: SignedCredential[];
  try {
    list = joinCredentialParts(at.map((i) => sv.board[i]!.body as CredentialsBody))
      .credentials as SignedCredential[];
  } catch (e) {
    if (!(e instanceof BallotFormatError)) throw e;
    return [{ text: `entry ${seqOf(at[0]!)}: ${e.message}`, seq: seqOf(at[0]!) }];
  }
  // the entry holding list[index]
  const entryOf = (index: number): number => {
    let i = 0;
    for (const b of at) {
      i += (sv.board[b]!.body as CredentialsBody).credentials.length;
      if (index < i) return seqOf(b);
    }
    return seqOf(at[at.length - 1]!);
  };
  const last = seqOf(at[at.length - 1]!);
  const out: { text: string; seq?: number }[] = [];
  if (sv.setup.issuers) {
    // §4.1: signed by the issuing key of its weight, and no more credentials per weight than logged issuances
    for (const f of checkSignedList(
      sv.setup.issuers,
      sv.setup.setupHash,
      list,
      issuedPerWeight(sv),
      rsaPssVerify,
    )) {
      const seq = f.index >= 0 ? entryOf(f.index) : last;
      out.push({ text: `entry ${seq}:${f.index >= 0 ? ` credentials[${f.index}]` : ''} ${f.reason}`, seq });
    }
  }
  const weight = list.reduce((a, c) => a + BigInt(Number.isSafeInteger(c?.weight) ? c.weight : 0), 0n);
  const electors = [...vote.electorate.values()];
  if (list.length > electors.length || weight > electors.reduce((a, b) => a + b, 0n)) {
    out.push({
      text: `entry ${last}: ${list.length} credentials for ${electors.length} electors`,
      seq: last,
    });
  }
  return out;
}

function summary(vote: Vote, report: Report): string {
  const notes = report.checks.map(
    (c) => `${c.id}. ${c.title}: ok${c.notes.length ? ` (${c.notes.join('; ')})` : ''}`,
  );
  return `vote ${vote.id}: ${notes.join(' | ')}`;
}

/**
 * How a board is verified: by default verifyBoard in this thread; `councils verify` passes one that runs the
 * per-ballot checks on worker threads (src/cli/ballot-workers) and gives the same report.
 */
export type BoardVerifier = (board: Board) => Promise<Report>;

/**
 * One check per secret vote: the ballot verifier over its board, numbered as in docs/BALLOT-PROTOCOL.md §8; by
 * default in this thread with the state's backends. A vote settled already (settled.ts) has no board in memory:
 * the replay checks each vote's board when it ends, before settling drops it, and passes those checks as `done`.
 */
export async function secretBoardChecks(
  state: OrgState,
  verify?: BoardVerifier,
  done: ReadonlyMap<string, ReplayCheck> = new Map(),
): Promise<ReplayCheck[]> {
  const checks: ReplayCheck[] = [];
  for (const vote of state.votes.values()) {
    if (!vote.secret) continue;
    const check = done.get(vote.id);
    if (check) checks.push(check);
    else if (vote.secret.settled) throw new RangeError(`vote ${vote.id}: its board was settled unchecked`);
    else checks.push(await secretBoardCheck(state, vote, verify));
  }
  return checks;
}

/** The ballot verifier's checks and Councils' own over one secret vote's board (not settled). */
export async function secretBoardCheck(
  state: OrgState,
  vote: Vote,
  verify: BoardVerifier = async (board) => verifyBoard(state.crypto.group, board, state.crypto.rsaPssVerify),
): Promise<ReplayCheck> {
  const sv = vote.secret!;
  const title = `secret vote ${vote.id}: the ballot verifier's checks 1–10 over its board, from the log alone`;
  const report = await verify(sv.board);
  const problems = councilsProblems(vote, state.crypto.rsaPssVerify);
  // a vote that failed after its list was frozen (not decrypted in time, or a mixed vote nobody mixed) has its
  // whole board checked
  const failed = vote.outcome === 'failed' && !sv.election;
  if (failed || (vote.closedAt === null && !sv.election)) {
    // Ended without a key (secret-abort.ts; the rules check decided that again), or still making it: checks
    // 2–10 cannot pass yet, but the parameters must, and nothing of the voting phases may be on the board.
    const reason = (vote.result as { details?: { failed?: string } } | null)?.details?.failed;
    const c1 = report.checks.find((c) => c.id === 1)!;
    for (const f of c1.failures) problems.push({ text: `check 1 (${c1.title}): ${f.where}: ${f.reason}` });
    sv.board.forEach((e, i) => {
      if (!['setup', 'dkg-commit', 'dkg-shares', 'dkg-accusation'].includes(e.kind))
        problems.push({
          text: `entry ${sv.seqs[i]}: a ${e.kind} entry before the credential list`,
          seq: sv.seqs[i]!,
        });
    });
    if (problems.length === 0) {
      const detail = failed
        ? `vote ${vote.id} failed: ${reason}`
        : `vote ${vote.id}: key generation in progress (checks 2–10 follow the key and the credential list)`;
      return { id: 'secret_ballot', title, status: 'pass', detail };
    }
  }
  if (sv.mix && sv.election) problems.push(...mixProblems(state.crypto.group, vote, sv));
  for (const c of report.checks) {
    for (const f of c.failures) {
      const w = whereInLog(f.where, sv.seqs);
      problems.push({
        text: `check ${c.id} (${c.title}): ${w.text}: ${f.reason}`,
        ...(w.seq !== undefined ? { seq: w.seq } : {}),
      });
    }
  }
  if (problems.length === 0)
    return { id: 'secret_ballot', title, status: 'pass', detail: summary(vote, report) };
  const first = problems[0]!;
  return {
    id: 'secret_ballot',
    title,
    status: 'fail',
    detail: `vote ${vote.id}: ${problems.map((p) => p.text).join('; ')}`,
    ...(first.seq !== undefined ? { where: { entry: first.seq } } : {}),
  };
}

/**
 * Why a board entry comes too late, if so: its vote has ended (closed or failed), so the rules refuse any entry
 * for it (decide.ts), and its board was checked and dropped when it ended (settled.ts). Anonymous entries (ballots,
 * the list, the result) are no member's act, so no command's rules check would name them.
 */
export function lateBoardProblem(state: OrgState, e: Entry): string | null {
  if (e.act !== 'board_posted') return null;
  const vote = state.votes.get(e.payload.voteId);
  if (!vote?.secret || vote.closedAt === null) return null;
  return `a ${e.payload.kind} entry for vote ${vote.id}, which ended at ${vote.closedAt}`;
}
