// A homomorphic secret vote held over a real HTTP server, for the tests of an ended vote's pages and receipts against
// its whole board (issue #18, docs/BALLOT-PROTOCOL.md "An ended vote keeps its result, not its board"). The members
// join by their invitations over HTTP; the first three are the trustees (any two decrypt): they run the key generation
// and, voting over, each decrypts the sums it computes itself from the board it reads, as their devices do; every
// member registers a credential (issued with their session, listed with none) and casts, revotes and challenges with
// no session. What each accepted cast or challenge put on the board is kept (`posted`), so a test knows what every
// receipt must answer without asking the server. The clock is moved by hand.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as ballot from '../../src/ballot/index.ts';
import type { Entry } from '../../src/core/index.ts';
import { MIX_KINDS } from '../../src/core/secret/board-rows.ts';
import type { BoardPosted } from '../../src/core/secret/types.ts';
import { nativeRsaPssVerify } from '../../src/node/rsa-pss-native.ts';
import { buildApp } from '../../src/server/app.ts';
import type { Receipt } from '../../src/server/responses/secret.ts';
import { runDueActs } from '../../src/server/scheduler.ts';
import { CouncilsService } from '../../src/server/service.ts';
import type { Db } from '../../src/store/database.ts';
import type { ApiClient } from './api-client.ts';
import { TestClock } from './databases.ts';
import { organisation } from './factory.ts';
import { testPasswordHashCost } from './password-cost.ts';
import { HttpClient } from './http-client.ts';
import { checkReply } from './response-check.ts';
import { registerOverApi } from './secret-credential.ts';
import { openSecretVote, runKeyGeneration } from './secret-vote.ts';

const rnd = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
const g = await ballot.sodiumGroup();

/** The support's API helpers take an ApiClient (app.inject); they use only `ok`, which HttpClient has over a socket. */
const viaHttp = (c: HttpClient): ApiClient => c as unknown as ApiClient;

/** An entry of a view's board, as `GET …/secret` shows it. */
export interface BoardEntryView {
  seq: number;
  kind: string;
  at: number;
  body: Record<string, unknown>;
}

export interface Server {
  service: CouncilsService;
  /** A client with no session, on this server. */
  anonymous: HttpClient;
  close(): Promise<void>;
}

