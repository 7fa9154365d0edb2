// The attention inbox (docs/NOTIFICATIONS.md): what concerns a member, derived from the log, with read marks kept
// per member; on SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { attentionFor } from '../../src/core/index.ts';
import { OrgLedger } from '../../src/store/ledger.ts';
import { runDueActs } from '../../src/server/scheduler.ts';
import { apiOrg, electViaApi } from '../support/api-org.ts';
import { testDatabases } from '../support/databases.ts';

interface Item {
  id: string;
  kind: string;
  read: boolean;
  closesAt: string | null;
  signatures: number | null;
  required: number | null;
  outcome: string | null;
}
type Inbox = { items: Item[]; unread: number };

for (const database of testDatabases()) {
  describe(`the attention inbox on ${database.name}`, () => {
    test('votes to cast, debates, a recall petition about you, results; read marks per member', async () => {
      // Two signatures of the north's three members carry a petition.
      const o = await apiOrg(await database.open(), {
        power: { petitions: { threshold: { kind: 'absolute', count: 2 } } },
      });
      try {
        const org = o.orgId;
        const { ana, ben, cai, dan } = o.people as Record<string, NonNullable<(typeof o.people)[string]>>;
        const inbox = (who: typeof ana) => who!.ok<Inbox>('GET', `/orgs/${org}/attention`);
        assert.deepEqual(await inbox(ana), { items: [], unread: 0 });

        // Ana is elected from the north: Ben, who voted, has the result; Dan (south) has nothing of it.
        const mandate = await electViaApi(o, 'north', 'ana', ['ana', 'ben', 'cai']);
        const benAfter = await inbox(ben);
        assert.deepEqual(
          benAfter.items.map((i) => [i.kind, i.outcome]),
          [['vote_result', 'elected']],
        );
        assert.deepEqual((await inbox(dan)).items, []);

        // A motion moved in the north enters debate: its members are told, the south is not.
        const { motionId } = await ben!.ok<{ motionId: string }>(
          'POST',
          `/orgs/${org}/councils/north/motions`,
          {
            title: 'Longer opening hours',
            text: 'Open the hall until ten.',
          },
        );
        assert.ok((await inbox(cai)).items.some((i) => i.id === `motion_debate:${motionId}`));
        assert.ok(!(await inbox(dan)).items.some((i) => i.id === `motion_debate:${motionId}`));

        // Its vote opens: each elector who has not voted is asked, with the closing time; voting clears it.
        await ben!.ok('POST', `/orgs/${org}/motions/${motionId}/vote`, {});
        const { voteId } = await ben!.ok<{ voteId: string }>('GET', `/orgs/${org}/motions/${motionId}`);
        const open = (await inbox(cai)).items.find((i) => i.id === `vote_open:${voteId}`);
        assert.ok(open?.closesAt);
        await cai!.ok('POST', `/orgs/${org}/votes/${voteId}/ballots`, { choice: 'a1' });
        assert.ok(!(await inbox(cai)).items.some((i) => i.id === `vote_open:${voteId}`));
        assert.ok((await inbox(ben)).items.some((i) => i.id === `vote_open:${voteId}`));

        // A recall petition about Ana's mandate: Ana sees it with its signatures; the others are asked to sign.
        const { petitionId } = await ben!.ok<{ petitionId: string }>('POST', `/orgs/${org}/petitions`, {
          kind: 'recall',
          councilId: 'north',
          mandateId: mandate,
          title: 'Recall Ana',
          text: 'She stopped reporting back.',
        });
        const about = (await inbox(ana)).items.find((i) => i.kind === 'recall_petition');
        assert.equal(about?.id, `recall_petition:${petitionId}`);
        assert.equal(about?.signatures, 1);
        assert.equal(about?.required, 2);
        assert.ok((await inbox(cai)).items.some((i) => i.id === `petition:${petitionId}`));
        assert.ok(!(await inbox(ben)).items.some((i) => i.id === `petition:${petitionId}`)); // signed it

        // Read marks: one item, then all; another member's marks are their own; a new item is unread.
        const caiBefore = await inbox(cai);
        assert.equal(caiBefore.unread, caiBefore.items.length);
        const first = caiBefore.items[0]!.id;
        const marked = await cai!.ok<{ unread: number }>('POST', `/orgs/${org}/attention/read`, {
          itemIds: [first],
        });
        assert.equal(marked.unread, caiBefore.items.length - 1);
        assert.equal((await inbox(cai)).items.find((i) => i.id === first)?.read, true);
        assert.equal(
          (await cai!.ok<{ unread: number }>('POST', `/orgs/${org}/attention/read`, { all: true })).unread,
          0,
        );
        assert.ok((await inbox(ben)).unread > 0);
        await ben!.ok('POST', `/orgs/${org}/votes/${voteId}/ballots`, { choice: 'a1' });
        await ana!.ok('POST', `/orgs/${org}/votes/${voteId}/ballots`, { choice: 'against' });
        o.clock.advanceMinutes(60 * 24 * 8);
        await runDueActs(o.service);
        const after = await inbox(cai);
        assert.deepEqual(
          after.items.filter((i) => !i.read).map((i) => i.id),
          [`vote_result:${voteId}`],
        );
        // Bad input changes nothing.
        await cai!.fails('POST', `/orgs/${org}/attention/read`, { all: false }, 400, 'invalid_request');
        await cai!.fails('POST', `/orgs/${org}/attention/read`, { itemIds: [] }, 400, 'invalid_request');
        await dan!.fails('GET', `/orgs/other_org/attention`, undefined, 403, 'forbidden');

        // Derived from the log: a ledger replaying the database's log gives every member the same items.
        const replayed = await new OrgLedger(o.db, org, o.clock).current();
        const live = await o.service.ledger(org).current();
        const now = o.clock.now().toISOString();
        for (const who of [ana, ben, cai, dan])
          assert.deepEqual(
            attentionFor(replayed, who!.memberId!, now),
            attentionFor(live, who!.memberId!, now),
          );
      } finally {
        await o.close();
      }
    });
  });
}
