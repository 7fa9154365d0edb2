// The JSON Schemas of docs/BALLOT-PROTOCOL.md §7.1 are true of a real secret vote through the ledger (SQLite, the
// in-process API): every `board_posted` and `vote_failed` entry of the log, as GET /orgs/:org/log gives it, and
// every view of GET …/secret?board=all|election|key, validate against their schemas. The vote has every kind of
// message: a bad share and its accusation, issuances, the frozen list, ballots, a revote, a challenge, partial
// decryptions and the result; a second vote fails at its registration deadline. A ranked (mixed) vote likewise:
// every entry of its log, the bodies joined from their parts, and GET …/secret naming the decryptions and who is
// still to decrypt (docs/MIXNET.md §16.2, §16.6).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import * as ballot from '../../src/ballot/index.ts';
import type { Entry } from '../../src/core/index.ts';
import { runDueActs } from '../../src/server/scheduler.ts';
import { secretView } from '../../src/server/secret-votes.ts';
import { openDatabase } from '../../src/store/database.ts';
import { apiOrg } from '../support/api-org.ts';
import { ApiClient } from '../support/api-client.ts';
import { schemaErrors } from '../support/board-schemas.ts';
import { registerOverApi } from '../support/secret-credential.ts';
import { openSecretVote } from '../support/secret-vote.ts';
import { openSmallSecretVote } from '../support/small-secret-vote.ts';

const g = await ballot.sodiumGroup();
const rnd = (n: number) => new Uint8Array(randomBytes(n));

type View = { board: (ballot.BoardEntry & { seq: number })[]; phase: string };
const bodiesOf = <K extends ballot.BoardEntry['kind']>(board: ballot.BoardEntry[], kind: K) =>
  board.flatMap((e) => (e.kind === kind ? [e.body as Extract<ballot.BoardEntry, { kind: K }>['body']] : []));
const boardOf = (v: View): ballot.BoardEntry[] =>
  v.board.map(({ kind, at, body }) => ({ kind, at, body }) as ballot.BoardEntry);

