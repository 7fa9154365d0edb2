// The decryption deadline is the core's rule, not only the scheduler's (src/core/secret/decryption.ts,
// docs/MIXNET.md §16.4), and a mixed vote has the decryption duty a homomorphic one has, on SQLite and PostgreSQL:
// - a share dated at or after the duty's deadline is refused (homomorphic and mixed) even before the scheduler has
//   ended the vote, and a log holding one fails the replay;
// - when a mixed vote's mixing ends (its last mixer shuffled or was skipped) the scheduler records the duty, naming
//   the trustees and the deadline counted from that end; the inbox and the notices (e-mail, webhook) follow from
//   it; at the deadline without k shares the vote ends not decrypted, naming who did not, and the motion returns.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { attentionFor, noticesOf, type Entry } from '../../src/core/index.ts';
import { replayEntries } from '../../src/core/replay.ts';
import { testDatabases } from '../support/databases.ts';
import { openSmallSecretVote, type SmallSecretVote } from '../support/small-secret-vote.ts';

const day = 24 * 60;

async function failures(es: Entry[]): Promise<string> {
  const checks = await replayEntries(es);
  return checks
    .filter((c) => c.status !== 'pass')
    .map((c) => `${c.id}: ${c.detail}`)
    .join('\n');
}

/** The log with every entry from `from` on moved `minutes` later (a writer who dated a share late). */
const later = (es: Entry[], from: number, minutes: number): Entry[] =>
  es.map((e, i) =>
    i < from ? e : { ...e, time: new Date(Date.parse(e.time) + minutes * 60_000).toISOString() },
  );

const dutyOf = async (v: SmallSecretVote) => (await v.vote()).secret!.decryption;