/** A server over `db` on a real port, on a service of its own: a new one is a restart (the log replayed). */
export async function serve(db: Db, clock: TestClock): Promise<Server> {
  const service = new CouncilsService(db, clock, { passwordHash: testPasswordHashCost });
  // one address plays every voter: the anonymous routes' rate limit is off
  const app = await buildApp({
    service,
    publicUrl: 'http://127.0.0.1',
    anonymousRate: false,
    inspectReply: checkReply,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  return { service, anonymous: new HttpClient(base), close: () => app.close() };
}

/** What an accepted cast or challenge put on the board, as its answer (201) said. */
export interface Posted {
  voter: number;
  /** What the voter chose. */
  option: string;
  kind: 'ballot' | 'spoiled';
  seq: number;
  ballotId: string;
  code: string;
}

export interface HeldVote {
  voteId: string;
  /** `/orgs/:org/votes/:vote/secret` */
  path: string;
  election: ballot.Election;
  /** Homomorphic: the options of its one contest (a1 for, against, abstain); mixed: the candidates (a1, a2, a3). */
  options: string[];
  /** A mixed vote (ranked ballots, shuffled by the trustees in order before they decrypt the list). */
  ranked: boolean;
  /** Every accepted cast and challenge, in board order. */
  posted: Posted[];
  /** Voter `voter` encrypts `option` and casts it (201); a revote when the voter cast before. */
  cast(voter: number, option: string): Promise<Posted & { ballot: ballot.BallotBody }>;
  /** Voter `voter` challenges a ballot for `option` (201): spoiled, never counted; returns the ballot too. */
  spoil(voter: number, option: string): Promise<Posted & { ballot: ballot.BallotBody }>;
  /** A ballot for `option` (ranked: `option` first, alone) with voter `voter`'s credential, not sent. */
  encrypt(voter: number, option: string): ballot.BallotBody;
  /** A mixed vote, voting over: each trustee in turn shuffles the list it reads and signs its shuffle. */
  mix(): Promise<void>;
  /** Posts `ballot` to `…/ballots` as it is, with no session: the status and the answer. */
  send(ballot: unknown): Promise<{ status: number; json: Record<string, unknown> }>;
  /** Moves the clock past the end of voting and runs the scheduler once. */
  endVoting(): Promise<void>;
  /** Trustee `i` (1-based) decrypts the sums of the board it reads over HTTP, page by page (mixed: the mixed list). */
  decrypt(i: number): Promise<void>;
  /**
   * What the receipt of `code` must answer, from `posted` alone: the last cast of a credential counted, its earlier
   * ones superseded by it (tallied too once a mixed vote's list is decrypted: every cast was mixed), a challenge
   * spoiled.
   */
  expected(code: string, tallied: boolean): Receipt;
}

export interface HeldOrg {
  server: Server;
  clock: TestClock;
  orgId: string;
  /** The members, signed in; 0..2 are the trustees. */
  people: HttpClient[];
  /** A new secret vote of every member (homomorphic, or `ranked`: mixed), voting open, every credential listed. */
  vote(ranked?: boolean): Promise<HeldVote>;
}

/** An organisation of `voters` members in one council, its record public (anyone reads a vote's board). */
export async function heldOrg(db: Db, voters: number): Promise<HeldOrg> {
  const clock = new TestClock();
  const server = await serve(db, clock);
  const { orgId, invitations } = await server.service.foundWithInvitations(
    organisation({
      name: 'Works',
      founders: [],
      invitations: Array.from({ length: voters }, (_, i) => ({ name: `V${i}`, councilId: 'all' })),
      constitution: { recordVisibility: 'public' },
    }),
  );
  const people = await Promise.all(
    invitations.map((inv, i) => new HttpClient(server.anonymous.base).join(inv.token, `v${i}@example.org`)),
  );
  const trustees = people.slice(0, 3);
  return {
    server,
    clock,
    orgId,
    people,
    async vote(ranked = false) {
      const times = { registrationMinutes: 30, minutes: 60 };
      const opened = ranked
        ? await openMixedVote(people[0]!, orgId, trustees, times)
        : await openSecretVote(viaHttp(people[0]!), orgId, 'all', trustees.map(viaHttp), 2, times);
      const { path, voteId, setup } = opened;
      const { secrets } = await runKeyGeneration(g, opened, trustees.map(viaHttp));
      const creds: { secret: string }[] = [];
      for (const p of people)
        creds.push((await registerOverApi(g, viaHttp(p), viaHttp(server.anonymous), path)).credential);
      const started = await wholeBoard(server.anonymous, path);
      assert.equal(started.view.phase, 'voting', 'the list froze when every member had listed');
      const election = ballot.electionFromBoard(g, started.board as unknown as ballot.Board)!;
      assert.ok(election);
      const options = ranked
        ? (await server.anonymous.ok('GET', `${path}/mix`)).candidates
        : election.setup.manifest.contests[0]!.options;
      const pick = (o: string) => {
        assert.ok(options.includes(o), o);
        return [options.map((x: string) => (x === o ? 1 : 0))];
      };
      const posted: Posted[] = [];
      const encrypted = (voter: number, option: string) =>
        ranked
          ? ballot.encryptRanking(g, election, creds[voter]!.secret, [[option]], rnd)
          : ballot.encryptBallot(g, election, creds[voter]!.secret, pick(option), rnd);
      const encrypt = (voter: number, option: string) => encrypted(voter, option).ballot as ballot.BallotBody;
      const list = async () =>
        (await server.anonymous.ok('GET', `${path}/mix/list`)) as {
          stage: string;
          ciphertexts: ballot.MixList;
        };
      const shareOf = async (i: number) => {
        const { board } = await wholeBoard(server.anonymous, path);
        const of = (kind: string) => board.filter((e) => e.kind === kind).map((e) => e.body as never);
        const dealt = of('dkg-shares');
        const key = ballot.dkgResult(g, setup, of('dkg-commit'), dealt, of('dkg-accusation'));
        const received = ballot.dkgReceive(g, setup, secrets[i - 1]!, dealt, rnd).received;
        return { board, share: ballot.trusteeShare(g, secrets[i - 1]!, received, key) };
      };
      const send = async (b: unknown) => {
        const r = await server.anonymous.request('POST', `${path}/ballots`, { ballot: b });
        return r as { status: number; json: Record<string, unknown> };
      };
      return {
        voteId,
        path,
        election,
        options,
        ranked,
        posted,
        encrypt,
        send,
        async cast(voter, option) {
          const b = encrypt(voter, option);
          const r = await send(b);
          assert.equal(r.status, 201, JSON.stringify(r.json));
          const seq = r.json.seq as number;
          const p = { voter, option, kind: 'ballot' as const, seq, ballotId: b.id, code: b.code };
          posted.push(p);
          return { ...p, ballot: b };
        },
        async spoil(voter, option) {
          const c = encrypted(voter, option);
          const spoiled = ranked
            ? ballot.spoilRanked(g, election, c.ballot as ballot.RankedBallotBody, c.ballotNonce)
            : ballot.spoilBallot(g, election, c.ballot as ballot.BallotBody, c.ballotNonce);
          const r = await server.anonymous.ok('POST', `${path}/spoiled`, { spoiled });
          assert.deepEqual(ranked ? r.ranking : r.plaintext, ranked ? [[option]] : pick(option), 'it opens');
          const { id: ballotId, code } = c.ballot;
          const p = { voter, option, kind: 'spoiled' as const, seq: r.seq as number, ballotId, code };
          posted.push(p);
          return { ...p, ballot: c.ballot as ballot.BallotBody };
        },
        async endVoting() {
          clock.advanceMinutes(61);
          await runDueActs(server.service, [orgId]);
        },
        async mix() {
          for (let slot = 1; slot <= trustees.length; slot++) {
            const { ciphertexts } = await list();
            const shuffled = ballot.shuffle(g, election, slot, ciphertexts, rnd);
            const communication = secrets[slot - 1]!.communicationSecret;
            const signed = ballot.signShuffle(g, election, slot, ciphertexts, shuffled, communication, rnd);
            await trustees[slot - 1]!.ok('POST', `${path}/shuffles`, { shuffle: signed });
          }
        },
        async decrypt(i) {
          const { board, share } = await shareOf(i);
          const body = ranked
            ? ballot.mixPartialDecrypt(g, election, share, (await list()).ciphertexts, rnd)
            : ballot.partialDecrypt(
                g,
                election,
                share,
                ballot.boardAggregate(g, board as unknown as ballot.Board, nativeRsaPssVerify).aggregate,
                rnd,
              );
          const kind = ranked ? 'mix-decryption' : 'partial-decryption';
          await trustees[i - 1]!.ok('POST', `${path}/trustee`, { kind, body });
        },
        expected(code, tallied) {
          const p = posted.find((x) => x.code === code);
          if (!p) return { status: 'not-found', tallied: false };
          const { ballotId, seq } = p;
          if (p.kind === 'spoiled') return { status: 'spoiled', ballotId, seq, tallied: false };
          const last = posted.filter((x) => x.kind === 'ballot' && x.voter === p.voter).at(-1)!;
          if (last !== p)
            return { status: 'superseded', ballotId, seq, by: last.ballotId, tallied: ranked && tallied };
          return { status: 'counted', ballotId, seq, tallied };
        },
      };
    },
  };
}

/** `mover` moves a ranked motion among three programmes, mixed by the trustees in order (2 decrypt), and opens its vote. */
async function openMixedVote(
  mover: HttpClient,
  org: string,
  trustees: HttpClient[],
  times: { registrationMinutes: number; minutes: number },
) {
  const { motionId } = await mover.ok('POST', `/orgs/${org}/councils/all/motions`, {
    title: 'Which programme?',
    text: '',
    alternatives: ['A', 'B', 'C'].map((title) => ({ title, text: '' })),
    method: 'schulze',
    secret: {
      trustees: trustees.map((t) => t.memberId!),
      threshold: 2,
      registrationMinutes: times.registrationMinutes,
      mixMinutes: 10,
    },
  });
  await mover.ok('POST', `/orgs/${org}/motions/${motionId}/vote`, { minutes: times.minutes });
  const { voteId } = await mover.ok('GET', `/orgs/${org}/motions/${motionId}`);
  const path = `/orgs/${org}/votes/${voteId}/secret`;
  const view = await mover.ok('GET', `${path}?board=key`);
  return { motionId, voteId, path, setup: view.board[0]!.body as ballot.SetupBody };
}

/** One page of `board=all`: `after` omitted when undefined. */
export async function boardPage(
  client: HttpClient,
  path: string,
  limit?: number,
  after?: number,
): Promise<{ board: BoardEntryView[]; boardNext: number | null } & Record<string, unknown>> {
  const q = [
    `board=all`,
    ...(limit ? [`limit=${limit}`] : []),
    ...(after !== undefined ? [`after=${after}`] : []),
  ];
  const r = await client.request('GET', `${path}?${q.join('&')}`);
  assert.equal(r.status, 200, `${path}?${q.join('&')} → ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

/**
 * The board read page by page, `limit` at a time, following `boardNext` from the first page: the entries, every page
 * as it came, and the first page's view. Every page but the last is full, and the pages end.
 */
export async function wholeBoard(client: HttpClient, path: string, limit?: number) {
  const pages: BoardEntryView[][] = [];
  let page = await boardPage(client, path, limit);
  const view = page;
  for (let after = -1; ;) {
    pages.push(page.board);
    if (page.boardNext === null) break;
    assert.ok(page.boardNext > after, `the pages end: boardNext ${page.boardNext} after ${after}`);
    assert.equal(page.board.length, limit ?? 1000, 'only the last page is short');
    assert.equal(page.boardNext, page.board.at(-1)!.seq, 'boardNext is the last seq of the page');
    after = page.boardNext;
    page = await boardPage(client, path, limit, after);
  }
  assert.ok(pages.at(-1)!.length < (limit ?? 1000), 'the last page is short');
  return { board: pages.flat(), pages, view };
}

/**
 * The vote's board as the log holds it: its `board_posted` entries read directly from `log_entries` and parsed, in
 * seq order, without Councils' own issuance entries (not on the board), as `GET …/secret` shows an entry.
 */
export async function boardFromLog(
  db: Db,
  orgId: string,
  voteId: string,
  /** `board`: what `board=all` shows; `mix`: a mixed vote's own board (its ranked ballots, shuffles, decryptions). */
  part: 'board' | 'mix' = 'board',
): Promise<BoardEntryView[]> {
  const rows = await db.kysely
    .selectFrom('log_entries')
    .select('body')
    .where('org_id', '=', orgId)
    .where('act', '=', 'board_posted')
    .orderBy('seq')
    .execute();
  return rows
    .map((r) => JSON.parse(r.body) as Entry)
    .filter((e) => {
      const p = e.payload as BoardPosted;
      return (
        p.voteId === voteId &&
        p.kind !== 'credential-issued' &&
        MIX_KINDS.includes(p.kind) === (part === 'mix')
      );
    })
    .map((e) => {
      const p = e.payload as BoardPosted;
      return { seq: e.seq, kind: p.kind, at: Date.parse(e.time), body: p.body as Record<string, unknown> };
    });
}
