// An organisation's pages read from a real streaming replica (pg_basebackup -R) of a real PostgreSQL primary
// (src/server/read-replica.ts, docs/DEPLOYMENT.md "The read replica"): served by the replica once it has caught up;
// with its replay paused (a replica behind), a motion just moved is still on the next page, read from the primary,
// and the replica serves again once it has replayed it; a read the replica fails mid-request (stopped while the
// query waits) is answered by the primary, the next reads go there, and the replica serves again once restarted;
// with the replica stopped, reads go on from the primary.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { checkReplicaOf, ReadReplica } from '../../src/server/read-replica.ts';
import { openDatabase, openReadReplica, type Db } from '../../src/store/database.ts';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';
import {
  startStreamingReplica,
  startThrowawayPostgres,
  type ThrowawayPostgres,
} from '../support/postgres-cluster.ts';

// Runs where the suite has PostgreSQL; it starts a primary and a replica of its own (a replica copies a cluster).
const withPostgres = process.env.TEST_DATABASE_URL !== undefined;

let primary: ThrowawayPostgres;
let replica: ReturnType<typeof startStreamingReplica>;
let replicaDb: Db;
let o: ApiOrg;
let reads: ReadReplica;
/** What the replica's reads said (once when it starts failing, once when it answers again). */
const said: string[] = [];

