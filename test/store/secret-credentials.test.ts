// The private member → credential table of secret votes, on real SQLite and real PostgreSQL.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { listCredentials, memberCredential, registerCredential } from '../../src/store/secret-credentials.ts';
import { testDatabases } from '../support/databases.ts';

const X = (c: string) => c.repeat(64);

for (const d of testDatabases()) {
  describe(`secret credentials on ${d.name}`, () => {
    test('register, replace one’s own, refuse another’s, list sorted without members', async () => {
      const db = await d.open();
      try {
        const at = '2026-01-05T09:00:00.000Z';
        const reg = (memberId: string, credential: string, voteId = 'v1') =>
          registerCredential(db.kysely, { orgId: 'o', voteId, memberId, credential, weight: 1, at });
        assert.equal(await reg('m2', X('b')), true);
        assert.equal(await reg('m1', X('c')), true);
        assert.equal(await reg('m1', X('a')), true, 'a member may replace their credential');
        assert.equal(await reg('m3', X('a')), false, 'a credential held by another member is refused');
        assert.equal(await reg('m3', X('a'), 'v2'), true, 'another vote is another list');
        assert.deepEqual(await listCredentials(db.kysely, 'o', 'v1'), [
          { credential: X('a'), weight: 1 },
          { credential: X('b'), weight: 1 },
        ]);
        assert.equal(await memberCredential(db.kysely, 'o', 'v1', 'm1'), X('a'));
        assert.equal(await memberCredential(db.kysely, 'o', 'v1', 'm3'), undefined);
      } finally {
        await db.close();
      }
    });
  });
}
