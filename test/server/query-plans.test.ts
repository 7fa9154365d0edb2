// Reads that do not grow with the organisation (docs/SCALE.md), checked by what the database plans to do rather
// than by the clock: every query a member's pages make is run through SQLite's EXPLAIN QUERY PLAN, and none may
// scan a table or walk every row the organisation has in one (an index searched on `org_id` alone). Such a plan
// costs nothing in a test's organisation and hundreds of milliseconds at a million members: the landing page's
// memberships read was one (`memberships` searched on its key's `org_id` only, 250 ms at 1,000,000 members).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { openDatabase, type Db } from '../../src/store/database.ts';
import type { Database } from '../../src/store/schema.ts';
import { apiOrg, electViaApi, type ApiOrg } from '../support/api-org.ts';

/** A migrated SQLite file opened with a logger that keeps every query it runs, with its parameters. */
async function loggedSqlite(file: string) {
  await (await openDatabase(file)).close();
  const sqlite = new BetterSqlite3(file);
  const queries: { sql: string; parameters: readonly unknown[] }[] = [];
  let logging = false;
  const kysely = new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqlite }),
    log(event) {
      if (logging && event.level === 'query')
        queries.push({ sql: event.query.sql, parameters: event.query.parameters });
    },
  });
  const db: Db = { kysely, dialect: 'sqlite', description: file, close: () => kysely.destroy() };
  /** The queries `run` makes. */
  const during = async (run: () => Promise<unknown>) => {
    queries.length = 0;
    logging = true;
    try {
      await run();
    } finally {
      logging = false;
    }
    return [...queries];
  };
  const plan = (q: { sql: string; parameters: readonly unknown[] }) =>
    sqlite
      .prepare(`explain query plan ${q.sql}`)
      .all(...q.parameters)
      .map((r) => (r as { detail: string }).detail);
  return { db, during, plan };
}

/** A search's cursor (src/store/read-search.ts), as a previous page would have returned it. */
const searchCursor = (key: string, id: string) =>
  Buffer.from(JSON.stringify([key, id])).toString('base64url');

/** The steps of a plan that read rows in proportion to the organisation (or to every organisation). */
export function growingSteps(plan: readonly string[]): string[] {
  // Scans of what a statement built itself are bounded by it: a subquery's rows (`t`), the councils a recursive
  // walk up the tree found (`wanted`, `w`), a list of ids bound as one JSON value (`json_each`).
  return plan.filter(
    (step) =>
      /^SCAN (?!CONSTANT ROW|t$|w$|wanted$|json_each VIRTUAL TABLE)/.test(step) ||
      /\(org_id=\?\)$/.test(step),
  );
}

