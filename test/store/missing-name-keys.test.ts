// Name keys missing after a rollback (2026-12-07T1300-missing-name-keys): once the upgrade has filled every key and
// made the search indexes, a process of an older version (after a rollback) writes a member, a council and a
// membership with `name_key` NULL, and the search misses them; the fills at the next open find them through the
// partial indexes of the rows without a key, in batches, and the search finds them. SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { searchKey } from '../../src/core/index.ts';
import { openDatabase } from '../../src/store/database.ts';
import { insertRows } from '../../src/store/db.ts';
import { fillNameKeys } from '../../src/store/migrations/2026-12-07T0700-name-search.ts';
import { fillMembershipKeys } from '../../src/store/migrations/2026-12-07T1015-membership-name-key.ts';
import { searchCouncilMembers, searchCouncils, searchMembers } from '../../src/store/read-search.ts';
import { reopenableDatabases } from '../support/databases.ts';

// Databases opened again, as a restarted server opens them: a file, or a PostgreSQL database.
for (const database of reopenableDatabases('councils_keys'))
  test(`${database.name}: a member, a council and a membership written without a key after the upgrade are found after the next open`, async () => {
    const place = await database.make();
    try {
      const org = 'org_k';
      const joined = '2026-01-01T00:00:00.000Z';
      let db = await openDatabase(place.url);
      try {
        const k = db.kysely;
        // What this version wrote: keys everywhere.
        await insertRows(
          k,
          'councils',
          ['id', 'org_id', 'name', 'parent_id', 'seats_in_parent', 'position', 'name_key'],
          [['top', org, 'Top', null, 0, 0, searchKey('Top')]],
        );
        await insertRows(
          k,
          'members',
          ['id', 'org_id', 'name', 'joined_at', 'name_key'],
          [['m0', org, 'Zora', joined, searchKey('Zora')]],
        );
        await insertRows(
          k,
          'memberships',
          ['council_id', 'member_id', 'org_id', 'name_key'],
          [['top', 'm0', org, searchKey('Zora')]],
        );
        // What a process of an older version wrote after a rollback: no keys (it knows no such column). Five
        // members, so that batches of two cross their bounds.
        const late = ['Zoë Late', 'Zoé Later', 'Zoe Latest', 'Zo Last', 'Zoë Lost'];
        for (const [i, name] of late.entries()) {
          await sql`insert into members (id, org_id, name, joined_at) values (${`l${i}`}, ${org}, ${name}, ${joined})`.execute(
            k,
          );
          await sql`insert into memberships (council_id, member_id, org_id) values ('top', ${`l${i}`}, ${org})`.execute(
            k,
          );
        }
        await sql`insert into councils (id, org_id, name, parent_id, seats_in_parent, position)
          values ('east', ${org}, 'Östlich', 'top', 1, 1)`.execute(k);
        assert.deepEqual(
          (await searchMembers(k, org, 'zoe', { limit: 10 })).members.map((m) => m.id),
          [],
          'missed while their keys are missing',
        );
      } finally {
        await db.close();
      }
      db = await openDatabase(place.url);
      try {
        const k = db.kysely;
        assert.deepEqual(
          (await searchMembers(k, org, 'zoe', { limit: 10 })).members.map((m) => m.name),
          ['Zoë Late', 'Zoé Later', 'Zoe Latest', 'Zoë Lost'],
        );
        assert.deepEqual(
          (await searchCouncilMembers(k, org, 'top', 'zo', { limit: 10 })).members.map((m) => m.id),
          ['l3', 'l0', 'l1', 'l2', 'l4', 'm0'],
        );
        assert.deepEqual(
          (await searchCouncils(k, org, 'ostl', { limit: 10 })).councils.map((c) => c.id),
          ['east'],
        );
        // Nothing left: the next fills find nothing; rows written without a key again are filled in batches.
        assert.equal(await fillNameKeys(k), 0);
        assert.equal(await fillMembershipKeys(k), 0);
        await sql`update members set name_key = null where id like 'l%'`.execute(k);
        await sql`update memberships set name_key = null where member_id like 'l%'`.execute(k);
        assert.equal(await fillNameKeys(k, 2), 5);
        assert.equal(await fillMembershipKeys(k, 2), 5);
        assert.equal((await searchMembers(k, org, 'zoe', { limit: 10 })).members.length, 4);
      } finally {
        await db.close();
      }
    } finally {
      await place.drop();
    }
  });
