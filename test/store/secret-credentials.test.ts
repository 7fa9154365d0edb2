// The private tables of secret votes (docs/BALLOT-PROTOCOL.md §4.1), on real SQLite and real PostgreSQL: listed
// credentials carry no member and no time; issuing keys' private halves are found by key id and organisation.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  countListed,
  dropIssuerKey,
  isListed,
  issuerPrivateKey,
  keepIssuerKey,
  listCredential,
  listedCredentials,
} from '../../src/store/secret-credentials.ts';
import { testDatabases } from '../support/databases.ts';

const X = (c: string) => c.repeat(64);

for (const d of testDatabases()) {
  describe(`secret credentials on ${d.name}`, () => {
    test('list once, refuse a repeat, list sorted; no member anywhere', async () => {
      const db = await d.open();
      try {
        const list = (credential: string, voteId = 'v1') =>
          listCredential(db.kysely, { orgId: 'o', voteId, credential, weight: 1, signature: 'ab' });
        assert.equal(await list(X('b')), true);
        assert.equal(await list(X('a')), true);
        assert.equal(await list(X('a')), false, 'a credential listed twice is refused');
        assert.equal(await list(X('a'), 'v2'), true, 'another vote is another list');
        assert.deepEqual(await listedCredentials(db.kysely, 'o', 'v1'), [
          { credential: X('a'), weight: 1, signature: 'ab' },
          { credential: X('b'), weight: 1, signature: 'ab' },
        ]);
        const row = await db.kysely
          .selectFrom('secret_listed_credentials' as never)
          .selectAll()
          .executeTakeFirst();
        assert.deepEqual(Object.keys(row as object).sort(), [
          'credential',
          'org_id',
          'signature',
          'vote_id',
          'weight',
        ]);
      } finally {
        await db.close();
      }
    });

    test('counts per weight without reading the list; two requests racing to list one credential: one wins', async () => {
      const db = await d.open();
      try {
        const list = (credential: string, weight: number) =>
          listCredential(db.kysely, { orgId: 'o', voteId: 'v', credential, weight, signature: 'ab' });
        assert.deepEqual(await countListed(db.kysely, 'o', 'v'), { total: 0, perWeight: new Map() });
        await list(X('a'), 1);
        await list(X('b'), 3);
        await list(X('c'), 1);
        assert.deepEqual(await countListed(db.kysely, 'o', 'v'), {
          total: 3,
          perWeight: new Map([
            [1, 2],
            [3, 1],
          ]),
        });
        assert.equal(await isListed(db.kysely, 'o', 'v', X('b')), true);
        assert.equal(await isListed(db.kysely, 'o', 'v2', X('b')), false);
        const raced = await Promise.all([list(X('d'), 1), list(X('d'), 1), list(X('d'), 1)]);
        assert.deepEqual(
          raced.filter((x) => x),
          [true],
        );
        assert.equal((await countListed(db.kysely, 'o', 'v')).total, 4);
      } finally {
        await db.close();
      }
    });

    test('issuing keys: kept per organisation, found by id, dropped', async () => {
      const db = await d.open();
      try {
        await keepIssuerKey(db.kysely, { keyId: 'k1', orgId: 'o', privateKey: 'PEM' });
        assert.equal(await issuerPrivateKey(db.kysely, 'o', 'k1'), 'PEM');
        assert.equal(await issuerPrivateKey(db.kysely, 'other', 'k1'), undefined);
        await dropIssuerKey(db.kysely, 'other', 'k1');
        assert.equal(
          await issuerPrivateKey(db.kysely, 'o', 'k1'),
          'PEM',
          'another organisation cannot drop it',
        );
        await dropIssuerKey(db.kysely, 'o', 'k1');
        assert.equal(await issuerPrivateKey(db.kysely, 'o', 'k1'), undefined);
      } finally {
        await db.close();
      }
    });
  });
}
