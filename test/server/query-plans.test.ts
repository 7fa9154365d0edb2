// Reads that do not grow with the organisation (docs/SCALE.md), checked by what the database plans to do rather
// than by the clock: every query a member's pages make is run through SQLite's EXPLAIN QUERY PLAN, and none may
// scan a table or walk every row the organisation has in one (an index searched on `org_id` alone, or a range after
// it that no LIMIT bounds, such as `parent_id > ?`). Such a plan costs nothing in a test's organisation and
// hundreds of milliseconds at a million members: the landing page's memberships read was one (`memberships`
// searched on its key's `org_id` only, 250 ms at 1,000,000 members). On PostgreSQL the same queries go through
// EXPLAIN (FORMAT JSON) with another organisation's 20,000 rows in the large tables and their statistics taken
// (ANALYZE), so a sequential scan is what the planner would really choose, and none may read members,
// memberships, mandates, ballots or councils that way (motions are not filled: their small table is scanned).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { buildApp } from '../../src/server/app.ts';
import { CouncilsService } from '../../src/server/service.ts';
import { openDatabase, type Db } from '../../src/store/database.ts';
import { fillNameKeys } from '../../src/store/migrations/2026-12-07T0700-name-search.ts';
import { fillMembershipKeys } from '../../src/store/migrations/2026-12-07T1015-membership-name-key.ts';
import type { Database } from '../../src/store/schema.ts';
import { fillSecretBoard } from '../../src/store/secret-board.ts';
import { secretView } from '../../src/server/secret-votes.ts';
import { apiOrg, electViaApi } from '../support/api-org.ts';
import { emptyPostgres } from '../support/databases.ts';
import {
  closeSmallSecretVote,
  openSmallSecretVote,
  type SmallSecretVote,
} from '../support/small-secret-vote.ts';

type Query = { sql: string; parameters: readonly unknown[] };

/** Keeps the queries a Kysely runs while `during` runs something. */
function queryLog() {
  const queries: Query[] = [];
  let logging = false;
  return {
    log(event: { level: string; query: Query }) {
      if (logging && event.level === 'query')
        queries.push({ sql: event.query.sql, parameters: event.query.parameters });
    },
    /** The queries `run` makes. */
    async during(run: () => Promise<unknown>) {
      queries.length = 0;
      logging = true;
      try {
        await run();
      } finally {
        logging = false;
      }
      return [...queries];
    },
  };
}

/** A migrated SQLite file opened with a logger that keeps every query it runs, with its parameters. */
async function loggedSqlite(file: string) {
  await (await openDatabase(file)).close();
  const sqlite = new BetterSqlite3(file);
  const { log, during } = queryLog();
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), log });
  const db: Db = { kysely, dialect: 'sqlite', description: file, close: () => kysely.destroy() };
  const plan = (q: Query) =>
    sqlite
      .prepare(`explain query plan ${q.sql}`)
      .all(...q.parameters)
      .map((r) => (r as { detail: string }).detail);
  return { db, during, plan };
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** The indexes a plan reads. */
const indexesOf = (node: PlanNode): string[] => [
  ...(node['Index Name'] ? [node['Index Name']] : []),
  ...(node.Plans ?? []).flatMap(indexesOf),
];

/**
 * A fresh PostgreSQL database, migrated, opened with a logger as above (the store's own handle for what lives a
 * session: leases, LISTEN), and `plan`: EXPLAIN (FORMAT JSON) of a logged query with its parameters.
 */
async function loggedPostgres(baseUrl: string) {
  const { url, drop } = await emptyPostgres(baseUrl, 'councils_plans');
  const opened = await openDatabase(url);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const { log, during } = queryLog();
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
  const db: Db = {
    ...opened,
    kysely,
    close: async () => {
      await kysely.destroy();
      await opened.close();
      await drop();
    },
  };
  const plan = async (q: Query) => {
    const { rows } = await pool.query(`explain (format json) ${q.sql}`, [...q.parameters]);
    return (rows[0] as { 'QUERY PLAN': { Plan: PlanNode }[] })['QUERY PLAN'][0]!.Plan;
  };
  return { db, during, plan, sql: (text: string) => pool.query(text) };
}

/** Where a plan reads a whole table of the organisation's rows (a Seq Scan of one of the large tables). */
export function seqScans(
  node: PlanNode,
  large: readonly string[] = ['members', 'memberships', 'mandates', 'ballots', 'councils'],
): string[] {
  const here =
    node['Node Type'] === 'Seq Scan' && large.includes(node['Relation Name'] ?? '')
      ? [`Seq Scan on ${node['Relation Name']}`]
      : [];
  return [...here, ...(node.Plans ?? []).flatMap((n) => seqScans(n, large))];
}

/** Where a plan sorts rows (a page read in its index's order needs no sort). */
const sorts = (node: PlanNode): string[] => [
  ...(/Sort$/.test(node['Node Type']) ? [node['Node Type']] : []),
  ...(node.Plans ?? []).flatMap(sorts),
];

/** A search's cursor (src/store/read-search.ts), as a previous page would have returned it. */
const searchCursor = (key: string, id: string) =>
  Buffer.from(JSON.stringify([key, id])).toString('base64url');

/**
 * The steps of a plan that read rows in proportion to the organisation (or to every organisation). `sql`, the
 * statement's text: a range after `org_id` alone (`org_id=? AND parent_id>?`, which is how SQLite shows `parent_id
 * IS NOT NULL`) walks the organisation's rows unless a LIMIT bounds the statement (a page, a search's prefix).
 */
