// `councils mixer shuffle`: a mixer's turn in a ranked secret vote (docs/MIXNET.md §16.4), run on the mixer's own
// machine. It checks the board itself before shuffling (the election from the setup, key generation and credential
// list; every ranked ballot; every earlier shuffle's proof) and shuffles the list that check gives, never merely the
// server's word for it; then it signs the shuffle with the trustee's communication key (the one its dkg-commit put on
// the board, from the secret `councils trustee commit` kept on this machine: docs/MIXNET.md §12) and posts it with
// its proof, and notes here that it did, so that `councils trustee decrypt` refuses a board that does not show it.
// The permutation and the re-encryption randomness live only in this process's memory and are never written.
import { randomBytes } from 'node:crypto';
import * as ballot from '../../ballot/index.ts';
import { UsageError, type Command } from '../command.ts';
import {
  api,
  boardOf,
  connection,
  connectionOptions,
  connectionUsage,
  bodies,
  parseArgs,
  readSecret,
  readView,
  votePath,
  writeSecret,
  type Connection,
} from './secret-client.ts';

export const mixerUsage = `usage: councils mixer shuffle [options]
  shuffle   when my turn is due (after voting closes): check the board, shuffle and re-encrypt the list, prove it,
            and post the shuffle
${connectionUsage}`;

const rnd = (n: number) => new Uint8Array(randomBytes(n));

interface MixBoardJson {
  cast: { ballot: ballot.RankedBallotBody; at: number }[];
  shuffles: { slot: number; shuffle: ballot.ShuffleBody }[];
  skipped: { slot: number }[];
}

/**
 * What `councils mixer shuffle` notes on this machine **before** it posts its shuffle (seqs empty), and again with
 * the entries once the server acknowledges it: a server that refuses the post, answers an error or drops the
 * connection and then skips this slot at its deadline is caught at decryption all the same (docs/MIXNET.md §12).
 */
export interface MixedNote {
  slot: number;
  mixer: number;
  /** The entries the server answered with; empty when no answer came. */
  seqs: number[];
}

/**
 * The election and the list after the board's shuffles, as this machine verifies them (checks M.1 and M.2 of
 * docs/MIXNET.md §9); throws if the board does not verify or the server's list differs from it.
 */
export async function verifiedMixList(
  c: Connection,
  g: ballot.Group,
): Promise<{
  election: ballot.Election;
  list: ballot.MixList;
  shuffles: number;
  waiting: number[];
  /** The slots whose shuffle is on the board (each signed by its mixer when the manifest says so). */
  shuffled: number[];
}> {
  const view = await readView(c);
  const election = ballot.electionFromBoard(g, boardOf(view));
  if (!election) throw new Error('the election on the board does not verify (checks 1–4)');
  const board = await api<MixBoardJson>(c, 'GET', `${votePath(c)}/mix/board`);
  const shuffles = board.shuffles.map((s) => s.shuffle);
  let list: ballot.MixList;
  if (shuffles.length === 0) {
    const verdicts = ballot.verifyRankedBallots(g, election, board.cast);
    list = ballot.mixInput(
      election,
      board.cast.filter((_, i) => verdicts[i]!.ok),
    );
  } else {
    const report = ballot.verifyMixBoard(g, election, {
      cast: board.cast,
      shuffles,
      partials: [],
      result: null,
      signers: {
        slots: board.shuffles.map((s) => s.slot),
        keys: ballot.mixerKeys(bodies(view, 'dkg-commit')),
      },
    });
    const failed = report.checks.filter((ch) => ch.id !== 'M.3' && !ch.ok);
    if (failed.length > 0) {
      const f = failed[0]!;
      throw new Error(
        `the board does not verify: ${f.id} ${f.title}: ${f.failures[0]?.where}: ${f.failures[0]?.reason}`,
      );
    }
    list = shuffles[shuffles.length - 1]!.ciphertexts;
  }
  // the mixer slots (slot j is trustee j: docs/MIXNET.md §16.1) that have neither shuffled nor been skipped
  const done = new Set([...board.shuffles.map((s) => s.slot), ...board.skipped.map((s) => s.slot)]);
  const waiting = Array.from({ length: election.setup.n }, (_, i) => i + 1).filter((slot) => !done.has(slot));
  return { election, list, shuffles: shuffles.length, waiting, shuffled: board.shuffles.map((s) => s.slot) };
}

export const mixerCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: connectionOptions });
  if (positionals[0] !== 'shuffle') throw new UsageError('give a step: shuffle');
  const c = connection(values);
  const g = await ballot.sodiumGroup();
  const me = await api<{ member: { id: string } }>(c, 'GET', '/me');
  const mix = await api<{
    mixers: { slot: number; memberId: string; status: string; deadline: string | null }[];
  }>(c, 'GET', `${votePath(c)}/mix`);
  const mine = mix.mixers.find((m) => m.memberId === me.member.id);
  if (!mine) throw new Error('you are not a mixer of this vote');
  if (mine.status !== 'due') throw new Error(`mixer ${mine.slot}: your turn is not due (${mine.status})`);
  const server = await api<{ stage: string; mixer: number | null; ciphertexts: ballot.MixList }>(
    c,
    'GET',
    `${votePath(c)}/mix/list`,
  );
  // the key the shuffle is signed with: this trustee's, made by `councils trustee commit` on this machine
  const saved = readSecret<{ trustee: number; secret: ballot.TrusteeSecret }>(c, 'trustee');
  if (!saved || saved.trustee !== mine.slot)
    throw new Error(
      `no secret of trustee ${mine.slot} here: a mixer signs its shuffle with the key it made with "councils trustee commit"; run this where that secret is`,
    );
  const { election, list, shuffles } = await verifiedMixList(c, g);
  if (server.stage !== 'shuffle' || server.mixer !== shuffles + 1)
    throw new Error(
      `the server expects shuffle ${server.mixer} at stage ${server.stage}; the board has ${shuffles}`,
    );
  if (JSON.stringify(server.ciphertexts) !== JSON.stringify(list))
    throw new Error('the server’s list is not the one the board gives: nothing was shuffled');
  const unsigned = ballot.shuffle(g, election, shuffles + 1, list, rnd);
  const body = ballot.signShuffle(
    g,
    election,
    mine.slot,
    list,
    unsigned,
    saved.secret.communicationSecret,
    rnd,
  );
  // noted before it is sent: an answer the operator withholds must not erase that this slot was shuffled
  writeSecret(c, 'mixer', { slot: mine.slot, mixer: body.mixer, seqs: [] } satisfies MixedNote);
  const r = await api<{ seqs: number[] }>(c, 'POST', `${votePath(c)}/shuffles`, { shuffle: body });
  writeSecret(c, 'mixer', { slot: mine.slot, mixer: body.mixer, seqs: r.seqs } satisfies MixedNote);
  io.out(
    `mixer ${mine.slot}: shuffle ${body.mixer} of ${list.length} ballots posted (entries ${r.seqs.join(', ')})\n`,
  );
  return 0;
};
