// Anyone may name any organisation in a URL (the record, the secret-ballot board and cosignature routes are public).
// Before, the service kept a ledger for every id it was asked about, existing or not, so anonymous requests with
// made-up ids grew the server's memory without bound. Now a ledger whose log holds no organisation is not kept.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CouncilsService } from '../../src/server/service.ts';
import { testDatabases, TestClock } from '../support/databases.ts';
import { members, organisation } from '../support/factory.ts';

for (const database of testDatabases()) {
  describe(`made-up organisation ids on ${database.name}`, () => {
    test('are not kept; a real organisation is, and reads of it stay current', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'councils-made-up-'));
      const db = await database.open();
      try {
        const service = new CouncilsService(db, new TestClock(), { keyDir: join(dir, 'keys') });
        for (let i = 0; i < 200; i++) assert.equal((await service.ledger(`nobody-${i}`).current()).org, null);
        // A ledger is forgotten once its own first read finds no organisation; that read runs beside the caller's
        // (on PostgreSQL, each its own round trip), so it may end a little after: wait for it, within a deadline.
        for (const until = Date.now() + 10_000; service.ledgersKept > 0 && Date.now() < until;)
          await new Promise((r) => setTimeout(r, 10));
        assert.equal(service.ledgersKept, 0);

        const { orgId } = await service.found(
          organisation({ name: 'Co-op', founders: members('all', 'Ana') }),
        );
        const state = await service.ledger(orgId).current();
        assert.equal(state.org?.name, 'Co-op');
        await new Promise((r) => setImmediate(r));
        assert.equal(service.ledgersKept, 1);
        assert.equal(service.ledger(orgId), service.ledger(orgId)); // one ledger per organisation, kept
      } finally {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
