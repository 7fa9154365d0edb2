// The transparency report is kept up to date by adding only new entries to a running tally per organisation
// (src/server/transparency-cache.ts); it must always equal the report computed from the whole log, on every
// database, also when requests come at once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { TransparencyTally, transparencyReport, type Entry } from '../../src/core/index.ts';
import { TransparencyCache } from '../../src/server/transparency-cache.ts';
import { readEntries } from '../../src/store/log-repository.ts';
import { apiOrg, electViaApi, type ApiOrg } from '../support/api-org.ts';
import { testDatabases } from '../support/databases.ts';

async function fromScratch(o: ApiOrg) {
  const entries: Entry[] = [];
  for await (const e of readEntries(o.db.kysely, o.orgId)) entries.push(e);
  return transparencyReport(entries);
}

for (const database of testDatabases()) {
  describe(`transparency report kept incrementally (${database.name})`, () => {
    let o: ApiOrg;
    let cache: TransparencyCache;
    let petitions = 0;
    const petition = (who: string, council = 'north') =>
      o.people[who]!.ok('POST', `/orgs/${o.orgId}/petitions`, {
        kind: 'agenda',
        councilId: council,
        title: `Item ${++petitions}`,
        text: 'Please debate it.',
      });
    // The route's first page holds every council here (fewer than 100): the report, its count, no next page.
    const route = async () => {
      const { councilCount, next, ...report } = await o.people.ana!.ok<Record<string, unknown>>(
        'GET',
        `/orgs/${o.orgId}/transparency`,
      );
      assert.equal(next, null);
      assert.equal(councilCount, (report.councils as unknown[]).length);
      return report;
    };

    before(async () => {
      o = await apiOrg(await database.open());
      cache = new TransparencyCache(o.db.kysely);
    });
    after(() => o?.close());

    test('equals the report from the whole log after each step, through the cache and the route', async () => {
      assert.deepEqual(await cache.report(o.orgId), await fromScratch(o));
      assert.deepEqual(await route(), await fromScratch(o));
      await petition('ana');
      assert.deepEqual(await cache.report(o.orgId), await fromScratch(o));
      assert.deepEqual(await route(), await fromScratch(o));
      const mandate = await electViaApi(o, 'north', 'ben', ['ana', 'ben', 'cai']);
      await o.people.cai!.ok('POST', `/orgs/${o.orgId}/petitions`, {
        kind: 'recall',
        mandateId: mandate,
        text: 'Recall Ben',
      });
      await petition('dan', 'south');
      const expected = await fromScratch(o);
      assert.deepEqual(await cache.report(o.orgId), expected);
      assert.deepEqual(await route(), expected);
      assert.ok(expected.totals.petitionsOpened >= 3 && expected.totals.recallsMoved >= 1);
    });

    test('requests at once, while the log grows, count every entry once', async () => {
      const reports = await Promise.all([
        cache.report(o.orgId),
        petition('ana'),
        cache.report(o.orgId),
        petition('eve', 'south'),
        cache.report(o.orgId),
        route(),
        cache.report(o.orgId),
      ]);
      assert.ok(reports.length === 7);
      const expected = await fromScratch(o);
      assert.deepEqual(await cache.report(o.orgId), expected);
      assert.deepEqual(await route(), expected);
      assert.equal(expected.totals.petitionsOpened, petitions + 1 /* the recall */);
    });

    test('a report handed out is not changed by later entries', async () => {
      const before = await cache.report(o.orgId);
      const copy = structuredClone(before);
      await petition('ben');
      await cache.report(o.orgId);
      assert.deepEqual(before, copy);
    });
  });
}

describe('TransparencyTally', () => {
  const acts = fc.oneof(
    fc.record({
      act: fc.constant('petition_opened'),
      payload: fc.record({
        petitionId: fc.constantFrom('p1', 'p2', 'p3'),
        councilId: fc.constantFrom('a', 'b'),
      }),
    }),
    fc.record({
      act: fc.constant('petition_succeeded'),
      payload: fc.record({ petitionId: fc.constantFrom('p1', 'p2', 'p4') }),
    }),
    fc.record({
      act: fc.constant('motion_moved'),
      payload: fc.record({
        motionId: fc.constantFrom('m1', 'm2'),
        councilId: fc.constantFrom('a', 'b'),
        kind: fc.constantFrom('recall', 'ordinary'),
      }),
    }),
    fc.record({
      act: fc.constant('motion_decided'),
      payload: fc.record({ motionId: fc.constantFrom('m1', 'm2'), adopted: fc.boolean() }),
    }),
    fc.record({
      act: fc.constant('privileged_act_requested'),
      payload: fc.record({ requestId: fc.constantFrom('r1', 'r2'), councilId: fc.constantFrom('a', 'b') }),
    }),
    fc.record({
      act: fc.constantFrom('privileged_act_done', 'privileged_act_reversed'),
      payload: fc.record({ requestId: fc.constantFrom('r1', 'r2', 'r3') }),
    }),
    fc.record({
      act: fc.constantFrom('record_sealed', 'record_revealed', 'comment_posted'),
      payload: fc.constant({}),
    }),
  );
  const log = fc.array(fc.tuple(acts, fc.integer({ min: 0, max: 400 })), { maxLength: 60 }).map((xs) =>
    xs.map(
      ([a, day], seq) =>
        ({
          seq,
          actor: null,
          time: new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString(),
          ...a,
        }) as unknown as Entry,
    ),
  );

  test('fed in any number of steps, with reports between, equals one pass over the whole log', () => {
    fc.assert(
      fc.property(log, fc.array(fc.nat(), { maxLength: 5 }), (entries, cuts) => {
        const tally = new TransparencyTally();
        const points = [...new Set(cuts.map((c) => c % (entries.length + 1)))].sort((a, b) => a - b);
        let at = 0;
        for (const p of [...points, entries.length]) {
          for (; at < p; at++) tally.add(entries[at]!);
          assert.deepEqual(tally.report(), transparencyReport(entries.slice(0, at)));
        }
      }),
    );
  });

  test('refuses an entry out of order (it would count twice or skip)', () => {
    const tally = new TransparencyTally();
    const e = {
      seq: 1,
      act: 'comment_posted',
      actor: null,
      time: '2026-01-01T00:00:00Z',
      payload: {},
    } as unknown as Entry;
    assert.throws(() => tally.add(e), RangeError);
  });
});