export function growingSteps(plan: readonly string[], sql = ''): string[] {
  const limited = /\blimit\b/i.test(sql);
  // Scans of what a statement built itself are bounded by it: a subquery's rows (`t`), the councils a recursive
  // walk up the tree found (`wanted`, `w`), a list of ids bound as one JSON value (`json_each`).
  return plan.filter(
    (step) =>
      /^SCAN (?!CONSTANT ROW|t$|w$|wanted$|json_each VIRTUAL TABLE)/.test(step) ||
      /\(org_id=\?\)$/.test(step) ||
      (!limited && /\(org_id=\? AND \w+[<>]=?\?( AND \w+[<>]=?\?)?\)$/.test(step)),
  );
}

/** An organisation with a mandate, a motion with a comment, and a vote with a ballot, on `db`. */
async function setUp(db: Db) {
  const o = await apiOrg(db);
  const org = o.orgId;
  const ana = o.people.ana!;
  const mandateId = await electViaApi(o, 'north', 'ana', ['ana', 'ben', 'cai']);
  const { motionId } = await ana.ok<{ motionId: string }>('POST', `/orgs/${org}/councils/north/motions`, {
    title: 'Bread',
    text: 'More bread.',
  });
  await ana.ok('POST', `/orgs/${org}/motions/${motionId}/comments`, { text: 'Yes.', stance: 'for' });
  await ana.ok('POST', `/orgs/${org}/motions/${motionId}/comments`, { text: 'No.', stance: 'against' });
  await ana.ok('POST', `/orgs/${org}/motions/${motionId}/vote`, {});
  const { voteId, comments } = await ana.ok<{ voteId: string; comments: { id: string }[] }>(
    'GET',
    `/orgs/${org}/motions/${motionId}`,
  );
  await ana.ok('POST', `/orgs/${org}/votes/${voteId}/ballots`, { choice: 'a1' });
  return { o, org, mandateId, motionId, voteId, commentId: comments[0]!.id };
}
type SetUp = Awaited<ReturnType<typeof setUp>>;