/** Polls until `check` is true, for at most `ms`. */
async function within(ms: number, what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The organisation's log size on the replica (-1: not there yet). */
async function replicaSize(): Promise<number> {
  const r = await sql<{ size: number }>`select size from orgs where id = ${o.orgId}`.execute(
    replicaDb.kysely,
  );
  return r.rows[0] === undefined ? -1 : Number(r.rows[0].size);
}

const caughtUp = async () =>
  replicaSize().then(async (n) => n === (await o.service.ledger(o.orgId).current()).size);

/** Pauses the replica's replay and waits until it is paused. */
async function pauseReplay(): Promise<void> {
  await sql`select pg_wal_replay_pause()`.execute(replicaDb.kysely);
  await within(30_000, 'replay paused', async () => {
    const r = await sql<{ s: string }>`select pg_get_wal_replay_pause_state() as s`.execute(replicaDb.kysely);
    return r.rows[0]?.s === 'paused';
  });
}

async function move(title: string): Promise<string> {
  const { motionId } = await o.people.ana!.ok<{ motionId: string }>(
    'POST',
    `/orgs/${o.orgId}/councils/north/motions`,
    { title, text: 'Read where it can be.' },
  );
  return motionId;
}

before(async () => {
  if (!withPostgres) return;
  primary = startThrowawayPostgres()!;
  replica = startStreamingReplica(primary.url);
  o = await apiOrg(await openDatabase(primary.url));
  replicaDb = openReadReplica(replica.url);
  reads = new ReadReplica(openReadReplica(replica.url), o.service.db.kysely, (m) => said.push(m));
  o.service.readReplica = reads;
});

after(async () => {
  if (!withPostgres) return;
  await o?.close();
  await replicaDb?.close();
  await reads?.db.close();
  replica?.stop();
  primary?.stop();
});

test('a caught-up replica serves the pages', { skip: !withPostgres }, async () => {
  const motionId = await move('Read from the replica');
  await within(30_000, 'the replica caught up', caughtUp);
  const served = reads.counts.replica;
  const m = await o.people.ben!.ok<{ title: string }>('GET', `/orgs/${o.orgId}/motions/${motionId}`);
  assert.equal(m.title, 'Read from the replica');
  await o.people.ben!.ok('GET', `/orgs/${o.orgId}`);
  await o.people.ben!.ok('GET', `/orgs/${o.orgId}/councils/north`);
  assert.equal(reads.counts.replica, served + 3, 'each read served by the replica');
});

test(
  'a replica behind never hides a write: the read goes to the primary, then back',
  { skip: !withPostgres },
  async () => {
    await within(30_000, 'the replica caught up', caughtUp);
    await pauseReplay();
    const motionId = await move('Written while the replica waits');
    const behind = reads.counts.behind;
    // The replica has not got it (its replay is paused): the member still sees their motion, from the primary.
    assert.ok((await replicaSize()) < (await o.service.ledger(o.orgId).current()).size);
    const m = await o.people.ana!.ok<{ title: string }>('GET', `/orgs/${o.orgId}/motions/${motionId}`);
    assert.equal(m.title, 'Written while the replica waits');
    const council = await o.people.ana!.ok<{ motions: { id: string }[] }>(
      'GET',
      `/orgs/${o.orgId}/councils/north`,
    );
    assert.ok(
      council.motions.some((x) => x.id === motionId),
      'the motion is on its council’s page',
    );
    assert.equal(reads.counts.behind, behind + 2, 'both reads went to the primary');

    await sql`select pg_wal_replay_resume()`.execute(replicaDb.kysely);
    await within(30_000, 'the replica caught up again', caughtUp);
    const served = reads.counts.replica;
    const again = await o.people.ana!.ok<{ title: string }>('GET', `/orgs/${o.orgId}/motions/${motionId}`);
    assert.equal(again.title, 'Written while the replica waits');
    assert.equal(reads.counts.replica, served + 1, 'served by the replica again');
  },
);

test(
  'the record, vote, power and tree pages read the replica, and never miss a write it has not replayed',
  { skip: !withPostgres },
  async () => {
    const ana = o.people.ana!;
    const ben = o.people.ben!;
    const org = `/orgs/${o.orgId}`;
    /** Each page, with what it must show of the writes made while the replica waits (the newest ones). */
    const pages = (w: { size: number; voteId: string; petitionId: string; ballots: number }) =>
      [
        [
          `${org}/log?from=${w.size - 1}`,
          (b: any) => b.entries.length === 1 && b.entries[0].seq === w.size - 1,
        ],
        [`${org}/tree`, (b: any) => b.councils.length === 3],
        [`${org}/names?councils=north`, (b: any) => b.councils.north === 'North'],
        [`${org}/members?limit=2`, (b: any) => b.members.length === 2],
        [`${org}/members?q=Ana`, (b: any) => b.members.some((x: { name: string }) => x.name === 'Ana')],
        [`${org}/councils?q=nor`, (b: any) => b.councils.some((x: { id: string }) => x.id === 'north')],
        [`${org}/councils/north/members`, (b: any) => b.members.length === 3],
        [`${org}/councils/north/motions`, (b: any) => Array.isArray(b.motions)],
        [`${org}/votes/${w.voteId}`, (b: any) => b.ballotCount === w.ballots],
        [`${org}/votes/${w.voteId}/electorate`, (b: any) => b.electors.length === 3],
        [`${org}/votes/${w.voteId}/ballots`, (b: any) => b.ballots.length === w.ballots],
        [`${org}/petitions`, (b: any) => b.petitions.some((x: { id: string }) => x.id === w.petitionId)],
        [`${org}/petitions/${w.petitionId}`, (b: any) => b.id === w.petitionId],
        [`${org}/keys`, (b: any) => Array.isArray(b.keys)],
        [`${org}/requests`, (b: any) => Array.isArray(b.requests)],
        [`${org}/committees`, (b: any) => Array.isArray(b.committees)],
        [`${org}/power`, (b: any) => typeof b === 'object'],
      ] as const;
    /** Writes a motion, its open vote, a ballot and a petition; returns what the pages must show. */
    async function write(title: string, ballots: number) {
      const motionId = await move(title);
      await ana.ok('POST', `${org}/motions/${motionId}/vote`, {});
      const { voteId } = await ana.ok<{ voteId: string }>('GET', `${org}/motions/${motionId}`);
      for (const who of [ana, ben].slice(0, ballots))
        await who.ok('POST', `${org}/votes/${voteId}/ballots`, { choice: 'a1' });
      const { petitionId } = await ana.ok<{ petitionId: string }>('POST', `${org}/petitions`, {
        kind: 'agenda',
        councilId: 'north',
        title,
        text: 'Put it on the agenda.',
      });
      return { size: (await o.service.ledger(o.orgId).current()).size, voteId, petitionId, ballots };
    }
    async function readAll(w: Parameters<typeof pages>[0]) {
      for (const [path, shows] of pages(w)) {
        const body = await ben.ok<unknown>('GET', path);
        assert.ok(shows(body), `${path}: ${JSON.stringify(body).slice(0, 300)}`);
      }
    }

    // Caught up: each page is served by the replica.
    const first = await write('Every page from the replica', 1);
    await within(30_000, 'the replica caught up', caughtUp);
    const served = reads.counts.replica;
    await readAll(first);
    assert.equal(reads.counts.replica, served + pages(first).length, 'each page served by the replica');

    // Behind (replay paused): the newest writes are on every page, read from the primary.
    await pauseReplay();
    try {
      const second = await write('Written while the replica waits, on every page', 2);
      assert.ok((await replicaSize()) < second.size, 'the replica has not replayed them');
      const behind = reads.counts.behind;
      await readAll(second);
      assert.equal(reads.counts.behind, behind + pages(second).length, 'each page read from the primary');
    } finally {
      await sql`select pg_wal_replay_resume()`.execute(replicaDb.kysely);
    }
  },
);

test(
  'a replica of another PostgreSQL system is refused; a replica not in recovery is said, not refused',
  { skip: !withPostgres },
  async () => {
    assert.deepEqual(await checkReplicaOf(o.service.db.kysely, replicaDb.kysely), []);
    // The primary given as its replica (or a replica promoted by a failover) is a primary: read only when it holds
    // every entry, as any replica; said at start.
    const warnings = await checkReplicaOf(o.service.db.kysely, o.service.db.kysely);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /not in recovery/);
    // A replica that cannot be reached at start: the server starts and reads the primary until it answers.
    const away = openReadReplica('postgresql://postgres@/postgres?host=%2Fnonexistent-councils&port=1');
    try {
      const said = await checkReplicaOf(o.service.db.kysely, away.kysely);
      assert.equal(said.length, 1);
      assert.match(said[0]!, /cannot be reached now/);
    } finally {
      await away.close();
    }
    // A cluster of another system (here the replica checked against the suite's own PostgreSQL, as if it were the
    // primary) holds other data under the same ids: refused by its system identifier.
    const other = await openDatabase(process.env.TEST_DATABASE_URL!);
    try {
      await assert.rejects(
        checkReplicaOf(other.kysely, replicaDb.kysely),
        /replica of another PostgreSQL system/,
      );
    } finally {
      await other.close();
    }
  },
);

