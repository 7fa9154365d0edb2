// The trustees' decryption duty and its deadline (src/core/secret/decryption.ts, docs/NOTIFICATIONS.md), over the
// in-process API on SQLite and PostgreSQL with a real SMTP server. A secret vote of three trustees (any two
// decrypt) whose third is disqualified in key generation: when voting ends the scheduler records the duty
// (`decryption_due`) naming the two qualified trustees and the deadline; each has it in the inbox with the deadline
// and receives one e-mail, in their language; one decrypts, the other does not; at the deadline the vote ends "not
// decrypted", naming who did not, and the record replays with every check passing. A forged deadline is named.
// A lapsed motion tells its mover.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import * as ballot from '../../src/ballot/index.ts';
import { replayEntries, type Entry } from '../../src/core/index.ts';
import { runMail } from '../../src/server/mail/notifier.ts';
import { runDueActs } from '../../src/server/scheduler.ts';
import { readEntries } from '../../src/store/log-repository.ts';
import { apiOrgWithMail } from '../support/api-org.ts';
import { ApiClient } from '../support/api-client.ts';
import { testDatabases } from '../support/databases.ts';
import { registerOverApi } from '../support/secret-credential.ts';
import { openSecretVote } from '../support/secret-vote.ts';

const g = await ballot.sodiumGroup();
const rnd = (n: number) => new Uint8Array(randomBytes(n));
const day = 24 * 60;

interface View {
  phase: string;
  board: (ballot.BoardEntry & { seq: number })[];
  disqualified: number[];
  decryptBy: string | null;
  notDecrypted?: { decryptBy: string; shares: number; needed: number; awaited: string[] };
  aggregate?: ballot.Aggregate;
}
const boardOf = (v: View): ballot.BoardEntry[] =>
  v.board.map(({ kind, at, body }) => ({ kind, at, body }) as ballot.BoardEntry);
const bodiesOf = <K extends ballot.BoardEntry['kind']>(board: ballot.BoardEntry[], kind: K) =>
  board.flatMap((e) => (e.kind === kind ? [e.body as Extract<ballot.BoardEntry, { kind: K }>['body']] : []));
interface Item {
  id: string;
  kind: string;
  closesAt: string | null;
}