/** The pages a member loads. */
const pagesOf = ({ o, org, motionId, voteId, mandateId, commentId }: SetUp) => [
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
  `/orgs/${org}/motions/${motionId}/comments?limit=1`,
  `/orgs/${org}/motions/${motionId}/comments?limit=1&after=${commentId}`,
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

const isRead = (q: Query) => /^\s*(select|with)\b/i.test(q.sql);

/**
 * The reads of the name keys' fills that the store runs at every open (src/store/database.ts) when no key is
 * missing, the usual start: one a table (members, councils, memberships), each of the partial index of its rows
 * without a key (2026-12-07T1300-missing-name-keys), which is empty then, whatever the organisation's size.
 */
async function nameKeyFillReads(logged: {
  db: Db;
  during: (run: () => Promise<unknown>) => Promise<Query[]>;
}) {
  let filled = -1;
  const queries = await logged.during(async () => {
    filled = (await fillNameKeys(logged.db.kysely)) + (await fillMembershipKeys(logged.db.kysely));
  });
  assert.equal(filled, 0, 'no key was missing');
  const reads = queries.filter((q) => /\bname_key"? is null\b/i.test(q.sql));
  assert.equal(reads.length, 3, queries.map((q) => q.sql).join('\n'));
  return reads;
}

/**
 * The reads of a council's page (GET /orgs/:org/councils/:council): a council that is not there — unknown, or
 * another organisation's (`elsewhere`) — costs one statement, its 404 answered from that statement's empty result
 * (it cost six, each waiting for a pool client of its own on PostgreSQL); one that is costs two: its node, members,
 * mandates and motions, then the names of the councils the page shows. A malformed id reads nothing.
 */
async function councilPageReads(
  logged: { during: (run: () => Promise<unknown>) => Promise<Query[]> },
  s: SetUp,
  elsewhere: string,
) {
  const ana = s.o.people.ana!;
  const reads = async (council: string, status: number) => {
    let answered = 0;
    const queries = await logged.during(async () => {
      answered = (await ana.request('GET', `/orgs/${s.org}/councils/${council}`)).statusCode;
    });
    assert.equal(answered, status, council);
    return queries.filter(isRead).map((q) => q.sql);
  };
  for (const council of ['nowhere', elsewhere, 'x'.repeat(64)]) {
    const sqls = await reads(council, 404);
    assert.equal(sqls.length, 1, `${council}:\n${sqls.join('\n')}`);
  }
  assert.deepEqual(await reads('north%27%20or%201', 400), []);
  for (const council of ['north', 'south', 'fed']) {
    const sqls = await reads(council, 200);
    assert.equal(sqls.length, 2, `${council}:\n${sqls.join('\n')}`);
  }
}

/** The statements of a page of a motion's comments after its first comment (the cursor's key lookup, the range). */
async function commentPageReads(
  logged: { during: (run: () => Promise<unknown>) => Promise<Query[]> },
  s: SetUp,
) {
  const path = `/orgs/${s.org}/motions/${s.motionId}/comments?limit=1&after=${s.commentId}`;
  let page: { comments: { text: string }[] } = { comments: [] };
  const queries = await logged.during(async () => {
    page = await s.o.people.ana!.ok('GET', path);
  });
  assert.deepEqual(
    page.comments.map((c) => c.text),
    ['No.'],
  );
  return queries.filter((q) => isRead(q) && /\bcomments\b/.test(q.sql));
}

/** An ended homomorphic secret vote with a public record (its own organisation, on `db`), run to its result. */
async function endedSecretVote(db: Db): Promise<SmallSecretVote> {
  const v = await openSmallSecretVote(db, { ranked: false, publicRecord: true });
  await closeSmallSecretVote(v, false);
  return v;
}

/** An ended mixed secret vote with a public record (its own organisation, on `db`): one shuffle, two mixers skipped. */
async function endedMixedVote(db: Db): Promise<SmallSecretVote> {
  const v = await openSmallSecretVote(db, { ranked: true, publicRecord: true });
  await closeSmallSecretVote(v, true);
  return v;
}

/**
 * The reads of an ended secret vote's pages (issue #18) by a server started after it ended, once it has loaded the
 * organisation (the replay of the log at a start is not a page's read): the pages `pages` names, given a GET of the
 * vote's secret routes. Each statement that reads the board or the log, with the page it came from.
 */
async function endedVoteReads(
  logged: { db: Db; during: (run: () => Promise<unknown>) => Promise<Query[]> },
  v: SmallSecretVote,
  pages: (get: (path: string) => Promise<Record<string, unknown>>) => Promise<string[]>,
): Promise<{ page: string; q: Query }[]> {
  const service = new CouncilsService(logged.db, v.clock, {});
  const app = await buildApp({ service, publicUrl: 'http://127.0.0.1', anonymousRate: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    await service.ledger(v.orgId).current();
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/v1/orgs/${v.orgId}/votes/${v.voteId}/secret`;
    const get = async (path: string) => {
      const res = await fetch(`${base}${path}`);
      const json = (await res.json()) as Record<string, unknown>;
      assert.equal(res.status, 200, `${path}: ${JSON.stringify(json)}`);
      return json;
    };
    const found: { page: string; q: Query }[] = [];
    for (const page of await pages(get)) {
      const queries = await logged.during(() => get(page));
      for (const q of queries.filter(isRead))
        if (/\b(secret_board|log_entries)\b/.test(q.sql)) found.push({ page, q });
    }
    return found;
  } finally {
    await app.close();
  }
}

/**
 * An ended homomorphic vote's pages: a page of `board=all` (the `secret_board` page index joined to the log by
 * seq), `board=key` (the opening rows by seq) and a receipt check (the ballot by its code, a later cast of its
 * credential).
 */
const endedSecretPageReads = (
  logged: { db: Db; during: (run: () => Promise<unknown>) => Promise<Query[]> },
  v: SmallSecretVote,
) =>
  endedVoteReads(logged, v, async (get) => {
    const whole = (await get('?board=all')) as {
      board: { seq: number; kind: string; body: { code?: string } }[];
    };
    const cast = whole.board.find((e) => e.kind === 'ballot')!;
    const counted = (await get(`/receipts/${cast.body.code!}`)) as { status: string };
    assert.equal(counted.status, 'counted');
    return [
      `?board=all&limit=2&after=${whole.board[1]!.seq}`,
      '?board=key',
      `/receipts/${cast.body.code!}`,
      `/receipts/${'0'.repeat(64)}`,
    ];
  });

/**
 * An ended mixed vote's mix pages (src/server/ended-mix.ts): a page of the final list (the last shuffle's parts by
 * seq), the next page and a page of that shuffle (cut from the shuffle the server keeps: no read), the list of
 * shuffles (no read) and the whole mix board (its `mix` rows, one range).
 */
const endedMixPageReads = (
  logged: { db: Db; during: (run: () => Promise<unknown>) => Promise<Query[]> },
  v: SmallSecretVote,
) =>
  endedVoteReads(logged, v, async () => [
    '/mix/list?limit=2',
    '/mix/list?after=1&limit=2',
    '/mix/shuffles',
    '/mix/shuffles/1?limit=2',
    '/mix/board',
  ]);

/**
 * Plans every read of an ended vote's pages (`plan`: SQLite's steps or PostgreSQL's tree) and lists, by page, what
 * `bad` finds in each (steps that grow with the vote): none is expected. Returns the plans, in the order read.
 */
async function endedPagePlans<P>(
  reads: readonly { page: string; q: Query }[],
  plan: (q: Query) => P | Promise<P>,
  bad: (plan: P, sql: string) => string[],
): Promise<P[]> {
  const plans: P[] = [];
  const found: string[] = [];
  for (const { page, q } of reads) {
    const p = await plan(q);
    plans.push(p);
    const steps = bad(p, q.sql);
    if (steps.length > 0) found.push(`${page}: ${q.sql}\n    ${steps.join('\n    ')}`);
  }
  assert.deepEqual(found, []);
  return plans;
}

/**
 * The reads of the board's fill that the store runs at every open (src/store/secret-board.ts): with no row missing
 * (`none`), the usual start, one statement, of the organisations and their marks; with the rows of an older
 * process's last entries missing (`some`: the vote's last ballot's row deleted and the mark left before it), the
 * batch's read of the log from the mark. The row is written back by the fill.
 */
async function boardFillReads(
  logged: { db: Db; during: (run: () => Promise<unknown>) => Promise<Query[]> },
  v: SmallSecretVote,
): Promise<{ none: Query[]; some: Query[] }> {
  const q = logged.db.kysely;
  let filled = -1;
  const none = (await logged.during(async () => (filled = await fillSecretBoard(q)))).filter(isRead);
  assert.equal(filled, 0, 'no row was missing');
  const last = await q
    .selectFrom('secret_board')
    .select('seq')
    .where('org_id', '=', v.orgId)
    .where('vote_id', '=', v.voteId)
    .where('kind', '=', 'ballot')
    .orderBy('seq', 'desc')
    .executeTakeFirstOrThrow();
  await q.deleteFrom('secret_board').where('org_id', '=', v.orgId).where('seq', '=', last.seq).execute();
  await q.updateTable('secret_board_marks').set({ seq: last.seq }).where('org_id', '=', v.orgId).execute();
  const some = (await logged.during(async () => (filled = await fillSecretBoard(q)))).filter(isRead);
  assert.equal(filled, 1, 'the missing row was written');
  return { none, some };
}

/** The reads of an ended vote's sums by a server started after it ended, once it has loaded the organisation. */
async function endedSumsReads(
  logged: { db: Db; during: (run: () => Promise<unknown>) => Promise<Query[]> },
  v: SmallSecretVote,
): Promise<Query[]> {
  const service = new CouncilsService(logged.db, v.clock, {});
  await service.ledger(v.orgId).current();
  let aggregate: unknown;
  const queries = await logged.during(async () => {
    aggregate = (await secretView(service, v.orgId, v.voteId, 'key')).aggregate;
  });
  assert.ok(aggregate, 'the sums are shown');
  const reads = queries.filter((q) => isRead(q) && /\bsecret_sums\b/.test(q.sql));
  assert.equal(reads.length, 1, queries.map((q) => q.sql).join('\n'));
  assert.ok(!queries.some((q) => /\bsecret_board\b/.test(q.sql)), 'the board is not read');
  return reads;
}

/** The tables of the power lists read a page at a time (issue #18 item 1; src/store/read-power.ts). */
const powerListTables = ['privileged_requests', 'petitions', 'petition_signatures', 'committees'];

/**
 * The reads of the power lists' pages (requests of a state, all of them and the committees' acts; first pages and
 * pages after a cursor), each statement that reads one of their tables with the page it came from. A request and a
 * petition are made first, so that there is a row for a cursor to name.
 */
async function powerListReads(
  logged: { during: (run: () => Promise<unknown>) => Promise<Query[]> },
  s: SetUp,
): Promise<{ page: string; q: Query }[]> {
  const ana = s.o.people.ana!;
  const { requestId } = await ana.ok<{ requestId: string }>('POST', `/orgs/${s.org}/requests`, {
    kind: 'change_witnesses',
    content: { witnesses: [] },
  });
  const { petitionId } = await ana.ok<{ petitionId: string }>('POST', `/orgs/${s.org}/petitions`, {
    kind: 'agenda',
    councilId: 'north',
    title: 'Plans',
    text: '',
  });
  const requests = `/orgs/${s.org}/requests`;
  const petitions = `/orgs/${s.org}/petitions`;
  const pages = [
    `${petitions}?council=north&limit=1`,
    `${petitions}?council=north&limit=1&after=${petitionId}`,
    `${petitions}?limit=1`,
    `${petitions}?limit=1&after=${petitionId}`,
    `${petitions}/${petitionId}/signatures?limit=1`,
    `${petitions}/${petitionId}/signatures?limit=1&after=${ana.memberId}`,
    `/orgs/${s.org}/committees?limit=1`,
    `${requests}?state=pending&limit=1`,
    `${requests}?state=pending&limit=1&after=${requestId}`,
    `${requests}?limit=1`,
    `${requests}?limit=1&after=${requestId}`,
    `${requests}?by=committee&limit=1`,
  ];
  const found: { page: string; q: Query }[] = [];
  for (const page of pages) {
    const queries = await logged.during(() => ana.ok('GET', page));
    for (const q of queries.filter(isRead))
      if (powerListTables.some((t) => new RegExp(`\\b${t}\\b`).test(q.sql))) found.push({ page, q });
  }
  return found;
}

/**
 * The reads of a petition-born motion's page that touch the petition or its signatures: Ana's petition of the North
 * (one of its three members' signatures carries it, so it opens its motion at once), then `fill(petitionId)`, which
 * may give it many more signatures, then the motion's page.
 */
async function petitionMotionReads(
  logged: { during: (run: () => Promise<unknown>) => Promise<Query[]> },
  s: SetUp,
  fill: (petitionId: string) => Promise<unknown> = async () => {},
): Promise<Query[]> {
  const ana = s.o.people.ana!;
  const { petitionId } = await ana.ok<{ petitionId: string }>('POST', `/orgs/${s.org}/petitions`, {
    kind: 'agenda',
    councilId: 'north',
    title: 'Signed by many',
    text: '',
  });
  const { motionId } = await ana.ok<{ motionId: string | null }>(
    'GET',
    `/orgs/${s.org}/petitions/${petitionId}`,
  );
  assert.ok(motionId, 'the petition opened its motion');
  await fill(petitionId);
  let motion: { petition?: { id: string; signatories: unknown[] } } = {};
  const queries = await logged.during(async () => {
    motion = await ana.ok('GET', `/orgs/${s.org}/motions/${motionId}`);
  });
  assert.equal(motion.petition?.id, petitionId);
  assert.ok(motion.petition.signatories.length >= 1);
  return queries.filter((q) => isRead(q) && /\bpetition(s|_signatures)\b/.test(q.sql));
}

/** The indexes of the power lists' pages (2026-12-07T1620-power-list-indexes). */
const powerListIndexes = [
  'privileged_requests_time_idx',
  'privileged_requests_state_time_idx',
  'privileged_requests_committee_acts_idx',
  'petitions_time_idx',
  'petitions_council_idx',
  'petitions_target_idx',
  'petition_signatures_time_idx',
];

describe("a member's pages read through indexes (SQLite's query plans)", () => {
  let dir: string;
  let logged: Awaited<ReturnType<typeof loggedSqlite>>;
  let s: SetUp;
  let secret: SmallSecretVote;
  let mixed: SmallSecretVote;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'councils-plans-'));
    // the ended secret votes run on the store's own handle, then read through the logging one
    const plain = await openDatabase(join(dir, 'plans.db'));
    secret = await endedSecretVote(plain);
    mixed = await endedMixedVote(plain);
    await plain.close();
    logged = await loggedSqlite(join(dir, 'plans.db'));
    s = await setUp(logged.db);
  });
  after(async () => {
    await s?.o.close();
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
    // A range after org_id alone walks the organisation (`parent_id IS NOT NULL`), unless a LIMIT bounds it.
    const range = 'SEARCH councils USING INDEX councils_parent_idx (org_id=? AND parent_id>?)';
    assert.deepEqual(
      growingSteps([range], 'select id from councils where org_id = ? and parent_id is not null'),
      [range],
    );
    assert.deepEqual(
      growingSteps([range], 'select id from councils where org_id = ? and parent_id > ? limit ?'),
      [],
    );
  });

  test("the landing's reads are one statement each, and GET /orgs/:org reads nothing of the log", async () => {
    // Under load on PostgreSQL every statement sent at once waits for a pool client of its own: GET /me's seven
    // reads at once were its p99 of 594 ms at 1,000,000 members. And the organisation's two counts made every
    // load catch the ledger up with the log.
    const ana = s.o.people.ana!;
    const me = await logged.during(() => ana.ok('GET', '/me'));
    const landing = await logged.during(() => ana.ok('GET', `/orgs/${s.org}`));
    assert.equal(me.filter(isRead).length, 1, me.map((q) => q.sql).join('\n'));
    assert.equal(landing.filter(isRead).length, 1, landing.map((q) => q.sql).join('\n'));
    assert.deepEqual(
      landing.filter((q) => /\blog_entries\b/.test(q.sql)).map((q) => q.sql),
      [],
      'no read of the log',
    );
  });

  test("a council's page is one statement for a council that is not there, two for one that is", async () => {
    await logged.db.kysely
      .insertInto('councils')
      .values({
        id: 'elsewhere',
        org_id: 'org_other',
        name: 'Elsewhere',
        parent_id: null,
        seats_in_parent: 1,
        position: 0,
        name_key: 'elsewhere',
      })
      .execute();
    await councilPageReads(logged, s, 'elsewhere');
  });

  test("the name keys' fills at each open read only the partial indexes of the rows without a key", async () => {
    for (const q of await nameKeyFillReads(logged)) {
      const plan = logged.plan(q);
      assert.ok(
        plan.length > 0 && plan.every((step) => /\b\w+_name_key_missing_idx\b/.test(step)),
        plan.join('\n'),
      );
    }
  });

  test("a council's members searched by name are a range of the council's own rows, not of the organisation's", async () => {
    const queries = await logged.during(() =>
      s.o.people.ana!.ok('GET', `/orgs/${s.org}/councils/north/members?q=be`),
    );
    const steps = queries.flatMap((q) => logged.plan(q));
    assert.ok(
      steps.some((step) =>
        /^SEARCH memberships USING (COVERING )?INDEX memberships_name_key_idx \(org_id=\? AND council_id=\? AND name_key>\? AND name_key<\?\)$/.test(
          step,
        ),
      ),
      steps.join('\n'),
    );
    assert.ok(
      !steps.some((step) => /^SEARCH members USING INDEX members_name_key_idx/.test(step)),
      steps.join('\n'),
    );
  });

  test("a page of a motion's comments is a range of comments_motion_position_idx, not a sort of the debate", async () => {
    const reads = await commentPageReads(logged, s);
    assert.equal(reads.length, 2, reads.map((q) => q.sql).join('\n'));
    const range = logged.plan(reads[1]!);
    assert.deepEqual(range, [
      'SEARCH comments USING INDEX comments_motion_position_idx (org_id=? AND motion_id=? AND position>?)',
    ]);
    assert.deepEqual(growingSteps(logged.plan(reads[0]!), reads[0]!.sql), []);
  });

  test("an ended secret vote's board page, opening rows and receipt check read by index, not its whole board", async () => {
    const reads = await endedSecretPageReads(logged, secret);
    const steps = (await endedPagePlans(reads, (q) => logged.plan(q), growingSteps)).flat();
    for (const index of ['secret_board_page_idx', 'secret_board_code_idx', 'secret_board_credential_idx'])
      assert.ok(
        steps.some((step) => step.includes(` INDEX ${index} `)),
        `${index} unused:\n${steps.join('\n')}`,
      );
  });

  test("an ended mixed vote's mix pages read its mix rows by index, not its whole board", async () => {
    const reads = await endedMixPageReads(logged, mixed);
    const steps = (await endedPagePlans(reads, (q) => logged.plan(q), growingSteps)).flat();
    // The first page of the list reads the last shuffle's rows; the list's next page and that shuffle's page are cut
    // from the shuffle the server then keeps (src/server/ended-reads.ts), the list of shuffles reads nothing, and the
    // whole mix board reads the vote's mix rows.
    assert.deepEqual(
      [...new Set(reads.map((r) => r.page))],
      ['/mix/list?limit=2', '/mix/board'],
      'only the first list page and the mix board read the database',
    );
    assert.ok(
      steps.some((step) =>
        step.includes(' INDEX secret_board_page_idx (org_id=? AND vote_id=? AND part=? AND seq>?)'),
      ),
      steps.join('\n'),
    );
  });

  test("the board's fill at each open: the organisations' marks when none is missing, else the log from the mark", async () => {
    const { none, some } = await boardFillReads(logged, secret);
    assert.equal(none.length, 1, none.map((q) => q.sql).join('\n'));
    assert.deepEqual(
      logged.plan(none[0]!).map((step) => step.replace(/ INDEX \S+/, ' INDEX …')),
      ['SCAN o USING INDEX …', 'SEARCH m USING INDEX … (org_id=?) LEFT-JOIN'],
    );
    const batch = some.filter((q) => /\blog_entries\b/.test(q.sql));
    assert.equal(batch.length, 1, some.map((q) => q.sql).join('\n'));
    const steps = logged.plan(batch[0]!);
    assert.match(
      steps[0]!,
      /^SEARCH l USING INDEX sqlite_autoindex_log_entries_1 \(org_id=\? AND seq>\? AND seq<\?\)$/,
    );
    assert.ok(
      steps.slice(1).every((step) => /USING .*INDEX .* \(org_id=\? AND seq=\?\)$|^CORRELATED/.test(step)),
      steps.join('\n'),
    );
  });

  test("an ended vote's sums after a restart: one row of secret_sums by its key, no board read", async () => {
    const [read] = await endedSumsReads(logged, secret);
    assert.deepEqual(logged.plan(read!), [
      'SEARCH secret_sums USING INDEX sqlite_autoindex_secret_sums_1 (org_id=? AND vote_id=?)',
    ]);
  });

  test('the power lists are each one index range read in its order, never a sort of all their rows', async () => {
    const found: string[] = [];
    const steps: string[] = [];
    for (const { page, q } of await powerListReads(logged, s)) {
      const plan = logged.plan(q);
      steps.push(...plan);
      const bad = plan.filter((step) => /^SCAN |TEMP B-TREE/.test(step));
      if (bad.length > 0) found.push(`${page}: ${q.sql}\n    ${bad.join('\n    ')}`);
    }
    assert.deepEqual(found, []);
    for (const index of powerListIndexes)
      assert.ok(
        steps.some((step) => step.includes(` INDEX ${index} `)),
        `${index} unused:\n${steps.join('\n')}`,
      );
  });

  test("a petition-born motion's page finds its petition by key and reads one page of its signatures", async () => {
    const reads = await petitionMotionReads(logged, s);
    const steps = reads.flatMap((q) => logged.plan(q));
    const bad = reads.flatMap((q) =>
      logged.plan(q).filter((step) => growingSteps([step], q.sql).length > 0 || /TEMP B-TREE/.test(step)),
    );
    assert.deepEqual(bad, [], steps.join('\n'));
    assert.ok(
      reads.some((q) => /\bpetition_signatures\b/.test(q.sql) && /\blimit\b/i.test(q.sql)),
      'the signatures are read a page at a time',
    );
    for (const index of ['petitions_motion_idx', 'petition_signatures_time_idx'])
      assert.ok(
        steps.some((step) => step.includes(` INDEX ${index} `)),
        `${index} unused:\n${steps.join('\n')}`,
      );
  });

  test('no query of the pages a member loads walks a table or the whole organisation', async () => {
    const found: string[] = [];
    let checked = 0;
    for (const page of pagesOf(s)) {
      const queries = await logged.during(() => s.o.people.ana!.ok('GET', page));
      for (const q of queries.filter(isRead)) {
        checked++;
        const bad = growingSteps(logged.plan(q), q.sql);
        if (bad.length > 0) found.push(`${page}: ${q.sql}\n    ${bad.join('\n    ')}`);
      }
    }
    assert.ok(checked > 30, `only ${checked} queries were checked`);
    assert.deepEqual(found, []);
  });
});

const pgUrl = process.env.TEST_DATABASE_URL;

describe("a member's pages read through indexes (PostgreSQL's query plans)", { skip: !pgUrl }, () => {
  let logged: Awaited<ReturnType<typeof loggedPostgres>>;
  let s: SetUp;
  let secret: SmallSecretVote;
  let mixed: SmallSecretVote;
  before(async () => {
    logged = await loggedPostgres(pgUrl!);
    s = await setUp(logged.db);
    secret = await endedSecretVote(logged.db);
    mixed = await endedMixedVote(logged.db);
    // Another organisation's rows, so that reading a whole table costs what it would in a large installation,
    // and the statistics that tell the planner so (20,000 rows each: a sequential scan loses to an index).
    const n = 20_000;
    for (const text of [
      `insert into members (id, org_id, name, joined_at, name_key)
         select 'f' || i, 'org_filler', 'Filler ' || i, '2026-01-01', 'filler ' || i from generate_series(1, ${n}) i`,
      `insert into councils (id, org_id, name, parent_id, seats_in_parent, position, name_key)
         select 'fc' || i, 'org_filler', 'Filler ' || i, case when i = 1 then null else 'fc1' end, 1, i, 'filler ' || i
         from generate_series(1, ${n / 10}) i`,
      `insert into memberships (council_id, member_id, org_id, name_key)
         select 'fc' || (1 + i % ${n / 10}), 'f' || i, 'org_filler', 'filler ' || i from generate_series(1, ${n}) i`,
      `insert into mandates (id, org_id, member_id, council_id, from_council_id, started_at, term_ends)
         select 'fm' || i, 'org_filler', 'f' || i, 'fc1', 'fc' || (1 + i % ${n / 10}), '2026-01-01', '2099-01-01'
         from generate_series(1, ${n}) i`,
      `insert into ballots (vote_id, member_id, org_id, ballot, cast_at)
         select 'fv' || (i % 20), 'f' || i, 'org_filler', '{}', '2026-01-01' from generate_series(1, ${n}) i`,
      // a long debate of another motion of the same organisation, and others' debates
      `insert into comments (motion_id, id, org_id, position, author_id, stance, text, reply_to, posted_at)
         select case when i <= ${n / 2} then 'fmo' else 'fmo' || (i % 50) end, 'c' || i,
           case when i <= ${n / 2} then '${s.org}' else 'org_filler' end, i, 'f1', 'for', 'x', null, '2026-01-01'
         from generate_series(1, ${n}) i`,
      // another organisation's log and boards, and 20,000 board rows of twenty other votes of the ended vote's own
      // organisation (past its log's end): a page or a receipt of the vote is one range of its own rows
      `insert into log_entries (org_id, seq, act, actor, time, body, leaf_hash)
         select 'org_filler', i, 'board_posted', null, '2026-01-01', '{}', 'x' from generate_series(1, ${n}) i`,
      `insert into secret_board (org_id, seq, vote_id, part, kind, code, ballot_id, credential)
         select 'org_filler', i, 'fv' || (i % 20), 'board', 'ballot', 'c' || i, 'b' || i, 'k' || i
         from generate_series(1, ${n}) i`,
      `insert into secret_board (org_id, seq, vote_id, part, kind, code, ballot_id, credential)
         select '${secret.orgId}', 1000000 + i, 'fv' || (i % 20), 'board', 'ballot', 'c' || i, 'b' || i, 'k' || i
         from generate_series(1, ${n}) i`,
      // and as many mix rows of other votes in the ended mixed vote's organisation
      `insert into secret_board (org_id, seq, vote_id, part, kind, code, ballot_id, credential)
         select '${mixed.orgId}', 1000000 + i, 'fv' || (i % 20), 'mix', 'ranked-ballot', 'c' || i, 'b' || i, 'k' || i
         from generate_series(1, ${n}) i`,
      // and other votes' sums: the sums of a vote are read by its key
      `insert into secret_sums (org_id, vote_id, sums)
         select 'org_filler', 'fv' || i, '{}' from generate_series(1, ${n}) i`,
      // 20,000 old requests and petitions of the organisation itself, and 20,000 signatures of one of its
      // petitions: a page of its lists is a range of an index in the list's order, not a sort of its rows
      `insert into privileged_requests (id, org_id, kind, content, content_hash, council_id, authority, approvers,
         required, requested_by, requested_at, expires_at, state)
         select 'fr' || i, '${s.org}', 'change_witnesses', '{}', 'x', 'fed',
           case when i % 2 = 0 then '{"by":"committee","council":"root","k":1}' else '{"by":"council","council":"root","threshold":{"den":3,"num":2}}' end, '[]',
           '1', 'f1', '2020-01-01T00:00:00.000Z', '2020-01-15T00:00:00.000Z',
           case i % 3 when 0 then 'pending' when 1 then 'done' else 'reversed' end
         from generate_series(1, ${n}) i`,
      `insert into petitions (id, org_id, kind, council_id, target_council_id, title, text, opened_by, opened_at,
         deadline, required, councils_required, passed_in, signature_count)
         select 'fp' || i, '${s.org}', 'agenda', case when i % 2 = 0 then 'north' else 'south' end,
           case when i % 4 = 0 then 'fed' else null end, 'Old', '', 'f1', '2020-01-01T00:00:00.000Z',
           '2020-01-31T00:00:00.000Z', '{}', '0', '[]', '0'
         from generate_series(1, ${n}) i`,
      `insert into committees (org_id, council_id, member_ids, elected_at, term_ends, request_id)
         select 'org_filler', 'fc' || i, '[]', '2020-01-01T00:00:00.000Z', '2021-01-01T00:00:00.000Z', 'fr1'
         from generate_series(1, ${n}) i`,
      `insert into petition_signatures (petition_id, member_id, org_id, council_id, signed_at)
         select 'fp1', 'f' || i, '${s.org}', 'south', '2020-01-02T00:00:00.000Z' from generate_series(1, ${n}) i`,
      'analyze',
    ])
      await logged.sql(text);
  });
  after(async () => {
    await s?.o.close();
  });

  test('the plan check finds a sequential scan', async () => {
    const plan = await logged.plan({ sql: 'select * from members where name = $1', parameters: ['x'] });
    assert.deepEqual(seqScans(plan), ['Seq Scan on members']);
  });

  test("a council's page is one statement for a council that is not there, two for one that is", async () => {
    await councilPageReads(logged, s, 'fc1');
  });

  test("the name keys' fills at each open read only the partial indexes of the rows without a key", async () => {
    for (const q of await nameKeyFillReads(logged)) {
      const plan = await logged.plan(q);
      assert.deepEqual(seqScans(plan), [], q.sql);
      const table = /\bfrom "?(members|councils|memberships)\b/.exec(q.sql)![1];
      assert.deepEqual(indexesOf(plan), [`${table}_name_key_missing_idx`], q.sql);
    }
  });

  test("a page of a motion's comments is a range of comments_motion_position_idx, not a sort of the debate", async () => {
    const reads = await commentPageReads(logged, s);
    assert.equal(reads.length, 2, reads.map((q) => q.sql).join('\n'));
    const range = await logged.plan(reads[1]!);
    assert.deepEqual(seqScans(range, ['comments']), []);
    assert.deepEqual(indexesOf(range), ['comments_motion_position_idx']);
    assert.deepEqual(seqScans(await logged.plan(reads[0]!), ['comments']), []);
  });

  test("an ended secret vote's board page, opening rows and receipt check read by index, not its whole board", async () => {
    const plans = await endedPagePlans(
      await endedSecretPageReads(logged, secret),
      (q) => logged.plan(q),
      (plan) => seqScans(plan, ['secret_board', 'log_entries']),
    );
    const indexes = new Set(plans.flatMap(indexesOf));
    for (const index of ['secret_board_page_idx', 'secret_board_code_idx', 'secret_board_credential_idx'])
      assert.ok(indexes.has(index), `${index} unused: ${[...indexes].join(', ')}`);
  });

  test("an ended mixed vote's mix pages read its mix rows by index, not its whole board", async () => {
    const reads = await endedMixPageReads(logged, mixed);
    const plans = await endedPagePlans(
      reads,
      (q) => logged.plan(q),
      (plan) => seqScans(plan, ['secret_board', 'log_entries']),
    );
    const indexes = new Set(plans.flatMap(indexesOf));
    assert.ok(reads.length >= 4, `${reads.length} reads`);
    assert.ok(indexes.has('secret_board_page_idx'), `unused: ${[...indexes].join(', ')}`);
  });

  test("the board's fill at each open: the organisations' marks when none is missing, else the log from the mark", async () => {
    const { none, some } = await boardFillReads(logged, secret);
    assert.equal(none.length, 1, none.map((q) => q.sql).join('\n'));
    assert.ok(!/\b(log_entries|secret_board)\b/.test(none[0]!.sql), none[0]!.sql);
    const batch = some.filter((q) => /\blog_entries\b/.test(q.sql));
    assert.equal(batch.length, 1, some.map((q) => q.sql).join('\n'));
    const plan = await logged.plan(batch[0]!);
    assert.deepEqual(seqScans(plan, ['secret_board', 'log_entries']), []);
    assert.deepEqual(new Set(indexesOf(plan)), new Set(['log_entries_pk', 'secret_board_pk']));
  });

  test("an ended vote's sums after a restart: one row of secret_sums by its key, no board read", async () => {
    const [read] = await endedSumsReads(logged, secret);
    const plan = await logged.plan(read!);
    assert.deepEqual(seqScans(plan, ['secret_sums']), []);
    assert.deepEqual(indexesOf(plan), ['secret_sums_pk']);
  });

  test('the power lists are each one index range read in its order, never a sort of all their rows', async () => {
    const found: string[] = [];
    const indexes = new Set<string>();
    for (const { page, q } of await powerListReads(logged, s)) {
      const plan = await logged.plan(q);
      for (const index of indexesOf(plan)) indexes.add(index);
      const bad = [...seqScans(plan, powerListTables), ...sorts(plan)];
      if (bad.length > 0) found.push(`${page}: ${q.sql}\n    ${bad.join('\n    ')}`);
    }
    assert.deepEqual(found, []);
    for (const index of powerListIndexes)
      assert.ok(indexes.has(index), `${index} unused: ${[...indexes].join(', ')}`);
  });

  test("a petition-born motion's page with 20,000 signatures reads its petition by key and one page of them", async () => {
    const reads = await petitionMotionReads(logged, s, async (petitionId) => {
      await logged.sql(
        `insert into petition_signatures (petition_id, member_id, org_id, council_id, signed_at)
           select '${petitionId}', 'f' || i, '${s.org}', 'north', '2026-01-06T00:00:00.000Z'
           from generate_series(1, 20000) i`,
      );
      await logged.sql('analyze petition_signatures');
    });
    const found: string[] = [];
    const indexes = new Set<string>();
    for (const q of reads) {
      const plan = await logged.plan(q);
      for (const index of indexesOf(plan)) indexes.add(index);
      const bad = [...seqScans(plan, ['petitions', 'petition_signatures', 'members']), ...sorts(plan)];
      if (bad.length > 0) found.push(`${q.sql}\n    ${bad.join('\n    ')}`);
    }
    assert.deepEqual(found, []);
    for (const index of ['petitions_motion_idx', 'petition_signatures_time_idx'])
      assert.ok(indexes.has(index), `${index} unused: ${[...indexes].join(', ')}`);
  });

  test('no query of the pages a member loads reads a large table whole', async () => {
    const found: string[] = [];
    let checked = 0;
    for (const page of pagesOf(s)) {
      const queries = await logged.during(() => s.o.people.ana!.ok('GET', page));
      for (const q of queries.filter(isRead)) {
        checked++;
        const bad = seqScans(await logged.plan(q));
        if (bad.length > 0) found.push(`${page}: ${q.sql}\n    ${bad.join('\n    ')}`);
      }
    }
    assert.ok(checked > 30, `only ${checked} queries were checked`);
    assert.deepEqual(found, []);
  });
});
