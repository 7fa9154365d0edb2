// Two organisations on one server, founded from the same file (councils "fed", "north", "south"): both work, each
// sees only its own rows, and a member of one cannot act in the other by any way the API offers (session, API
// token, ids of the other organisation). On real SQLite and real PostgreSQL.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dumpProjections } from '../../src/store/projection-repository.ts';
import { rebuildOrg } from '../../src/store/rebuild.ts';
import { ApiClient } from '../support/api-client.ts';
import { apiOrg, federation } from '../support/api-org.ts';
import { testDatabases } from '../support/databases.ts';

type Council = { id: string; name: string; members?: { name: string }[] };

for (const database of testDatabases()) {
  describe(`two organisations with the same council ids on ${database.name}`, () => {
    test('no row is overwritten and nobody acts across organisations', async () => {
      const a = await apiOrg(await database.open());
      try {
        const copy = {
          ...federation,
          name: 'Copy of the Federation',
          councils: federation.councils.map((c) => ({ ...c, name: `${c.name} (copy)` })),
          invitations: federation.invitations.map((i) => ({ ...i, name: `${i.name} Copy` })),
        };
        const founded = await a.service.foundWithInvitations(copy);
        const b: Record<string, ApiClient> = {};
        for (const inv of founded.invitations) {
          const key = inv.name.split(' ')[0]!.toLowerCase();
          b[key] = await new ApiClient(a.app).join(inv.token, `${key}@copy.example`);
        }
        const orgA = a.orgId;
        const orgB = founded.orgId;
        const anaA = a.people.ana!;
        const anaB = b.ana!;

        // Each organisation has all its councils, under its own names, with its own members.
        for (const [ana, org, suffix] of [
          [anaA, orgA, ''],
          [anaB, orgB, ' (copy)'],
        ] as const) {
          const tree = await ana.ok<{ councils: Council[] }>('GET', `/orgs/${org}/tree`);
          assert.deepEqual(
            tree.councils.map((c) => [c.id, c.name]),
            federation.councils.map((c) => [c.id, `${c.name}${suffix}`]),
          );
          const north = await ana.ok<Council>('GET', `/orgs/${org}/councils/north`);
          assert.deepEqual(
            north.members!.map((m) => m.name).sort(),
            suffix ? ['Ana Copy', 'Ben Copy', 'Cai Copy'] : ['Ana', 'Ben', 'Cai'],
          );
        }

        // Ana of A moves a motion in A; in B she is an outsider, by session and by API token alike.
        const { motionId } = await anaA.ok<{ motionId: string }>(
          'POST',
          `/orgs/${orgA}/councils/north/motions`,
          {
            title: 'Bread',
            text: 'More bread.',
          },
        );
        await anaA.fails('GET', `/orgs/${orgB}`, undefined, 403, 'forbidden');
        await anaA.fails('GET', `/orgs/${orgB}/councils/north`, undefined, 403, 'forbidden');
        await anaA.fails(
          'POST',
          `/orgs/${orgB}/councils/north/motions`,
          { title: 'Cuckoo', text: 'A motion in the other organisation.' },
          403,
          'forbidden',
        );
        await anaB.fails('GET', `/orgs/${orgB}/motions/${motionId}`, undefined, 404, 'not_found');
        const { token } = await anaA.ok<{ token: string }>('POST', '/tokens', { name: 'script' });
        const script = new ApiClient(a.app, token);
        await script.fails('GET', `/orgs/${orgB}/councils/north`, undefined, 403, 'forbidden');
        await script.ok('GET', `/orgs/${orgA}/councils/north`);
        const tokensB = await anaB.ok<{ tokens: unknown[] }>('GET', '/tokens');
        assert.equal(tokensB.tokens.length, 0, "Ana of B does not see Ana of A's tokens");

        // Signing in finds each account's own organisation.
        for (const [email, org] of [
          ['ana@example.org', orgA],
          ['ana@copy.example', orgB],
        ] as const) {
          const r = await new ApiClient(a.app).ok<{ orgId: string }>('POST', '/session', {
            email,
            password: 'correct horse battery',
          });
          assert.equal(r.orgId, org);
        }

        // An invitation of B names B's council; a rebuild of either organisation equals its live rows.
        const inv = await anaB.ok<{ token: string }>('POST', `/orgs/${orgB}/councils/north/invitations`, {
          name: 'Fay Copy',
        });
        const about = await new ApiClient(a.app).ok<{ council: { name: string } }>(
          'GET',
          `/invitations/${inv.token}`,
        );
        assert.equal(about.council.name, 'North (copy)');
        for (const org of [orgA, orgB]) {
          const live = await dumpProjections(a.db.kysely, org);
          assert.equal(live.councils!.length, 3);
          await rebuildOrg(a.db, org);
          assert.deepEqual(await dumpProjections(a.db.kysely, org), live);
        }
      } finally {
        await a.close();
      }
    });
  });
}