for (const database of testDatabases()) {
  describe(`the trustees' decryption duty on ${database.name}`, { timeout: 600_000 }, () => {
    test('called when voting ends, announced once with its deadline; not decrypted in time, the vote ends naming who did not', async () => {
      const { o, sink, close } = await apiOrgWithMail(await database.open());
      try {
        const { ana, ben, cai } = o.people as Record<string, ApiClient>;
        const north = [ana!, ben!, cai!];
        await ben!.ok('PUT', '/me/locale', { locale: 'es' });
        const vote = await openSecretVote(ana!, o.orgId, 'north', north, 2, {
          registrationMinutes: 10,
          minutes: 30,
        });
        const view = () => ana!.ok<View>('GET', `${vote.path}?board=all`);
        // key generation: trustee 3 (cai) deals trustee 1 a bad share; trustee 1 accuses it, so cai is disqualified
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
        const shares = bodiesOf(boardOf(await view()), 'dkg-shares');
        const received = round1.map((r) => ballot.dkgReceive(g, vote.setup, r.secret, shares, rnd));
        await ana!.ok('POST', `${vote.path}/trustee`, {
          kind: 'dkg-accusation',
          body: received[0]!.accusations[0],
        });
        assert.deepEqual((await view()).disqualified, [3], 'marked disqualified once the key is made');
        const anonymous = new ApiClient(o.app);
        for (const p of north) await registerOverApi(g, p, anonymous, vote.path);
        assert.equal((await view()).phase, 'voting');
        const { closesAt } = await ana!.ok<{ closesAt: string }>(
          'GET',
          `/orgs/${o.orgId}/votes/${vote.voteId}`,
        );

        // Voting ends: the scheduler records the duty, for the two qualified trustees, with the deadline.
        await runDueActs(o.service);
        assert.equal((await view()).decryptBy, null, 'not before voting ends');
        o.clock.advanceMinutes(31);
        await runDueActs(o.service);
        await runDueActs(o.service); // once only
        const log = await ana!.ok<{ entries: Entry[] }>('GET', `/orgs/${o.orgId}/log?from=0&limit=1000`);
        const duties = log.entries.filter((e) => e.act === 'decryption_due');
        const decryptBy = new Date(Date.parse(closesAt) + 3 * day * 60_000).toISOString();
        assert.equal(duties.length, 1);
        assert.equal(duties[0]!.actor, null);
        assert.deepEqual(duties[0]!.payload, {
          voteId: vote.voteId,
          decryptBy,
          awaited: [ana!.memberId, ben!.memberId],
          refusesLate: true,
        });
        assert.equal((await view()).decryptBy, decryptBy);

        // The inbox: each qualified trustee has the duty, with its deadline; the disqualified one has none.
        const duty = async (who: ApiClient) =>
          (await who.ok<{ items: Item[] }>('GET', `/orgs/${o.orgId}/attention`)).items.find(
            (i) => i.kind === 'trustee_decryption',
          );
        assert.equal((await duty(ben!))?.closesAt, decryptBy);
        assert.equal((await duty(ana!))?.closesAt, decryptBy);
        assert.equal(await duty(cai!), undefined);

        // E-mail: one message each ("immediately" by default), in the trustee's language, with the deadline.
        await runMail(o.service);
        await runMail(o.service);
        const duties2 = (to: string) =>
          sink.received.filter((m) => m.to === to && /Decrypt the result|Descifra el resultado/.test(m.raw));
        assert.equal(duties2('ana@example.org').length, 1);
        assert.equal(duties2('ben@example.org').length, 1);
        assert.equal(duties2('cai@example.org').length, 0);
        const benMail = duties2('ben@example.org')[0]!.raw;
        assert.match(benMail, /Descifra el resultado/);
        assert.match(benMail, new RegExp(`${decryptBy.slice(0, 16).replace('T', ' ')} UTC`));

        // Ana decrypts; ben does not. Before the deadline nothing ends; at it, the vote ends not decrypted.
        const closed = await view();
        const key = ballot.dkgResult(
          g,
          vote.setup,
          commits,
          shares,
          bodiesOf(boardOf(closed), 'dkg-accusation'),
        );
        const share = ballot.trusteeShare(g, round1[0]!.secret, received[0]!.received, key);
        const election = ballot.electionFromBoard(g, boardOf(closed))!;
        const body = ballot.partialDecrypt(g, election, share, closed.aggregate!, rnd);
        await ana!.ok('POST', `${vote.path}/trustee`, { kind: 'partial-decryption', body });
        o.clock.t = Date.parse(decryptBy) - 60_000;
        await runDueActs(o.service);
        assert.equal((await view()).phase, 'decryption');
        o.clock.t = Date.parse(decryptBy);
        await runDueActs(o.service);
        const ended = await view();
        assert.equal(ended.phase, 'failed');
        assert.deepEqual(ended.notDecrypted, {
          decryptBy,
          shares: 1,
          needed: 2,
          awaited: [ben!.memberId],
        });
        const motion = await ana!.ok<{ state: string }>('GET', `/orgs/${o.orgId}/motions/${vote.motionId}`);
        assert.equal(motion.state, 'debate');
        // the duty is gone from the inbox once the vote has ended
        assert.equal(await duty(ben!), undefined);

        // The record replays: every act decided again, the duty and the ending included.
        const entries: Entry[] = [];
        for await (const e of readEntries(o.db.kysely, o.orgId)) entries.push(e);
        const checks = await replayEntries(entries);
        assert.deepEqual(
          checks.filter((c) => c.status !== 'pass'),
          [],
        );
        // A deadline written later than the rules set, or a trustee left out, is named.
        const dutyAt = entries.findIndex((e) => e.act === 'decryption_due');
        for (const forged of [
          { ...entries[dutyAt]!.payload, decryptBy: '2099-01-01T00:00:00.000Z' },
          { ...entries[dutyAt]!.payload, awaited: [ana!.memberId] },
        ]) {
          const copy = entries.map((e, i) => (i === dutyAt ? ({ ...e, payload: forged } as Entry) : e));
          const rules = (await replayEntries(copy)).find((c) => c.id === 'replay_rules')!;
          assert.equal(rules.status, 'fail');
          assert.equal(rules.where?.entry, entries[dutyAt]!.seq);
        }
      } finally {
        await close();
      }
    });

    test('a motion that lapses for want of seconders tells its mover, once, by e-mail', async () => {
      const { o, sink, close } = await apiOrgWithMail(await database.open(), {
        procedure: { seconders: { kind: 'absolute', count: 1 }, unsecondedLapseDays: 2 },
      });
      try {
        const { ana } = o.people as Record<string, ApiClient>;
        const { motionId } = await ana!.ok<{ motionId: string }>(
          'POST',
          `/orgs/${o.orgId}/councils/north/motions`,
          { title: 'Nobody seconds this', text: 'Shall we?' },
        );
        o.clock.advanceMinutes(2 * day);
        await runDueActs(o.service);
        assert.equal(
          (await ana!.ok<{ state: string }>('GET', `/orgs/${o.orgId}/motions/${motionId}`)).state,
          'lapsed',
        );
        await runMail(o.service);
        await runMail(o.service);
        const lapsed = sink.received.filter((m) => /Your motion lapsed/.test(m.raw));
        assert.deepEqual(
          lapsed.map((m) => m.to),
          ['ana@example.org'],
        );
        assert.match(lapsed[0]!.raw, new RegExp(`/motions/${motionId}`));
      } finally {
        await close();
      }
    });
  });
}
