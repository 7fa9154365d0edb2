// What the voter's device does for a secret ballot (docs/BALLOT-PROTOCOL.md §4–5, §9), as plain functions of
// JSON messages so that they run in a Web Worker (ballot-worker.ts) and can be tested without one. Every random
// value comes from the `randomBytes` parameter (the worker passes Web Crypto's getRandomValues). The credential
// secret is made here and never leaves the browser; its public part is blinded for the organisation's signature
// (RFC 9474, §4.1) and then listed anonymously, so the server never learns whose it is. The worker passes the fast
// group backend (libsodium's WebAssembly build, sodium-group.ts) once it has loaded, the portable one otherwise; both
// give the same bytes.
import { encryptBallot, type BallotBody } from '../../ballot/ballot.ts';
import type { RandomBytes } from '../../ballot/bytes.ts';
import type { Board } from '../../ballot/board.ts';
import { spoilBallot, type SpoiledBody } from '../../ballot/challenge.ts';
import { makeCredential } from '../../ballot/election.ts';
import type { Contest } from '../../ballot/manifest.ts';
import type { CredentialListSummary, Election } from '../../ballot/election.ts';
import type { Group } from '../../ballot/group.ts';
import { nobleGroup } from '../../ballot/noble-group.ts';
import { electionFromBoard, electionFromKey } from '../../ballot/verifier.ts';
import { voterCheck, type VoterCheck } from '../../ballot/voter-check.ts';
import {
  finishToken,
  requestToken,
  type IssuerKey,
  type SignedCredential,
} from '../../ballot/credential-token.ts';
import type { SetupBody } from '../../ballot/manifest.ts';

export type BallotRequest =
  | { op: 'credential' }
  | { op: 'blind'; board: Board; credential: string; weight: number }
  | { op: 'unblind'; board: Board; credential: string; weight: number; blindSignature: string; inv: string }
  | {
      op: 'encrypt';
      board: Board;
      list?: CredentialListSummary;
      credentialSecret: string;
      choices: number[][];
    }
  | { op: 'spoil'; board: Board; list?: CredentialListSummary; ballot: BallotBody; ballotNonce: string }
  | { op: 'check'; board: Board; code: string };

export type BallotReply =
  | { op: 'credential'; secret: string; public: string }
  | { op: 'blind'; blindedMessage: string; inv: string }
  | { op: 'unblind'; signed: SignedCredential }
  | { op: 'encrypt'; ballot: BallotBody; ballotNonce: string; code: string }
  | { op: 'spoil'; spoiled: SpoiledBody }
  | { op: 'check'; check: VoterCheck };

// The last board's election: checking a board's setup (trustee proofs, joint key, credential list) and preparing
// its joint key for fixed-base multiplication cost more than a ballot, so a voter who encrypts again (after a
// challenge, or to change their vote) against the same board does not pay them twice.
const last = new WeakMap<Group, { board: string; election: Election }>();

export function boothElection(g: Group, board: Board, list?: CredentialListSummary): Election {
  const key = JSON.stringify([board, list]);
  const hit = last.get(g);
  if (hit?.board === key) return hit.election;
  // a board of setup and key generation with the list's summary (§4.3), or a board with the list itself
  const e =
    list && !board.some((x) => x.kind === 'credentials')
      ? electionFromKey(g, board, list)
      : electionFromBoard(g, board);
  if (!e)
    throw new Error('the board does not make a valid election (setup, key or credentials fail their checks)');
  last.set(g, { board: key, election: e });
  return e;
}

/** The setup and the issuing key of a weight (docs/BALLOT-PROTOCOL.md §4.1). */
function issuer(board: Board, weight: number): { setup: SetupBody; key: IssuerKey } {
  const setup = board.find((e) => e.kind === 'setup')?.body as SetupBody | undefined;
  const key = setup?.issuers?.find((k) => k.weight === weight);
  if (!setup || !key) throw new Error(`this vote has no credential-issuing key for weight ${weight}`);
  return { setup, key };
}

export function handleBallotRequest(
  req: BallotRequest,
  randomBytes: RandomBytes,
  g: Group = nobleGroup,
): BallotReply {
  switch (req.op) {
    case 'credential': {
      const c = makeCredential(g, randomBytes);
      return { op: 'credential', secret: c.secret, public: c.public };
    }
    case 'blind': {
      const { setup, key } = issuer(req.board, req.weight);
      return { op: 'blind', ...requestToken(key, setup.setupHash, req.credential, randomBytes) };
    }
    case 'unblind': {
      const { setup, key } = issuer(req.board, req.weight);
      const signed = finishToken(key, setup.setupHash, req.credential, req.blindSignature, req.inv);
      if (!signed) throw new Error('the organisation’s signature does not verify');
      return { op: 'unblind', signed };
    }
    case 'encrypt': {
      const r = encryptBallot(
        g,
        boothElection(g, req.board, req.list),
        req.credentialSecret,
        req.choices,
        randomBytes,
      );
      return { op: 'encrypt', ballot: r.ballot, ballotNonce: r.ballotNonce, code: r.ballot.code };
    }
    case 'spoil':
      return {
        op: 'spoil',
        spoiled: spoilBallot(g, boothElection(g, req.board, req.list), req.ballot, req.ballotNonce),
      };
    case 'check':
      return { op: 'check', check: voterCheck(g, req.board, req.code) };
  }
}

/** The contest of a board (Councils puts one contest per secret vote). */
export function boardContest(board: Board): Contest | undefined {
  const setup = board.find((e) => e.kind === 'setup');
  return setup?.kind === 'setup' ? setup.body.manifest.contests[0] : undefined;
}

/**
 * The choices array of a one-contest ballot: for a single choice, 1 for the chosen option; for approval, 1 for
 * each approved one; for scores, each option's score. Options not named are 0.
 */
export function choicesFor(contest: Contest, selected: Record<string, number>): number[][] {
  return [contest.options.map((o) => selected[o] ?? 0)];
}