test(
  'a read the replica fails mid-request is answered by the primary; the replica rests, then serves again',
  { skip: !withPostgres },
  async () => {
    const motionId = await move('Read while the replica stops');
    await within(30_000, 'the replica caught up', caughtUp);
    // The primary locks the motions table; the replica replays the lock, so a read of a motion there waits on it
    // after the replica was chosen (its orgs row is not locked): the replica is stopped under that waiting query.
    const locker = await o.service.db.dedicated!('read-replica-test');
    try {
      await locker.query('begin');
      await locker.query('lock table motions in access exclusive mode');
      await within(30_000, 'the replica replayed the lock', async () => {
        const r = await sql<{ n: number }>`select count(*)::int as n from pg_locks
          where relation = 'motions'::regclass and mode = 'AccessExclusiveLock'`.execute(replicaDb.kysely);
        return r.rows[0]!.n > 0;
      });
      const { retried, replica: served } = reads.counts;
      const answer = o.people.ben!.request('GET', `/orgs/${o.orgId}/motions/${motionId}`);
      await within(30_000, 'the read waits on the replica', async () => {
        const r = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
          where wait_event_type = 'Lock' and query like '%motions%'`.execute(replicaDb.kysely);
        return r.rows[0]!.n > 0;
      });
      assert.equal(reads.counts.replica, served + 1, 'the replica was chosen');
      replica.halt();
      await locker.query('commit');
      const response = await answer;
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.json<{ title: string }>().title, 'Read while the replica stops');
      assert.ok(reads.counts.retried > retried, 'read again on the primary');
    } finally {
      await locker.end();
    }
    assert.equal(said.length, 1, 'said once');
    assert.match(said[0]!, /failed a read/);

    // While it is down the reads go to the primary (left alone for the back-off, or failing its size query), and
    // the outage is not said again.
    const { replica: before, down, failed } = reads.counts;
    for (let i = 0; i < 3; i++) {
      const m = await o.people.ana!.ok<{ title: string }>('GET', `/orgs/${o.orgId}/motions/${motionId}`);
      assert.equal(m.title, 'Read while the replica stops');
    }
    assert.equal(reads.counts.replica, before);
    assert.equal(reads.counts.down + reads.counts.failed, down + failed + 3);
    assert.equal(said.length, 1, 'still said once');

    // Started again, it serves the reads again once its back-off has passed.
    replica.start();
    await within(30_000, 'the replica serves again', async () => {
      const m = await o.people.ana!.ok<{ title: string }>('GET', `/orgs/${o.orgId}/motions/${motionId}`);
      assert.equal(m.title, 'Read while the replica stops');
      return reads.counts.replica > before;
    });
    assert.equal(said.length, 2);
    assert.match(said[1]!, /answers again/);
  },
);

test('with the replica gone, the pages are read from the primary', { skip: !withPostgres }, async () => {
  replica.stop();
  const { failed, down } = reads.counts;
  const motionId = await move('No replica');
  const m = await o.people.ben!.ok<{ title: string }>('GET', `/orgs/${o.orgId}/motions/${motionId}`);
  assert.equal(m.title, 'No replica');
  assert.equal(reads.counts.failed + reads.counts.down, failed + down + 1);
});