for (const database of testDatabases()) {
  describe(`the decryption deadline (${database.name})`, { timeout: 600_000 }, () => {
    test('a homomorphic share after the deadline is refused, and a log with one fails the replay', async () => {
      const db = await database.open();
      try {
        const v = await openSmallSecretVote(db, { ranked: false });
        v.clock.advanceMinutes(61);
        await v.tick();
        const decryptBy = new Date(Date.parse(v.closesAt) + 3 * day * 60_000).toISOString();
        assert.equal((await dutyOf(v))?.decryptBy, decryptBy);
        assert.equal((await v.decrypt(1)).ok, true);
        // the deadline has come; the scheduler has not yet acted: the k-th share is refused all the same
        v.clock.t = Date.parse(decryptBy);
        const late = await v.decrypt(2);
        assert.equal(late.ok, false, 'a share at the deadline is refused');
        assert.deepEqual(late.ok ? null : [late.code, late.reason], [
          'too_late',
          'decryption_deadline_passed',
        ]);
        await v.tick();
        assert.equal((await v.vote()).outcome, 'failed');
        assert.equal(await failures(await v.entries()), '', 'the log replays');

        // another vote decrypted in time; its log with the second share (and all after it) dated a day later
        const w = await openSmallSecretVote(db, { ranked: false });
        w.clock.advanceMinutes(61);
        await w.tick();
        for (const i of [1, 2]) assert.equal((await w.decrypt(i)).ok, true);
        assert.equal((await w.vote()).outcome, 'adopted');
        const entries = await w.entries();
        assert.equal(await failures(entries), '', 'the honest log replays');
        const second = entries.findLastIndex(
          (e) => e.act === 'board_posted' && e.payload.kind === 'partial-decryption',
        );
        assert.match(
          await failures(later(entries, second, 4 * day)),
          /replay_rules: .*decryption_deadline_passed|replay_rules: .*had until/,
        );
        // A record from before the rule (its duty without refusesLate) whose k-th share came after the deadline,
        // before the scheduler failed the vote, was taken then: it must go on verifying (review finding; it failed
        // replay_rules when the rule was applied to every duty).
        const old = later(entries, second, 4 * day).map((e): Entry => {
          if (e.act !== 'decryption_due') return e;
          const { refusesLate: _, ...before } = e.payload;
          return { ...e, payload: before };
        });
        assert.equal(await failures(old), '', 'an old record with a late share replays');
      } finally {
        await db.close();
      }
    });

    test('a mixed vote: the duty when mixing ends, a late share refused, not decrypted at the deadline', async () => {
      const db = await database.open();
      try {
        const mv = await openSmallSecretVote(db);
        const [t1, t2, t3] = mv.trustees as [string, string, string];
        const state = async () => mv.service.ledger(mv.orgId).current();
        const inbox = async (who: string) =>
          attentionFor(await state(), who, mv.clock.now().toISOString()).find(
            (i) => i.kind === 'trustee_decryption',
          );
        const ended = await mv.mixOneSkipTwo(async () =>
          assert.equal(await inbox(t2), undefined, 'nothing to decrypt while mixing'),
        );

        // the duty: recorded once, by the organisation, from the end of mixing
        const decryptBy = new Date(Date.parse(ended) + 3 * day * 60_000).toISOString();
        await mv.tick();
        const duties = (await mv.entries()).filter((e) => e.act === 'decryption_due');
        assert.equal(duties.length, 1);
        assert.equal(duties[0]!.actor, null);
        assert.deepEqual(duties[0]!.payload, {
          voteId: mv.voteId,
          decryptBy,
          awaited: [t1, t2, t3],
          refusesLate: true,
        });
        assert.equal((await inbox(t2))?.closesAt, decryptBy);
        const notices = noticesOf(await state(), duties[0]!, mv.clock.now().toISOString());
        assert.deepEqual(
          notices.map((n) => [n.kind, n.memberIds, n.deadline]),
          [['trustee_decryption', [t1, t2, t3], decryptBy]],
          'the e-mail and the webhook vote.decryption_due come from this notice',
        );

        // trustee 1 decrypts; at the deadline, before the scheduler acts, trustee 2's share is refused
        assert.equal((await mv.decrypt(1)).ok, true);
        assert.equal(await inbox(t1), undefined);
        mv.clock.t = Date.parse(decryptBy) - 60_000;
        await mv.tick();
        assert.equal((await mv.vote()).closedAt, null, 'nothing ends before the deadline');
        mv.clock.t = Date.parse(decryptBy);
        const late = await mv.decrypt(2);
        assert.deepEqual(late.ok ? null : [late.code, late.reason], [
          'too_late',
          'decryption_deadline_passed',
        ]);
        await mv.tick();
        const vote = await mv.vote();
        assert.equal(vote.outcome, 'failed');
        const failed = (await mv.entries()).find((e) => e.act === 'vote_failed')!;
        assert.deepEqual((failed.payload as { notDecrypted?: unknown }).notDecrypted, {
          awaited: [t2, t3],
          decryptBy,
          needed: 2,
          shares: 1,
        });
        assert.match(
          (failed.payload as { reason: string }).reason,
          new RegExp(`not decrypted by ${t2}, ${t3}`),
        );
        assert.equal((await state()).motions.get(mv.motionId)!.state, 'debate');
        assert.equal(
          await failures(await mv.entries()),
          '',
          'the log replays, duty and ending decided again',
        );

        // another mixed vote decrypted in time; its log with the second share dated after the deadline
        const w = await openSmallSecretVote(db);
        await w.mixOneSkipTwo();
        for (const i of [1, 2]) assert.equal((await w.decrypt(i)).ok, true);
        const entries = await w.entries();
        assert.equal(await failures(entries), '', 'the honest log replays');
        const second = entries.findLastIndex(
          (e) => e.act === 'board_posted' && e.payload.kind === 'mix-decryption',
        );
        assert.match(
          await failures(later(entries, second, 4 * day)),
          /secret_ballot: .*decryption of trustee 2 at .*, after the deadline/,
        );
        // …and the late share cannot be slipped in by dropping the duty's mark: a mixed vote's duty always has it
        const unmarked = later(entries, second, 4 * day).map((e): Entry => {
          if (e.act !== 'decryption_due') return e;
          const { refusesLate: _, ...before } = e.payload;
          return { ...e, payload: before };
        });
        assert.match(await failures(unmarked), /does not say it refuses late shares/);
      } finally {
        await db.close();
      }
    });
  });
}
