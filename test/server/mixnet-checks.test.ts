// Mixed votes' proofs checked off the main thread, and the mix routes' bodies (issue 20, docs/MIXNET.md §16.9), on
// SQLite and PostgreSQL with one ballot-check thread: a shuffle's proof and a trustee's decryption proofs are
// verified on the worker before the organisation's queue, which takes them as verified only for the very bytes
// checked; a forged one is refused there and nothing is logged; a mixer repeating invalid shuffles runs out of
// tokens (429) before its body is read; a non-member's or a non-mixer's 60 MiB body is refused before it is read in
// full; a DKG message over the usual limit is refused, with or without a Content-Length.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import * as ballot from '../../src/ballot/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { MIX_RATE } from '../../src/server/mix-checks.ts';
import { issueCredential, listSignedCredential } from '../../src/server/secret-votes.ts';
import { CouncilsService } from '../../src/server/service.ts';
import { ApiClient } from '../support/api-client.ts';
import { testDatabases, TestClock } from '../support/databases.ts';
import { council, organisation } from '../support/factory.ts';
import { testPasswordHashCost } from '../support/password-cost.ts';

const g = await ballot.sodiumGroup();
const rnd = (n: number) => new Uint8Array(randomBytes(n));
const VOTERS = 6;

/**
 * POSTs a body of `size` bytes of which only the first MiB is ever sent until the server answers; resolves with the
 * answer, or rejects if none comes before the deadline (a server that waits for the whole body never answers).
 */
