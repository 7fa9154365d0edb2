// What a trustee's browser does for a secret vote (docs/BALLOT-PROTOCOL.md §3, §6 and "Trustees in the browser"),
// as plain functions of JSON messages so that they run in the Web Worker (ballot-worker.ts) and in Node's tests.
// The secret is made here and sealed under the passphrase before it is returned (trustee-keystore.ts): the page
// only ever holds the sealed file, and nothing secret is in any reply. Every step checks what the server shows
// before acting on it: the setup's hash, that the file's secret is the one committed on the board, and, before a
// partial decryption, that the aggregate is the sum of the board's valid ballots (recomputed here, every ballot
// checked), so a server cannot have the trustee decrypt one voter's ballot in place of the tally.
import { toHex, type RandomBytes } from '../../ballot/bytes.ts';
import type { Board } from '../../ballot/board.ts';
import { bodiesOf } from '../../ballot/board.ts';
import { pointHex, scalarFromHex } from '../../ballot/codec.ts';
import {
  commitmentHash,
  dkgCommit,
  dkgReceive,
  dkgShares,
  type DkgAccusationBody,
  type DkgCommitBody,
  type DkgSharesBody,
  type TrusteeSecret,
} from '../../ballot/dkg.ts';
import { trusteeShare } from '../../ballot/dkg-result.ts';
import { BallotFormatError, BallotProtocolError } from '../../ballot/errors.ts';
import type { Group } from '../../ballot/group.ts';
import { setupHash, type SetupBody } from '../../ballot/manifest.ts';
import { partialDecrypt, type Aggregate, type PartialDecryptionBody } from '../../ballot/tally.ts';
import { boardAggregate, boardKey } from '../../ballot/verifier.ts';
import {
  mixPartialDecrypt,
  signShuffle,
  type MixDecryptionBody,
  type ShuffleBody,
} from '../../ballot/mixnet/index.ts';
import { boardElection, finalList, mixShuffle, type MixBoardView } from './mix-ops.ts';
import {
  checkTrusteeFileFor,
  openTrusteeSecret,
  readTrusteeFile,
  sealTrusteeSecret,
  TrusteeKeyError,
  type KdfParams,
  type TrusteeContext,
  type TrusteeFile,
} from './trustee-keystore.ts';

/** Who acts: the page knows these from the session and the vote's trustee list. */
export interface TrusteeWho {
  orgId: string;
  voteId: string;
  memberId: string;
  trustee: number;
}

interface Unlock {
  who: TrusteeWho;
  board: Board;
  file: TrusteeFile;
  passphrase: string;
}

export type TrusteeRequest =
  | {
      op: 'trustee-commit';
      who: TrusteeWho;
      board: Board;
      passphrase: string;
      /** Tests only: cheaper argon2id parameters (the file records what it was sealed with). */
      kdf?: Omit<KdfParams, 'salt'>;
    }
  | ({ op: 'trustee-shares' } & Unlock)
  | ({ op: 'trustee-check' } & Unlock)
  | ({ op: 'trustee-decrypt'; aggregate?: Pick<Aggregate, 'ciphertexts'> } & Unlock)
  /** A mixed vote's last list (docs/MIXNET.md §8); `board` is the election's, `mix` the mixed vote's. */
  | ({ op: 'trustee-mix-decrypt'; mix: MixBoardView; shuffledIn?: number } & Unlock)
  /** The trustee's turn as a mixer (slot = trustee number): shuffle mixer number `mixer`, signed (MIXNET §12). */
  | ({ op: 'trustee-mix-shuffle'; mix: MixBoardView; mixer: number } & Unlock);

export type TrusteeReply =
  | { op: 'trustee-commit'; file: TrusteeFile; message: DkgCommitBody }
  | { op: 'trustee-shares'; message: DkgSharesBody }
  | { op: 'trustee-check'; good: number[]; accusations: DkgAccusationBody[] }
  | { op: 'trustee-decrypt'; message: PartialDecryptionBody; counted: number }
  | { op: 'trustee-mix-decrypt'; message: MixDecryptionBody; ballots: number }
  | { op: 'trustee-mix-shuffle'; message: ShuffleBody; ballots: number };

/** The board's setup, its hash recomputed (the manifest, n, k and issuing keys are what the trustee acts for). */
function setupOf(board: Board): SetupBody {
  const setup = bodiesOf(board, 'setup')[0];
  if (!setup) throw new TrusteeKeyError('trustee_board_invalid', 'the board has no setup');
  try {
    if (toHex(setupHash(setup.manifest, setup.n, setup.k, setup.issuers)) === setup.setupHash) return setup;
  } catch (e) {
    if (!(e instanceof BallotFormatError)) throw e;
  }
  throw new TrusteeKeyError('trustee_board_invalid', 'the setup’s hash H_S does not match its contents');
}

const contextOf = (who: TrusteeWho, setup: SetupBody): TrusteeContext => ({
  ...who,
  setupHash: setup.setupHash,
});

