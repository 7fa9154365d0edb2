// Two organisations on one installation whose founders chose the same ids (council "all", member "ana"): every
// table keys its rows within an organisation, so neither overwrites the other's rows, reads see only their own
// organisation, and accounts are per organisation. On real SQLite and real PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Entry } from '../../src/core/index.ts';
import type { Db } from '../../src/store/database.ts';
import { foundOrganisation, type OrgLedger } from '../../src/store/ledger.ts';
import { dumpProjections } from '../../src/store/projection-repository.ts';
import { rebuildOrg } from '../../src/store/rebuild.ts';
import { getCouncilName, getMember, getMotion, getVote } from '../../src/store/read-repository.ts';
import { getCouncilMembers, getCouncilTree } from '../../src/store/read-councils.ts';
import { getBallots, getElectorate } from '../../src/store/read-votes.ts';
import {
  findAccountByEmail,
  insertAccount,
  insertApiToken,
  listApiTokens,
  revokeApiToken,
} from '../../src/store/account-repository.ts';
import { TestClock, testDatabases } from '../support/databases.ts';
import { must } from '../support/ledger-steps.ts';
import { type Founding, organisation } from '../support/factory.ts';

const founding = (tag: string): Founding =>
  organisation({
    name: `Cooperative ${tag}`,
    councils: [
      { id: 'all', name: `General Council ${tag}`, parentId: null, seatsInParent: 0 },
      { id: 'bakery', name: `Bakery ${tag}`, parentId: 'all', seatsInParent: 1 },
    ],
    founders: [
      { memberId: 'ana', name: `Ana ${tag}`, councilId: 'bakery' },
      { memberId: 'ben', name: `Ben ${tag}`, councilId: 'bakery' },
    ],
  });

// Ids the test chooses, the same in both organisations, as founders or a `councils init` file may choose them.
const sameIds = () => {
  let n = 0;
  return (kind: string) => `${kind}_${++n}`;
};

