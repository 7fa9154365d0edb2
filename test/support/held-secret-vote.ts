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
  const service = new CouncilsService(db, clock, {});
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
  /** The options of its one contest: a1 (for), against, abstain. */
  options: string[];
  /** Every accepted cast and challenge, in board order. */
  posted: Posted[];
  /** Voter `voter` encrypts `option` and casts it (201); a revote when the voter cast before. */
  cast(voter: number, option: string): Promise<Posted & { ballot: ballot.BallotBody }>;
  /** Voter `voter` challenges a ballot for `option` (201): spoiled, never counted; returns the ballot too. */
  spoil(voter: number, option: string): Promise<Posted & { ballot: ballot.BallotBody }>;
  /** A ballot for `option` with voter `voter`'s credential, not sent. */
  encrypt(voter: number, option: string): ballot.BallotBody;
  /** Posts `ballot` to `…/ballots` as it is, with no session: the status and the answer. */
  send(ballot: unknown): Promise<{ status: number; json: Record<string, unknown> }>;
  /** Moves the clock past the end of voting and runs the scheduler once. */
  endVoting(): Promise<void>;
  /** Trustee `i` (1-based) decrypts the sums of the board it reads over HTTP, page by page. */
  decrypt(i: number): Promise<void>;
  /** What the receipt of `code` must answer, from `posted` alone (a homomorphic vote: last cast per credential). */
  expected(code: string, tallied: boolean): Receipt;
}

export interface HeldOrg {
  server: Server;
  clock: TestClock;
  orgId: string;
  /** The members, signed in; 0..2 are the trustees. */
  people: HttpClient[];
  /** A new homomorphic secret vote of every member, voting open, every credential listed. */
  vote(): Promise<HeldVote>;
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
    async vote() {
      const opened = await openSecretVote(viaHttp(people[0]!), orgId, 'all', trustees.map(viaHttp), 2, {
        registrationMinutes: 30,
        minutes: 60,
      });
      const { path, voteId, setup } = opened;
      const { secrets } = await runKeyGeneration(g, opened, trustees.map(viaHttp));
      const creds: { secret: string }[] = [];
      for (const p of people)
        creds.push((await registerOverApi(g, viaHttp(p), viaHttp(server.anonymous), path)).credential);
      const started = await wholeBoard(server.anonymous, path);
      assert.equal(started.view.phase, 'voting', 'the list froze when every member had listed');
      const election = ballot.electionFromBoard(g, started.board as unknown as ballot.Board)!;
      assert.ok(election);
      const options = election.setup.manifest.contests[0]!.options;
      const pick = (o: string) => {
        assert.ok(options.includes(o), o);
        return [options.map((x) => (x === o ? 1 : 0))];
      };
      const posted: Posted[] = [];
      const encrypt = (voter: number, option: string) =>
        ballot.encryptBallot(g, election, creds[voter]!.secret, pick(option), rnd).ballot;
      const send = async (b: unknown) => {
        const r = await server.anonymous.request('POST', `${path}/ballots`, { ballot: b });
        return r as { status: number; json: Record<string, unknown> };
      };
      return {
        voteId,
        path,
        election,
        options,
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
          const c = ballot.encryptBallot(g, election, creds[voter]!.secret, pick(option), rnd);
          const spoiled = ballot.spoilBallot(g, election, c.ballot, c.ballotNonce);
          const r = await server.anonymous.ok('POST', `${path}/spoiled`, { spoiled });
          assert.deepEqual(r.plaintext, pick(option), 'the challenge opens to the choice');
          const { id: ballotId, code } = c.ballot;
          const p = { voter, option, kind: 'spoiled' as const, seq: r.seq as number, ballotId, code };
          posted.push(p);
          return { ...p, ballot: c.ballot };
        },
        async endVoting() {
          clock.advanceMinutes(61);
          await runDueActs(server.service, [orgId]);
        },
        async decrypt(i) {
          const { board } = await wholeBoard(server.anonymous, path);
          const of = (kind: string) => board.filter((e) => e.kind === kind).map((e) => e.body as never);
          const dealt = of('dkg-shares');
          const key = ballot.dkgResult(g, setup, of('dkg-commit'), dealt, of('dkg-accusation'));
          const secret = secrets[i - 1]!;
          const received = ballot.dkgReceive(g, setup, secret, dealt, rnd).received;
          const { election: e, aggregate } = ballot.boardAggregate(
            g,
            board as unknown as ballot.Board,
            nativeRsaPssVerify,
          );
          const body = ballot.partialDecrypt(
            g,
            e,
            ballot.trusteeShare(g, secret, received, key),
            aggregate,
            rnd,
          );
          await trustees[i - 1]!.ok('POST', `${path}/trustee`, { kind: 'partial-decryption', body });
        },
        expected(code, tallied) {
          const p = posted.find((x) => x.code === code);
          if (!p) return { status: 'not-found', tallied: false };
          const { ballotId, seq } = p;
          if (p.kind === 'spoiled') return { status: 'spoiled', ballotId, seq, tallied: false };
          const last = posted.filter((x) => x.kind === 'ballot' && x.voter === p.voter).at(-1)!;
          if (last !== p) return { status: 'superseded', ballotId, seq, by: last.ballotId, tallied: false };
          return { status: 'counted', ballotId, seq, tallied };
        },
      };
    },
  };
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
export async function boardFromLog(db: Db, orgId: string, voteId: string): Promise<BoardEntryView[]> {
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
      return p.voteId === voteId && p.kind !== 'credential-issued';
    })
    .map((e) => {
      const p = e.payload as BoardPosted;
      return { seq: e.seq, kind: p.kind, at: Date.parse(e.time), body: p.body as Record<string, unknown> };
    });
}
