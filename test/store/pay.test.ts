// Pay in the store, on real SQLite and PostgreSQL: an adopted scheme and a workforce import are projections that
// `councils rebuild` recreates from the log alone; the workforce file itself is private and survives a rebuild.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { dumpProjections } from '../../src/store/projection-repository.ts';
import { findWorkforce } from '../../src/store/pay-workforce.ts';
import { rebuildOrg } from '../../src/store/rebuild.ts';
import { apiOrg } from '../support/api-org.ts';
import { testDatabases } from '../support/databases.ts';

const scheme = JSON.parse(readFileSync('examples/pay/current-scheme.json', 'utf8')) as unknown;
const csv = readFileSync('examples/pay/workers.csv', 'utf8');

for (const database of testDatabases()) {
  describe(`pay in the store on ${database.name}`, () => {
    test('rebuild equals live: adopted schemes and workforce imports', async () => {
      const o = await apiOrg(await database.open());
      try {
        const org = o.orgId;
        const ana = o.people.ana!;
        const { sha256 } = await ana.ok<{ sha256: string }>(
          'POST',
          `/orgs/${org}/councils/north/pay/workforce`,
          csv,
        );
        const { motionId } = await ana.ok<{ motionId: string }>(
          'POST',
          `/orgs/${org}/councils/north/pay/motions`,
          {
            title: 'Pay',
            text: '',
            scheme,
          },
        );
        await ana.ok('POST', `/orgs/${org}/motions/${motionId}/vote`, {});
        const { voteId } = await ana.ok<{ voteId: string }>('GET', `/orgs/${org}/motions/${motionId}`);
        for (const p of ['ana', 'ben', 'cai'])
          await o.people[p]!.ok('POST', `/orgs/${org}/votes/${voteId}/ballots`, { choice: 'a1' });

        const live = await dumpProjections(o.db.kysely, org);
        assert.equal(live.pay_schemes!.length, 1);
        assert.equal(live.pay_workforce_imports!.length, 1);
        const row = live.pay_schemes![0] as Record<string, unknown>;
        assert.equal(String(row.version), '1');
        assert.equal(JSON.parse(String(row.document)).id, (scheme as { id: string }).id);
        await rebuildOrg(o.db, org);
        assert.deepEqual(await dumpProjections(o.db.kysely, org), live);
        assert.equal(await findWorkforce(o.db.kysely, org, 'north', sha256), csv);
      } finally {
        await o.close();
      }
    });
  });
}