describe("a member's pages read through indexes (SQLite's query plans)", () => {
  let dir: string;
  let o: ApiOrg;
  let logged: Awaited<ReturnType<typeof loggedSqlite>>;
  let org: string;
  let motionId: string;
  let voteId: string;
  let mandateId: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'councils-plans-'));
    logged = await loggedSqlite(join(dir, 'plans.db'));
    o = await apiOrg(logged.db);
    org = o.orgId;
    const ana = o.people.ana!;
    mandateId = await electViaApi(o, 'north', 'ana', ['ana', 'ben', 'cai']);
    ({ motionId } = await ana.ok<{ motionId: string }>('POST', `/orgs/${org}/councils/north/motions`, {
      title: 'Bread',
      text: 'More bread.',
    }));
    await ana.ok('POST', `/orgs/${org}/motions/${motionId}/comments`, { text: 'Yes.', stance: 'for' });
    await ana.ok('POST', `/orgs/${org}/motions/${motionId}/vote`, {});
    ({ voteId } = await ana.ok<{ voteId: string }>('GET', `/orgs/${org}/motions/${motionId}`));
    await ana.ok('POST', `/orgs/${org}/votes/${voteId}/ballots`, { choice: 'a1' });
  });
  after(async () => {
    await o.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the plan check names a scan and a walk of the whole organisation, and passes an index lookup', () => {
    assert.deepEqual(growingSteps(['SCAN members']), ['SCAN members']);
    assert.deepEqual(
      growingSteps(['SEARCH memberships USING COVERING INDEX sqlite_autoindex_memberships_1 (org_id=?)']),
      ['SEARCH memberships USING COVERING INDEX sqlite_autoindex_memberships_1 (org_id=?)'],
    );
    assert.deepEqual(
      growingSteps(['SEARCH members USING INDEX sqlite_autoindex_members_1 (org_id=? AND id=?)']),
      [],
    );
  });

  const pages = () => [
    '/me',
    `/orgs/${org}`,
    `/orgs/${org}/councils/north`,
    `/orgs/${org}/councils/fed`,
    `/orgs/${org}/councils/north/members?limit=2`,
    `/orgs/${org}/councils/north/admissions`,
    `/orgs/${org}/councils/north/motions?limit=1`,
    `/orgs/${org}/councils/north/motions?limit=1&after=${encodeURIComponent('2026-01-01T00:00:00.000Z~m')}`,
    `/orgs/${org}/motions/${motionId}`,
    `/orgs/${org}/motions/${motionId}/timeline`,
    `/orgs/${org}/votes/${voteId}`,
    `/orgs/${org}/votes/${voteId}/ballots?limit=1`,
    `/orgs/${org}/votes/${voteId}/electorate?limit=1`,
    `/orgs/${org}/mandates/${mandateId}`,
    `/orgs/${org}/log?from=0&limit=10`,
    `/orgs/${org}/names?members=${o.people.ben!.memberId}&councils=south`,
    `/orgs/${org}/attention`,
    `/orgs/${org}/members?q=Be&limit=1`,
    `/orgs/${org}/members?q=${o.people.ben!.memberId}`,
    `/orgs/${org}/members?q=a&limit=1&after=${searchCursor('a', 'b')}`,
    `/orgs/${org}/councils?q=nor&limit=1`,
    `/orgs/${org}/councils?q=s&after=${searchCursor('s', 'south')}`,
    `/orgs/${org}/councils?q=n&kind=higher`,
    `/orgs/${org}/councils?q=n&kind=base&limit=1`,
    `/orgs/${org}/councils/north/members?q=b&limit=1`,
    `/orgs/${org}/councils/north/members?q=a&after=${searchCursor('a', 'b')}`,
    `/orgs/${org}/councils/fed/members?q=a`,
  ];

  test("a council's members searched by name are a range of the council's own rows, not of the organisation's", async () => {
    const queries = await logged.during(() =>
      o.people.ana!.ok('GET', `/orgs/${org}/councils/north/members?q=be`),
    );
    const steps = queries.flatMap((q) => logged.plan(q));
    assert.ok(
      steps.some((s) =>
        /^SEARCH memberships USING (COVERING )?INDEX memberships_name_key_idx \(org_id=\? AND council_id=\? AND name_key>\? AND name_key<\?\)$/.test(
          s,
        ),
      ),
      steps.join('\n'),
    );
    assert.ok(
      !steps.some((s) => /^SEARCH members USING INDEX members_name_key_idx/.test(s)),
      steps.join('\n'),
    );
  });

  test('no query of the pages a member loads walks a table or the whole organisation', async () => {
    const found: string[] = [];
    let checked = 0;
    for (const page of pages()) {
      const queries = await logged.during(() => o.people.ana!.ok('GET', page));
      for (const q of queries) {
        if (!/^\s*(select|with)\b/i.test(q.sql)) continue;
        checked++;
        const bad = growingSteps(logged.plan(q));
        if (bad.length > 0) found.push(`${page}: ${q.sql}\n    ${bad.join('\n    ')}`);
      }
    }
    assert.ok(checked > 30, `only ${checked} queries were checked`);
    assert.deepEqual(found, []);
  });
});
