// End to end: a council holds a secret vote over the HTTP API with 3-of-5 trustees and 50 voters. Trustees and one
// voter use the CLI (`councils trustee`, `councils ballot`); the other voters' devices are library calls. Some
// revote, one challenges; malformed ballots are refused and change nothing; `councils verify` passes on the
// export bundle; then one byte of one ballot is changed and verification fails, naming the ballot.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as ballot from '../../src/ballot/index.ts';
import { cli } from '../support/cli.ts';
import {
  leafHash,
  parseSignerKey,
  rootFromLeafHashes,
  signCheckpoint,
  staticRecordFiles,
  splitLines,
} from '../../src/record/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { checkReply } from '../support/response-check.ts';
import { logOrigin } from '../../src/node/record-keeper.ts';
import { CouncilsService } from '../../src/server/service.ts';
import { openDatabase, type Db } from '../../src/store/database.ts';
import { ApiClient } from '../support/api-client.ts';
import { registerOverApi } from '../support/secret-credential.ts';
import { TestClock } from '../support/databases.ts';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { organisation } from '../support/factory.ts';
import { testPasswordHashCost } from '../support/password-cost.ts';

const VOTERS = 50;
const g = await ballot.sodiumGroup();
const rnd = (n: number) => new Uint8Array(randomBytes(n));