describe('the board schemas over a secret vote through the ledger', { timeout: 600_000 }, () => {
  test('every log entry of the vote and every view of its board validates', async () => {
    const o = await apiOrg();
    try {
      const { ana, ben, cai, dan, eve } = o.people as Record<string, ApiClient>;
      const north = [ana!, ben!, cai!];
      const vote = await openSecretVote(ana!, o.orgId, 'north', north, 2, {
        registrationMinutes: 10,
        minutes: 30,
      });
      // a second vote, in South, whose trustees never commit: it fails at its registration deadline
      const failing = await openSecretVote(dan!, o.orgId, 'south', [dan!, eve!], 2, {
        registrationMinutes: 10,
        minutes: 30,
      });

      // key generation: trustee 3 deals trustee 1 a share of another polynomial; trustee 1 accuses it
      const round1 = north.map((_, i) => ballot.dkgCommit(g, vote.setup, i + 1, rnd));
      for (const [i, r] of round1.entries())
        await north[i]!.ok('POST', `${vote.path}/trustee`, { kind: 'dkg-commit', body: r.message });
      const commits = round1.map((r) => r.message);
      for (const [i, r] of round1.entries()) {
        const body = ballot.dkgShares(g, vote.setup, r.secret, commits, rnd);
        if (i === 2) {
          const other = {
            ...r.secret,
            coefficients: r.secret.coefficients.map((c, j) => (j === 0 ? '01' + c.slice(2) : c)),
          };
          const bad = ballot.dkgShares(g, vote.setup, other, commits, rnd).shares.find((s) => s.to === 1)!;
          body.shares = body.shares.map((s) => (s.to === 1 ? bad : s));
        }
        await north[i]!.ok('POST', `${vote.path}/trustee`, { kind: 'dkg-shares', body });
      }
      const shares = bodiesOf(boardOf(await ana!.ok<View>('GET', vote.path)), 'dkg-shares');
      const received = round1.map((r) => ballot.dkgReceive(g, vote.setup, r.secret, shares, rnd));
      assert.equal(received[0]!.accusations.length, 1);
      await ana!.ok('POST', `${vote.path}/trustee`, {
        kind: 'dkg-accusation',
        body: received[0]!.accusations[0],
      });

      // registration: each elector is issued a blind signature and lists the credential anonymously; the list
      // freezes when all three are listed
      const anonymous = new ApiClient(o.app);
      const creds: { secret: string; public: string }[] = [];
      for (const p of north) creds.push((await registerOverApi(g, p, anonymous, vote.path)).credential);
      const frozen = await ana!.ok<View>('GET', vote.path);
      assert.equal(frozen.phase, 'voting');
      const election = ballot.electionFromBoard(g, boardOf(frozen))!;
      assert.deepEqual(election.qualified, [1, 2]);

      // voting: a challenge, three ballots and a revote, all without a session
      const cast = async (voter: number, choice: number[]) => {
        const { ballot: b } = ballot.encryptBallot(g, election, creds[voter]!.secret, [choice], rnd);
        await anonymous.ok('POST', `${vote.path}/ballots`, { ballot: b });
      };
      const challenged = ballot.encryptBallot(g, election, creds[0]!.secret, [[1, 0, 0]], rnd);
      await anonymous.ok('POST', `${vote.path}/spoiled`, {
        spoiled: ballot.spoilBallot(g, election, challenged.ballot, challenged.ballotNonce),
      });
      await cast(0, [1, 0, 0]);
      await cast(1, [0, 1, 0]);
      await cast(2, [1, 0, 0]);
      await cast(1, [1, 0, 0]);

      // decryption by the two qualified trustees; the second closes the vote
      o.clock.advanceMinutes(31);
      const closed = await ana!.ok<View & { aggregate: Pick<ballot.Aggregate, 'ciphertexts'> }>(
        'GET',
        vote.path,
      );
      const key = ballot.dkgResult(
        g,
        vote.setup,
        commits,
        shares,
        bodiesOf(boardOf(closed), 'dkg-accusation'),
      );
      for (const i of [0, 1]) {
        const share = ballot.trusteeShare(g, round1[i]!.secret, received[i]!.received, key);
        const body = ballot.partialDecrypt(g, election, share, closed.aggregate, rnd);
        await north[i]!.ok('POST', `${vote.path}/trustee`, { kind: 'partial-decryption', body });
      }
      assert.ok((await runDueActs(o.service)) >= 1, 'the South vote fails');

      // every entry of both votes in the log
      const { entries } = await ana!.ok<{ entries: { act: string; payload: { kind?: string } }[] }>(
        'GET',
        `/orgs/${o.orgId}/log?limit=1000`,
      );
      const seen = new Set<string>();
      for (const e of entries) {
        if (e.act !== 'board_posted' && e.act !== 'vote_failed' && e.act !== 'decryption_due') continue;
        seen.add(e.act === 'vote_failed' ? 'vote_failed' : e.payload.kind!);
        assert.equal(schemaErrors('log-entry', e), null, JSON.stringify(e).slice(0, 200));
      }
      const kinds = [
        'setup',
        'dkg-commit',
        'dkg-shares',
        'dkg-accusation',
        'credential-issued',
        'credentials',
      ];
      kinds.push('ballot', 'spoiled', 'partial-decryption', 'result', 'vote_failed');
      assert.deepEqual([...seen].sort(), kinds.sort());

      // every view of both boards, and the board a verifier rebuilds from them verifies
      for (const path of [vote.path, failing.path]) {
        for (const part of ['all', 'election', 'key']) {
          const view = await eve!.request('GET', `${path}?board=${part}`);
          assert.equal(view.statusCode, 200);
          assert.equal(schemaErrors('secret-view', view.json()), null, `${path}?board=${part}`);
        }
      }
      const decided = await ana!.ok<View>('GET', vote.path);
      assert.equal(decided.phase, 'decided');
      assert.equal(ballot.verifyBoard(g, boardOf(decided)).ok, true);
      assert.equal((await ana!.ok<View>('GET', failing.path)).phase, 'failed');
    } finally {
      await o.close();
    }
  });
  test('every log entry of a ranked vote, its joined bodies and its view validate', async () => {
    const db = await openDatabase(':memory:');
    try {
      // decided: mixer 1 shuffles, 2 and 3 are skipped, trustees 1 and 2 decrypt; failed: only trustee 1 decrypts
      const decided = await openSmallSecretVote(db);
      await decided.mixOneSkipTwo();
      assert.equal((await decided.decrypt(1)).ok, true);
      const view = await secretView(decided.service, decided.orgId, decided.voteId);
      assert.equal(view.phase, 'decryption');
      assert.deepEqual(view.decrypted, [1], 'the decryptions of the mixed list are listed');
      assert.deepEqual(view.awaited, decided.trustees.slice(1), 'and who is still to decrypt');
      assert.equal(schemaErrors('secret-view', view), null);
      assert.equal((await decided.decrypt(2)).ok, true);
      const done = await secretView(decided.service, decided.orgId, decided.voteId);
      assert.deepEqual([done.phase, done.decrypted, done.awaited], ['decided', [1, 2], []]);
      const failed = await openSmallSecretVote(db);
      await failed.mixOneSkipTwo();
      assert.equal((await failed.decrypt(1)).ok, true);
      failed.clock.advanceMinutes(3 * 24 * 60);
      await failed.tick();
      assert.equal((await failed.vote()).outcome, 'failed');

      const seen = new Set<string>();
      const joined = new Map<string, string[]>();
      for (const e of [...(await decided.entries()), ...(await failed.entries())]) {
        if (e.act !== 'board_posted' && e.act !== 'vote_failed' && e.act !== 'decryption_due') continue;
        const kind = e.act === 'board_posted' ? e.payload.kind : e.act;
        seen.add(kind);
        assert.equal(schemaErrors('log-entry', e), null, `${kind}: ${JSON.stringify(e).slice(0, 200)}`);
        const body = (e as Extract<Entry, { act: 'board_posted' }>).payload.body as Record<string, unknown>;
        if (['ranked-ballot', 'ranked-spoiled', 'mixer-skipped'].includes(kind))
          assert.equal(schemaErrors(kind, body), null, kind);
        if (['shuffle', 'mix-decryption', 'mix-result'].includes(kind)) {
          const texts = [...(joined.get(kind) ?? []), body.text as string];
          if (body.part === (body.parts as number) - 1) {
            const whole = JSON.parse(texts.join('')) as Record<string, unknown>;
            assert.equal(schemaErrors(kind, whole), null, `${kind} joined`);
            // the mixer's signature is part of the shuffle's schema (docs/MIXNET.md §12), and nothing else may be
            if (kind === 'shuffle') {
              assert.ok(whole.signature, 'a shuffle of a new vote is signed');
              const extra = { ...whole, signature: { ...(whole.signature as object), note: 'x' } };
              assert.notEqual(schemaErrors(kind, extra), null, 'a signature with a member it does not name');
            }
            joined.set(kind, []);
          } else joined.set(kind, texts);
        }
      }
      const kinds = ['setup', 'dkg-commit', 'dkg-shares', 'credential-issued', 'credentials'];
      kinds.push(
        'ranked-ballot',
        'ranked-spoiled',
        'shuffle',
        'mixer-skipped',
        'mix-decryption',
        'mix-result',
      );
      kinds.push('decryption_due', 'vote_failed');
      assert.deepEqual([...seen].sort(), kinds.sort());

      // the schemas refuse what the server would: a part naming both a slot and a trustee, a padded ballot
      const entries = await decided.entries();
      const shuffle = structuredClone(
        entries.find((e) => e.act === 'board_posted' && e.payload.kind === 'shuffle')!,
      );
      (shuffle.payload as { body: Record<string, unknown> }).body.trustee = 1;
      assert.match(schemaErrors('log-entry', shuffle) ?? '', /additional properties/);
      const cast = entries.find((e) => e.act === 'board_posted' && e.payload.kind === 'ranked-ballot')!;
      const padded = { ...(cast.payload as { body: object }).body, note: 'x' };
      assert.match(schemaErrors('ranked-ballot', padded) ?? '', /additional/);
      const named = { ...cast, actor: decided.trustees[0] };
      assert.notEqual(schemaErrors('log-entry', named), null, 'a ranked ballot is anonymous');
    } finally {
      await db.close();
    }
  });
});