/** Opens the file for this vote's trustee and checks its secret is the one committed (when a commit is posted). */
function unlock(g: Group, req: Unlock): { setup: SetupBody; secret: TrusteeSecret } {
  const setup = setupOf(req.board);
  const file = readTrusteeFile(req.file);
  checkTrusteeFileFor(file, contextOf(req.who, setup));
  const secret = openTrusteeSecret(file, req.passphrase);
  const posted = bodiesOf(req.board, 'dkg-commit').find((c) => c.trustee === req.who.trustee);
  const A = secret.coefficients.map((h) => g.mulBase(scalarFromHex(h, 'coefficient')));
  const Y = g.mulBase(scalarFromHex(secret.communicationSecret, 'communicationSecret'));
  const mine = { hash: toHex(commitmentHash(g, setup, secret.trustee, A)), Y: pointHex(g, Y) };
  for (const c of posted ? [posted, file.commit] : [file.commit]) {
    if (secret.trustee !== req.who.trustee || c.commitmentHash !== mine.hash || c.communicationKey !== mine.Y)
      throw new TrusteeKeyError(
        'trustee_not_my_commitment',
        'this secret is not the one committed on the board for this trustee',
      );
  }
  return { setup, secret };
}

/** This trustee's share of the joint key (docs/BALLOT-PROTOCOL.md §3), from the board's key generation. */
function shareOf(g: Group, setup: SetupBody, secret: TrusteeSecret, board: Board, randomBytes: RandomBytes) {
  const key = boardKey(g, setup, board);
  if (!key.qualified.includes(secret.trustee))
    throw new TrusteeKeyError(
      'trustee_board_invalid',
      `trustee ${secret.trustee} was disqualified in key generation`,
    );
  const { received } = dkgReceive(g, setup, secret, bodiesOf(board, 'dkg-shares'), randomBytes);
  return trusteeShare(g, secret, received, key);
}

export function handleTrusteeRequest(req: TrusteeRequest, randomBytes: RandomBytes, g: Group): TrusteeReply {
  try {
    return run(req, randomBytes, g);
  } catch (e) {
    // the library's own refusals (a malformed message, a share that does not add up) reach the page as they are
    if (e instanceof BallotFormatError || e instanceof BallotProtocolError)
      throw new TrusteeKeyError('trustee_board_invalid', e.message);
    throw e;
  }
}

function run(req: TrusteeRequest, randomBytes: RandomBytes, g: Group): TrusteeReply {
  switch (req.op) {
    case 'trustee-commit': {
      const setup = setupOf(req.board);
      // a ranked vote made without the signed-shuffle rule would let the operator fill a mixer's slot (MIXNET §12)
      if (setup.manifest.ballot === 'ranked' && setup.manifest.shuffles !== 'signed')
        throw new TrusteeKeyError(
          'trustee_board_invalid',
          'this ranked vote does not require each shuffle to be signed by its mixer',
        );
      const { secret, message } = dkgCommit(g, setup, req.who.trustee, randomBytes);
      const ctx = contextOf(req.who, setup);
      const file = sealTrusteeSecret(ctx, secret, message, req.passphrase, randomBytes, req.kdf);
      return { op: 'trustee-commit', file, message };
    }
    case 'trustee-shares': {
      const { setup, secret } = unlock(g, req);
      const commits = bodiesOf(req.board, 'dkg-commit');
      return { op: 'trustee-shares', message: dkgShares(g, setup, secret, commits, randomBytes) };
    }
    case 'trustee-check': {
      const { setup, secret } = unlock(g, req);
      const r = dkgReceive(g, setup, secret, bodiesOf(req.board, 'dkg-shares'), randomBytes);
      // an accusation already on the board (made from another machine) is not made again
      const made = bodiesOf(req.board, 'dkg-accusation').filter((a) => a.accuser === secret.trustee);
      const accusations = r.accusations.filter((a) => !made.some((m) => m.accused === a.accused));
      return { op: 'trustee-check', good: Object.keys(r.received).map(Number), accusations };
    }
    case 'trustee-decrypt': {
      const { setup, secret } = unlock(g, req);
      const { election, aggregate: agg } = boardAggregate(g, req.board);
      if (req.aggregate && JSON.stringify(req.aggregate.ciphertexts) !== JSON.stringify(agg.ciphertexts))
        throw new TrusteeKeyError(
          'trustee_aggregate_mismatch',
          'the server’s tally is not the sum of the ballots on the board: nothing was decrypted',
        );
      const share = shareOf(g, setup, secret, req.board, randomBytes);
      const message = partialDecrypt(g, election, share, agg, randomBytes);
      return { op: 'trustee-decrypt', message, counted: agg.counted.length };
    }
    case 'trustee-mix-decrypt': {
      const { setup, secret } = unlock(g, req);
      const election = boardElection(g, req.board);
      // every ballot and every shuffle checked, every mixer done: only then is the last list the one to decrypt
      const list = finalList(g, election, req.board, req.mix, req.shuffledIn);
      const share = shareOf(g, setup, secret, req.board, randomBytes);
      const message = mixPartialDecrypt(g, election, share, list, randomBytes);
      return { op: 'trustee-mix-decrypt', message, ballots: list.length };
    }
    case 'trustee-mix-shuffle': {
      const { secret } = unlock(g, req);
      const r = mixShuffle(g, req.board, req.mix, req.mixer, randomBytes);
      const message = signShuffle(
        g,
        r.election,
        secret.trustee,
        r.list,
        r.message,
        secret.communicationSecret,
        randomBytes,
      );
      return { op: 'trustee-mix-shuffle', message, ballots: r.list.length };
    }
  }
}