for (const database of testDatabases()) {
  describe(`two organisations with the same ids on ${database.name}`, () => {
    let db: Db;
    const clock = new TestClock();
    before(async () => {
      db = await database.open();
    });
    after(async () => {
      await db.close();
    });

    test('neither overwrites the other; reads and rebuilds stay within an organisation', async () => {
      const orgs: { id: string; ledger: OrgLedger; motionId: string; voteId: string }[] = [];
      // Each organisation's electorates, from its own ledger's state.
      const electoratesOf = (o: (typeof orgs)[0]) => async (voteId: string) =>
        (await o.ledger.current()).votes.get(voteId)?.electorate;
      for (const tag of ['A', 'B']) {
        const ids = sameIds();
        const { ledger, outcome } = await foundOrganisation(db, founding(tag), clock, (kind) =>
          kind === 'org' ? `org_${tag}` : ids(kind),
        );
        assert.ok(outcome.ok);
        // The same motion and vote ids in both organisations: each ledger's ids come from the same sequence.
        const moved = await must(
          ledger,
          { type: 'move_motion', councilId: 'bakery', title: `Bread ${tag}`, text: tag },
          'ana',
        );
        const motionId = (moved[0] as Extract<Entry, { act: 'motion_moved' }>).payload.motionId;
        orgs.push({ id: `org_${tag}`, ledger, motionId, voteId: '' });
      }
      const [a, b] = orgs as [(typeof orgs)[0], (typeof orgs)[0]];
      assert.equal(a.motionId, b.motionId, 'the test means both organisations to use one motion id');

      for (const [o, tag] of [
        [a, 'A'],
        [b, 'B'],
      ] as const) {
        const tree = await getCouncilTree(db.kysely, o.id, clock.now().toISOString());
        assert.deepEqual(
          tree.map((c) => [c.id, c.name]),
          [
            ['all', `General Council ${tag}`],
            ['bakery', `Bakery ${tag}`],
          ],
        );
        assert.deepEqual(
          (await getCouncilMembers(db.kysely, o.id, 'bakery')).members.map((m) => m.name),
          [`Ana ${tag}`, `Ben ${tag}`],
        );
        assert.equal(await getCouncilName(db.kysely, o.id, 'bakery'), `Bakery ${tag}`);
        assert.deepEqual((await getMember(db.kysely, o.id, 'ana'))?.baseCouncilIds, ['bakery']);
        assert.equal((await getMotion(db.kysely, o.id, o.motionId, electoratesOf(o)))?.title, `Bread ${tag}`);
      }

      // Open a vote in A only: B's motion with the same id stays without one.
      const opened = await must(a.ledger, { type: 'open_vote', motionId: a.motionId }, 'ana');
      const voteId = (opened.find((e) => e.act === 'vote_opened') as Extract<Entry, { act: 'vote_opened' }>)
        .payload.voteId;
      const options = (await getVote(db.kysely, a.id, voteId, electoratesOf(a)))!.options;
      await must(a.ledger, { type: 'cast_ballot', voteId, ballot: { choice: options[0]! } }, 'ana');
      assert.equal((await getMotion(db.kysely, b.id, b.motionId, electoratesOf(b)))?.vote, null);
      assert.equal(await getVote(db.kysely, b.id, voteId, electoratesOf(b)), undefined);
      assert.deepEqual(
        (await getElectorate(db.kysely, a.id, (await electoratesOf(a)(voteId))!)).electors.map((e) => e.name),
        ['Ana A', 'Ben A'],
      );
      assert.deepEqual(
        (await getBallots(db.kysely, a.id, voteId)).ballots.map((x) => x.name),
        ['Ana A'],
      );

      // Each organisation's rows are all there, and a rebuild of either equals the live rows of both.
      const liveA = await dumpProjections(db.kysely, a.id);
      const liveB = await dumpProjections(db.kysely, b.id);
      assert.equal(liveA.councils!.length, 2);
      assert.equal(liveB.councils!.length, 2);
      assert.equal(liveA.members!.length, 2);
      assert.equal(liveB.members!.length, 2);
      assert.equal(liveB.motions!.length, 1);
      await rebuildOrg(db, b.id);
      await rebuildOrg(db, a.id);
      assert.deepEqual(await dumpProjections(db.kysely, a.id), liveA);
      assert.deepEqual(await dumpProjections(db.kysely, b.id), liveB);
    });

    test('accounts and API tokens are per organisation: a member id names a member of one organisation', async () => {
      const now = clock.now().toISOString();
      const hash = 'argon2-hash-not-checked-here';
      await insertAccount(
        db.kysely,
        { memberId: 'ana', orgId: 'org_A', email: 'ana@a.example', passwordHash: hash },
        now,
      );
      await insertAccount(
        db.kysely,
        { memberId: 'ana', orgId: 'org_B', email: 'ana@b.example', passwordHash: hash },
        now,
      );
      assert.equal((await findAccountByEmail(db.kysely, 'ana@a.example'))?.orgId, 'org_A');
      assert.equal((await findAccountByEmail(db.kysely, 'ana@b.example'))?.orgId, 'org_B');

      const token = { memberId: 'ana', name: 'script', createdAt: now };
      await insertApiToken(db.kysely, 'hash-a', { ...token, id: 'token_1', orgId: 'org_A' });
      await insertApiToken(db.kysely, 'hash-b', { ...token, id: 'token_1', orgId: 'org_B' });
      assert.deepEqual(
        (await listApiTokens(db.kysely, 'org_A', 'ana')).map((t) => t.orgId),
        ['org_A'],
      );
      // Ana of A cannot revoke Ana of B's token, even with its id.
      assert.equal(await revokeApiToken(db.kysely, 'org_A', 'ana', 'token_1', now), true);
      assert.deepEqual(
        (await listApiTokens(db.kysely, 'org_B', 'ana')).map((t) => t.orgId),
        ['org_B'],
      );
    });
  });
}