describe('a secret vote over the API and the CLI', { timeout: 600_000 }, () => {
  let dir: string;
  let db: Db;
  let service: CouncilsService;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let url: string;
  let org: string;
  let vote: string;
  let motion: string;
  const people: ApiClient[] = [];
  const tokens: string[] = [];
  const clock = new TestClock();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'councils-secret-'));
    db = await openDatabase(join(dir, 'councils.db'));
    service = new CouncilsService(db, clock, {
      keyDir: join(dir, 'keys'),
      passwordHash: testPasswordHashCost,
    });
    // One test process plays 50 voters from one address: 50 anonymous listings, then casts, revotes and a
    // challenge; the per-address limit of the anonymous routes (60 at once by default) is raised for it.
    app = await buildApp({
      service,
      publicUrl: 'http://127.0.0.1',
      anonymousRate: { burst: 1000, perMinute: 1000 },
      inspectReply: checkReply,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const founded = await service.foundWithInvitations(
      organisation({
        name: 'Works',
        councils: [{ id: 'all', name: 'Assembly', parentId: null, seatsInParent: 0 }],
        founders: [],
        invitations: Array.from({ length: VOTERS }, (_, i) => ({ name: `V${i}`, councilId: 'all' })),
      }),
    );
    org = founded.orgId;
    for (const [i, inv] of founded.invitations.entries()) {
      people.push(await new ApiClient(app).join(inv.token, `v${i}@example.org`));
    }
    for (const p of people.slice(0, 6))
      tokens.push((await p.ok<{ token: string }>('POST', '/tokens', { name: 'cli' })).token);
  });
  after(async () => {
    await app.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const conn = (i: number) => [
    '--server',
    url,
    '--token',
    tokens[i]!,
    '--org',
    org,
    '--vote',
    vote,
    '--dir',
    join(dir, `secrets-${i}`),
  ];

  test('a council decides by secret ballot, and councils verify confirms it from the record alone', async () => {
    const trustees = people.slice(0, 5).map((p) => p.memberId!);
    ({ motionId: motion } = await people[0]!.ok<{ motionId: string }>(
      'POST',
      `/orgs/${org}/councils/all/motions`,
      {
        title: 'Strike on Monday',
        text: 'Shall we strike?',
        secret: { trustees, threshold: 3, registrationMinutes: 30 },
      },
    ));
    await people[0]!.ok('POST', `/orgs/${org}/motions/${motion}/vote`, { minutes: 60 });
    vote = (await people[1]!.ok<{ voteId: string }>('GET', `/orgs/${org}/motions/${motion}`)).voteId;

    // key generation: every trustee on their own machine (the CLI), secrets in 0600 files
    for (const step of ['commit', 'shares', 'check']) {
      for (let i = 0; i < 5; i++) {
        const r = await cli('trustee', step, ...conn(i));
        assert.equal(r.code, 0, `${step} ${i}: ${r.err}`);
      }
    }
    assert.equal(statSync(join(dir, 'secrets-0', `${org}-${vote}-trustee.json`)).mode & 0o777, 0o600);
    const view = await people[9]!.ok<{ phase: string }>('GET', `/orgs/${org}/votes/${vote}/secret`);
    assert.equal(view.phase, 'registration');

    // registration (docs/BALLOT-PROTOCOL.md §4.1): voter 5 through the CLI, the others from their devices
    // (library calls); each is issued a blind signature with their session and lists the credential with none
    const reg = await cli('ballot', 'register', '--delay', '0', ...conn(5));
    assert.equal(reg.code, 0, reg.err);
    assert.match(reg.out, /credential issued[\s\S]*listed anonymously \(1 of 50 electors\)/);
    const lister = new ApiClient(app);
    const creds: ({ secret: string; public: string } | null)[] = [];
    for (const [i, p] of people.entries()) {
      if (i === 5) creds.push(null);
      else creds.push((await registerOverApi(g, p, lister, `/orgs/${org}/votes/${vote}/secret`)).credential);
    }
    assert.equal(lister.cookie, undefined, 'the listing client never had a session');
    const board = await people[9]!.ok<{ phase: string; board: (ballot.BoardEntry & { seq: number })[] }>(
      'GET',
      `/orgs/${org}/votes/${vote}/secret`,
    );
    assert.equal(board.phase, 'voting', 'the list freezes when every elector has registered');
    const election = ballot.electionFromBoard(
      g,
      board.board.map(({ kind, at, body }) => ({ kind, at, body }) as ballot.BoardEntry),
    )!;
    assert.ok(election);
    const frozen = board.board.find((e) => e.kind === 'credentials')!;
    const logged = await people[9]!.ok<{ entries: { seq: number; actor: string | null }[] }>(
      'GET',
      `/orgs/${org}/log?from=${frozen.seq}&limit=1`,
    );
    assert.equal(logged.entries[0]!.actor, null);

    // casting, anonymously: a client with no session at all
    const anonymous = new ApiClient(app);
    const options = election.setup.manifest.contests[0]!.options; // a1, against, abstain
    assert.deepEqual(options, ['a1', 'against', 'abstain']);
    const pick = (o: string) => [options.map((x) => (x === o ? 1 : 0))];
    const intended = (i: number) => (i % 5 === 0 ? 'against' : i === 49 ? 'abstain' : 'a1');
    const codes: string[] = [];
    const first: Record<number, string> = {};
    for (let i = 0; i < VOTERS; i++) {
      if (i === 5) continue;
      // voters 10..14 first vote the other way, then revote
      const firstChoice = i >= 10 && i < 15 ? 'against' : intended(i);
      const { ballot: b } = ballot.encryptBallot(g, election, creds[i]!.secret, pick(firstChoice), rnd);
      const r = await anonymous.ok<{ code: string; seq: number }>(
        'POST',
        `/orgs/${org}/votes/${vote}/secret/ballots`,
        { ballot: b },
      );
      assert.equal(r.code, b.code);
      codes[i] = b.code;
      first[i] = b.code;
    }
    for (let i = 10; i < 15; i++) {
      const { ballot: b } = ballot.encryptBallot(g, election, creds[i]!.secret, pick(intended(i)), rnd);
      codes[i] = (
        await anonymous.ok<{ code: string }>('POST', `/orgs/${org}/votes/${vote}/secret/ballots`, {
          ballot: b,
        })
      ).code;
    }
    // voter 5 challenges one ballot, then casts, all through the CLI
    const cast = await cli('ballot', 'cast', '--choice', 'a1', '--challenge', ...conn(5));
    assert.equal(cast.code, 0, cast.err);
    assert.match(cast.out, /challenged ballot [0-9a-f]{64} opens to \[1,0,0\]/);

    // a booth asks for the election only: the board up to the frozen list, without the ballots
    type View = { board: (ballot.BoardEntry & { seq: number })[] };
    const full = await people[9]!.ok<View>('GET', `/orgs/${org}/votes/${vote}/secret`);
    const forBooth = await people[9]!.ok<View>('GET', `/orgs/${org}/votes/${vote}/secret?board=election`);
    const last = full.board.findLastIndex((e) => e.kind === 'credentials');
    assert.ok(full.board.some((e) => e.kind === 'ballot'));
    assert.deepEqual(forBooth.board, full.board.slice(0, last + 1));
    assert.equal(ballot.electionFromBoard(g, forBooth.board)?.fingerprint, election.fingerprint);
    // or only setup and key generation, with the list's summary (§4.3): what the web booth asks for
    const keyView = await people[9]!.ok<View & { credentialList: ballot.CredentialListSummary }>(
      'GET',
      `/orgs/${org}/votes/${vote}/secret?board=key`,
    );
    assert.deepEqual(
      keyView.board,
      full.board.filter((e) => ['setup', 'dkg-commit', 'dkg-shares', 'dkg-accusation'].includes(e.kind)),
    );
    assert.deepEqual(keyView.credentialList, {
      credentialHash: election.credentialHash,
      count: VOTERS,
      totalWeight: VOTERS,
    });
    assert.equal(
      ballot.electionFromKey(g, keyView.board, keyView.credentialList)?.fingerprint,
      election.fingerprint,
    );
    await people[9]!.fails(
      'GET',
      `/orgs/${org}/votes/${vote}/secret?board=some`,
      undefined,
      400,
      'invalid_request',
    );

    // attacks over the API: each refused with its reason; the log does not grow
    const size = (await service.ledger(org).current()).size;
    const copy = (await service.ledger(org).current()).votes.get(vote)!.secret!.cast[0]!.ballot;
    await anonymous.fails(
      'POST',
      `/orgs/${org}/votes/${vote}/secret/ballots`,
      { ballot: copy },
      409,
      'ballot_rejected',
    );
    const outsider = ballot.makeCredential(g, rnd);
    const foreign = ballot.encryptBallot(g, election, outsider.secret, pick('a1'), rnd).ballot;
    const r = await anonymous.request('POST', `/orgs/${org}/votes/${vote}/secret/ballots`, {
      ballot: foreign,
    });
    assert.equal(r.statusCode, 409);
    assert.equal(r.json().reason, 'ballot_check_5_2');
    assert.deepEqual(r.json().params, { check: '5.2', reason: 'credential not on the list' });
    assert.equal(r.json().message, 'check 5.2: the credential is not on this vote’s list');
    assert.equal((await service.ledger(org).current()).size, size);

    // closing time; a late ballot is refused; trustees 1, 2 and 4 decrypt (3 of 5)
    clock.advanceMinutes(61);
    const late = ballot.encryptBallot(g, election, creds[7]!.secret, pick('a1'), rnd).ballot;
    await anonymous.fails(
      'POST',
      `/orgs/${org}/votes/${vote}/secret/ballots`,
      { ballot: late },
      409,
      'vote_closed',
    );
    for (const i of [0, 1, 3]) {
      const d = await cli('trustee', 'decrypt', ...conn(i));
      assert.equal(d.code, 0, d.err);
    }
    const decided = await people[0]!.ok<{
      state: string;
      vote: { outcome: string; result: { winners: string[] } };
    }>('GET', `/orgs/${org}/motions/${motion}`);
    assert.equal(decided.state, 'decided');
    assert.equal(decided.vote.outcome, 'adopted');
    const sv = (await service.ledger(org).current()).votes.get(vote)!.secret!;
    // against: voters 0, 10, 15, …, 45 (9; voter 5 chose a1 through the CLI); abstain: 49; a1: the other 40
    assert.deepEqual(sv.result, { tallies: [[40, 9, 1]], trustees: [1, 2, 4] });

    // receipts: counted, superseded by a revote, and the CLI voter's own check
    const counted = await people[20]!.ok<{ status: string; tallied: boolean }>(
      'GET',
      `/orgs/${org}/votes/${vote}/secret/receipts/${codes[20]}`,
    );
    assert.deepEqual([counted.status, counted.tallied], ['counted', true]);
    const superseded = await people[11]!.ok<{ status: string }>(
      'GET',
      `/orgs/${org}/votes/${vote}/secret/receipts/${first[11]}`,
    );
    assert.equal(superseded.status, 'superseded');
    const check = await cli('ballot', 'check', ...conn(5));
    assert.equal(check.code, 0, check.out + check.err);
    assert.match(check.out, /counted .*in the published tally/);

    // councils verify, on the export bundle, from the record alone
    await service.record.issue(org, true);
    const bundle = join(dir, 'bundle');
    const exp = await cli('export', '--db', join(dir, 'councils.db'), '--org', org, '--bundle', bundle);
    assert.equal(exp.code, 0, exp.err);
    const vkey = readFileSync(join(bundle, 'vkey'), 'utf8').trim();
    const ok = await cli('verify', bundle, '--key', vkey, '--no-state', '--json');
    assert.equal(ok.code, 0, ok.out + ok.err);
    const report = JSON.parse(ok.out) as { checks: { id: string; status: string; detail?: string }[] };
    const secret = report.checks.find((c) => c.id === 'secret_ballot')!;
    assert.equal(secret.status, 'pass');
    assert.match(secret.detail!, /50 ballots counted, 5 superseded/);
    assert.match(secret.detail!, /1 challenged ballots/);
    // without --json, the ballots' phase shows its progress on stderr, like the record's own phases
    const shown = await cli('verify', bundle, '--key', vkey, '--no-state');
    assert.equal(shown.code, 0, shown.out + shown.err);
    assert.match(shown.err, /… ballots: 56 of 56\n/);

    // one byte of one ballot changed: the record layer refuses the bundle, naming the entry …
    const lines = [...splitLines(readFileSync(join(bundle, 'entries.jsonl')))].map((l) =>
      new TextDecoder().decode(l),
    );
    const at = lines.findIndex((l) => l.includes('"kind":"ballot"'));
    const entry = JSON.parse(lines[at]!) as { seq: number; payload: { body: ballot.BallotBody } };
    const beta = entry.payload.body.contests[0]!.selections[0]!.beta;
    const flipped = beta.slice(0, 20) + (beta[20] === '0' ? '1' : '0') + beta.slice(21);
    const tampered = [...lines];
    tampered[at] = lines[at]!.replace(beta, flipped);
    writeFileSync(join(bundle, 'entries.jsonl'), tampered.join('\n') + '\n');
    const bad = await cli('verify', bundle, '--key', vkey, '--no-state', '--json');
    assert.equal(bad.code, 1);
    assert.equal(JSON.parse(bad.out).firstFailure.where.entry, entry.seq);

    // … and an operator holding the log key who re-signs the altered log is caught by the ballot verifier
    const bytes = tampered.map((l) => new TextEncoder().encode(l));
    const signer = readFileSync(join(dir, 'keys', `${org}.key`), 'utf8').trim();
    const note = signCheckpoint(
      {
        origin: logOrigin(org),
        size: bytes.length,
        rootHash: rootFromLeafHashes(bytes.map(leafHash)),
        extensions: [],
      },
      [parseSignerKey(signer)],
    );
    const forged = join(dir, 'forged');
    for (const [path, content] of staticRecordFiles(bytes, [note], { logKey: vkey })) {
      mkdirSync(dirname(join(forged, path)), { recursive: true });
      writeFileSync(join(forged, path), content);
    }
    const caught = await cli('verify', forged, '--key', vkey, '--no-state', '--json');
    assert.equal(caught.code, 1, caught.out);
    const failed = JSON.parse(caught.out) as {
      firstFailure: { id: string; detail: string; where: { entry: number } };
    };
    const named = JSON.parse(caught.out).checks.find((c: { id: string }) => c.id === 'secret_ballot');
    assert.equal(named.status, 'fail');
    assert.match(named.detail, new RegExp(`entry ${entry.seq} ballot ${entry.payload.body.id}: 5\\.`));
    assert.ok(failed.firstFailure);
    // the same failure, named the same way, whether the ballots are checked on 2 worker threads or in one
    const byTwo = await cli('verify', forged, '--key', vkey, '--no-state', '--json', '--workers', '2');
    const byOne = await cli('verify', forged, '--key', vkey, '--no-state', '--json', '--workers', '1');
    const secretOf = (r: { out: string }) =>
      JSON.parse(r.out).checks.find((c: { id: string }) => c.id === 'secret_ballot');
    assert.equal(byTwo.code, 1);
    assert.deepEqual(secretOf(byTwo), secretOf(byOne));
    assert.deepEqual(secretOf(byTwo), named);
  });
});