function postHuge(
  url: string,
  token: string | null,
  size: number,
  deadlineMs = 120_000,
): Promise<{ status: number; body: string; sent: number }> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const req = httpRequest(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(size),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer within ${deadlineMs} ms: the server waited for the body`));
    }, deadlineMs);
    req.on('response', (res: IncomingMessage) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode!, body, sent: chunk.length });
      });
    });
    req.on('error', () => {}); // the server may close the connection under the unsent rest
    req.write(chunk);
  });
}

/** POSTs `size` bytes in chunks with no Content-Length (chunked encoding); resolves with the answer. */
function postChunked(url: string, token: string, size: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    });
    req.on('response', (res: IncomingMessage) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    const text = `{"kind":"dkg-commit","body":{"pad":"${'x'.repeat(size)}"}}`;
    for (let i = 0; i < text.length; i += 64 * 1024) req.write(text.slice(i, i + 64 * 1024));
    req.end();
  });
}

for (const database of testDatabases()) {
  describe(
    `mixed votes' proofs on the worker threads, and the mix routes' bodies (${database.name})`,
    {
      timeout: 600_000,
    },
    () => {
      test('checked before the queue, rate-limited per member, large bodies only from the due mixer or trustee', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'councils-mixchecks-'));
        const db = await database.open();
        const clock = new TestClock();
        const service = new CouncilsService(db, clock, {
          keyDir: join(dir, 'keys'),
          ballotWorkers: 1,
          passwordHash: testPasswordHashCost,
        });
        const app = await buildApp({ service, publicUrl: 'http://127.0.0.1:3000', anonymousRate: false });
        await app.listen({ port: 0, host: '127.0.0.1' });
        const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/v1`;
        try {
          const voters = Array.from({ length: VOTERS }, (_, i) => `m${i}`);
          const { orgId, invitations } = await service.foundWithInvitations(
            organisation({
              name: 'Mix checks',
              councils: [council('fed', 'Federation'), council('all', 'Assembly', 'fed', 2)],
              founders: voters.map((memberId) => ({ memberId, name: memberId, councilId: 'all' })),
              invitations: ['Tia', 'Tom', 'Tess'].map((name) => ({ name, councilId: 'all' })),
            }),
          );
          const trustees = await Promise.all(
            invitations.map((inv) =>
              new ApiClient(app).join(inv.token, `${inv.name.toLowerCase()}@example.org`),
            ),
          );
          const [tia, tom, tess] = trustees as [ApiClient, ApiClient, ApiClient];
          const tokens = await Promise.all(
            trustees.map(
              async (t) => (await t.ok<{ token: string }>('POST', '/tokens', { name: 't' })).token,
            ),
          );
          const org = `/orgs/${orgId}`;
          const { motionId } = await tia.ok<{ motionId: string }>('POST', `${org}/councils/all/elections`, {
            method: 'scottish-stv',
            secret: {
              trustees: trustees.map((t) => t.memberId!),
              threshold: 2,
              registrationMinutes: 30,
              mixMinutes: 60,
            },
          });
          for (let c = 0; c < 3; c++)
            await tia.ok('POST', `${org}/motions/${motionId}/alternatives`, {
              title: `Candidate ${c}`,
              text: '',
              candidateId: voters[c],
            });
          await tia.ok('POST', `${org}/motions/${motionId}/vote`, { minutes: 120 });
          const { voteId } = await tia.ok<{ voteId: string }>('GET', `${org}/motions/${motionId}`);
          const path = `${org}/votes/${voteId}/secret`;
          const setup = (await tia.ok<{ board: ballot.BoardEntry[] }>('GET', path)).board[0]!
            .body as ballot.SetupBody;

          // a DKG message over the usual 1 MiB is refused (413), with a length or chunked, before the core sees it
          const over = await postHuge(`${base}${path}/trustee`, tokens[0]!, 2 * 1024 * 1024);
          assert.equal(over.status, 413, over.body);
          assert.equal(JSON.parse(over.body).error, 'payload_too_large');
          const chunked = await postChunked(`${base}${path}/trustee`, tokens[0]!, 2 * 1024 * 1024);
          assert.equal(chunked.status, 413, chunked.body);
          assert.equal(JSON.parse(chunked.body).error, 'payload_too_large');

          const round1 = trustees.map((_, i) => ballot.dkgCommit(g, setup, i + 1, rnd));
          for (const [i, r] of round1.entries())
            await trustees[i]!.ok('POST', `${path}/trustee`, { kind: 'dkg-commit', body: r.message });
          const commits = round1.map((r) => r.message);
          const dealt = round1.map((r) => ballot.dkgShares(g, setup, r.secret, commits, rnd));
          for (const [i, body] of dealt.entries())
            await trustees[i]!.ok('POST', `${path}/trustee`, { kind: 'dkg-shares', body });
          const dkg = ballot.dkgResult(g, setup, commits, dealt, []);
          const shareOf = (i: number) =>
            ballot.trusteeShare(
              g,
              round1[i]!.secret,
              ballot.dkgReceive(g, setup, round1[i]!.secret, dealt, rnd).received,
              dkg,
            );
          const key = setup.issuers![0]!;
          const electors = [...voters, ...trustees.map((t) => t.memberId!)];
          const creds = electors.map(() => ballot.makeCredential(g, rnd));
          for (const [i, c] of creds.entries()) {
            const req = ballot.requestToken(key, setup.setupHash, c.public, rnd);
            const issued = await issueCredential(service, orgId, voteId, electors[i]!, req.blindedMessage);
            await listSignedCredential(
              service,
              orgId,
              voteId,
              ballot.finishToken(key, setup.setupHash, c.public, issued.blindSignature, req.inv)!,
            );
          }
          const election = (await service.ledger(orgId).current()).votes.get(voteId)!.secret!.election!;
          const candidates = (await tia.ok<{ candidates: string[] }>('GET', `${path}/mix`)).candidates;
          for (let i = 0; i < VOTERS; i++) {
            const ranking = [[candidates[i % 3]!], [candidates[(i + 1) % 3]!]];
            const b = ballot.encryptRanking(g, election, creds[i]!.secret, ranking, rnd).ballot;
            await new ApiClient(app).ok('POST', `${path}/ballots`, { ballot: b });
          }
          clock.advanceMinutes(121);
          const seqNow = async () => (await service.ledger(orgId).current()).size;
          const list = async () =>
            (await tia.ok<{ ciphertexts: ballot.MixList }>('GET', `${path}/mix/list`)).ciphertexts;
          const counts = service.mixChecks.counts;

          // a 60 MiB body from a non-member and from a member whose turn it is not: refused before it is read
          const shuffles = `${base}${path}/shuffles`;
          const anonymous = await postHuge(shuffles, null, 60 * 1024 * 1024);
          assert.equal(anonymous.status, 401, anonymous.body);
          const notDue = await postHuge(shuffles, tokens[1]!, 60 * 1024 * 1024);
          assert.equal(notDue.status, 403, notDue.body);
          assert.equal(JSON.parse(notDue.body).reason, 'not_your_turn');
          // a trustee's 60 MiB decryption before mixing is over is held to the usual limit
          const early = await postHuge(`${base}${path}/trustee`, tokens[2]!, 60 * 1024 * 1024);
          assert.equal(early.status, 413, early.body);

          // mixer 1: a forged shuffle is refused by the worker's check, nothing logged; the honest one is taken
          // by the queue as verified (the same bytes against the same list)
          const input1 = await list();
          // each mixer signs with its trustee key (docs/MIXNET.md §12)
          const signed = (slot: number, input: ballot.MixList) =>
            ballot.signShuffle(
              g,
              election,
              slot,
              input,
              ballot.shuffle(g, election, slot, input, rnd),
              round1[slot - 1]!.secret.communicationSecret,
              rnd,
            );
          const honest1 = signed(1, input1);
          const forged = structuredClone(honest1);
          forged.ciphertexts[0] = input1[0]!; // not re-encrypted
          const before = await seqNow();
          const refused = await tia.request('POST', `${path}/shuffles`, { shuffle: forged });
          assert.equal(refused.statusCode, 409, refused.body);
          assert.equal(JSON.parse(refused.body).reason, 'shuffle_invalid');
          assert.deepEqual([counts.refused, counts.passed, await seqNow()], [1, 0, before]);
          await tia.ok('POST', `${path}/shuffles`, { shuffle: honest1 });
          assert.deepEqual([counts.passed, counts.trusted], [1, 1]);

          // mixer 2 repeats well-formed invalid shuffles: each costs one check on the worker, then its tokens run
          // out and the rest is refused before its body is read (the bucket refills with the server's clock)
          const input2 = await list();
          const bad2 = signed(2, input2);
          bad2.ciphertexts.reverse();
          for (let i = 0; i < MIX_RATE.burst; i++) {
            const r = await tom.request('POST', `${path}/shuffles`, { shuffle: bad2 });
            assert.equal(r.statusCode, 409, `attempt ${i + 1}: ${r.body}`);
          }
          const limited = await tom.request('POST', `${path}/shuffles`, { shuffle: bad2 });
          assert.equal(limited.statusCode, 429, limited.body);
          assert.equal(JSON.parse(limited.body).error, 'rate_limited');
          assert.equal(counts.refused, 1 + MIX_RATE.burst, 'the refused post was not checked');
          const honest2 = signed(2, input2);
          assert.equal((await tom.request('POST', `${path}/shuffles`, { shuffle: honest2 })).statusCode, 429);
          clock.advanceMinutes(5);
          await tom.ok('POST', `${path}/shuffles`, { shuffle: honest2 });
          await tess.ok('POST', `${path}/shuffles`, {
            shuffle: signed(3, await list()),
          });
          assert.deepEqual([counts.passed, counts.trusted], [3, 3]);

          // decryption: a lying share is refused by the worker; trustees 1 and 3 decrypt, which closes the vote
          const final = await list();
          const pd1 = ballot.mixPartialDecrypt(g, election, shareOf(0), final, rnd);
          const lie = structuredClone(pd1);
          lie.decryptions[1]![0]!.M = pd1.decryptions[2]![0]!.M;
          const lying = await tia.request('POST', `${path}/trustee`, { kind: 'mix-decryption', body: lie });
          assert.equal(lying.statusCode, 409, lying.body);
          assert.equal(JSON.parse(lying.body).reason, 'mix_decryption_invalid');
          await tia.ok('POST', `${path}/trustee`, { kind: 'mix-decryption', body: pd1 });
          const pd3 = ballot.mixPartialDecrypt(g, election, shareOf(2), final, rnd);
          await tess.ok('POST', `${path}/trustee`, { kind: 'mix-decryption', body: pd3 });
          assert.deepEqual([counts.passed, counts.trusted, counts.refused], [5, 5, 2 + MIX_RATE.burst]);
          const done = await tia.ok<{ phase: string; count: { valid: number } }>('GET', `${path}/mix`);
          assert.deepEqual([done.phase, done.count.valid], ['decided', VOTERS]);

          // what went on the board verifies (the proofs taken as verified were valid)
          const board = await tia.ok<{
            cast: { ballot: ballot.RankedBallotBody; at: number }[];
            shuffles: { slot: number; shuffle: ballot.ShuffleBody }[];
            partials: { decryption: ballot.MixDecryptionBody }[];
            result: { result: ballot.MixResultBody };
          }>('GET', `${path}/mix/board`);
          const report = ballot.verifyMixBoard(g, election, {
            cast: board.cast,
            shuffles: board.shuffles.map((s) => s.shuffle),
            partials: board.partials.map((p) => p.decryption),
            result: board.result.result,
            signers: { slots: board.shuffles.map((s) => s.slot), keys: ballot.mixerKeys(commits) },
          });
          assert.ok(report.ok, JSON.stringify(report.checks));
        } finally {
          await app.close();
          await service.ballotChecks?.close();
          await db.close();
          rmSync(dir, { recursive: true, force: true });
        }
      });
    },
  );
}
