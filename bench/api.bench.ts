// Open-vote casts through the HTTP API on 127.0.0.1, on SQLite and on PostgreSQL. The server runs in its own
// process (`councils serve`); autocannon drives it from this one. Every cast is by a distinct elector, so every
// request must succeed, and the ballots in the database are counted afterwards: nothing may be lost.
// Baseline in the same run: GET /api/v1/health (no database write).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { hashSecret, secretToken } from '../src/server/service.ts';
import { insertApiToken } from '../src/store/account-repository.ts';
import { openDatabase } from '../src/store/database.ts';
import { foundOrganisation, systemClock } from '../src/store/ledger.ts';
import { startThrowawayPostgres } from '../test/support/postgres-cluster.ts';
import { serveProcess } from '../test/support/serve-process.ts';

const quick = process.argv.includes('--quick');
const members = quick ? 300 : 4000;
const votesPerRound = quick ? 2 : 5;
const rounds = 3;
const connections = 50;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function seed(url: string) {
  const db = await openDatabase(url);
  const { ledger, outcome } = await foundOrganisation(
    db,
    {
      type: 'found_organisation',
      name: 'Bench',
      councils: [{ id: 'all', name: 'Assembly', parentId: null, seatsInParent: 0 }],
      founders: Array.from({ length: members }, (_, i) => ({
        memberId: `m${i}`,
        name: `Member ${i}`,
        councilId: 'all',
      })),
    },
    systemClock,
  );
  if (!outcome.ok) throw new Error(outcome.code);
  const tokens: string[] = [];
  for (let i = 0; i < members; i++) {
    const token = `cnl_${secretToken()}`;
    await insertApiToken(db.kysely, hashSecret(token), {
      id: `t${i}`,
      memberId: `m${i}`,
      orgId: ledger.orgId,
      name: 'bench',
      createdAt: new Date().toISOString(),
    });
    tokens.push(token);
  }
  const votes: string[] = [];
  for (let v = 0; v < votesPerRound * rounds; v++) {
    const moved = await ledger.execute(
      { type: 'move_motion', councilId: 'all', title: `Motion ${v}`, text: '' },
      'm0',
    );
    if (!moved.ok || moved.entries[0]!.act !== 'motion_moved') throw new Error('move failed');
    const opened = await ledger.execute(
      { type: 'open_vote', motionId: moved.entries[0]!.payload.motionId },
      'm0',
    );
    if (!opened.ok || opened.entries[0]!.act !== 'vote_opened') throw new Error('open failed');
    votes.push(opened.entries[0]!.payload.voteId);
  }
  await db.close();
  return { orgId: ledger.orgId, tokens, votes };
}

async function load(base: string, requests: { path: string; token: string }[], method: 'GET' | 'POST') {
  let i = 0;
  const result = await autocannon({
    url: base,
    connections,
    amount: requests.length,
    requests: [
      {
        method,
        setupRequest: (req) => {
          const r = requests[i++ % requests.length]!;
          return {
            ...req,
            path: r.path,
            headers: { authorization: `Bearer ${r.token}`, 'content-type': 'application/json' },
            ...(method === 'POST' ? { body: JSON.stringify({ choice: 'a1' }) } : {}),
          };
        },
      },
    ],
  });
  const seconds = result.duration;
  return {
    ok: result['2xx'],
    failed: result.non2xx + result.errors + result.timeouts,
    perSecond: result['2xx'] / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

async function countBallots(url: string, orgId: string): Promise<number> {
  const db = await openDatabase(url);
  const r = await db.kysely
    .selectFrom('ballots')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  await db.close();
  return Number(r.n);
}

async function benchDatabase(name: string, url: string) {
  const { orgId, tokens, votes } = await seed(url);
  const { child, url: base } = await serveProcess(url);
  const server = { child, base };
  try {
    const health = await load(
      server.base,
      tokens.map((token) => ({ path: '/api/v1/health', token })),
      'GET',
    );
    const casts = [];
    let acknowledged = 0;
    for (let r = 0; r < rounds; r++) {
      const requests = votes
        .slice(r * votesPerRound, (r + 1) * votesPerRound)
        .flatMap((v) => tokens.map((token) => ({ path: `/api/v1/orgs/${orgId}/votes/${v}/ballots`, token })));
      const res = await load(server.base, requests, 'POST');
      acknowledged += res.ok;
      casts.push(res);
    }
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    const stored = await countBallots(url, orgId);
    return {
      name,
      health,
      perSecond: median(casts.map((c) => c.perSecond)),
      p50: median(casts.map((c) => c.p50)),
      p99: median(casts.map((c) => c.p99)),
      failed: casts.reduce((a, c) => a + c.failed, 0),
      acknowledged,
      stored,
    };
  } finally {
    server.child.kill('SIGKILL');
  }
}

const dir = mkdtempSync(join(os.tmpdir(), 'councils-bench-'));
const results = [await benchDatabase('SQLite', join(dir, 'bench.db'))];
const pg = process.env.DATABASE_URL
  ? { url: process.env.DATABASE_URL, stop: () => {} }
  : startThrowawayPostgres();
if (pg) {
  try {
    // A cluster started here runs with fsync=off (a throwaway); DATABASE_URL may name a durable one.
    results.push(
      await benchDatabase(
        process.env.DATABASE_URL ? 'PostgreSQL' : 'PostgreSQL (throwaway cluster, fsync=off)',
        pg.url,
      ),
    );
  } finally {
    pg.stop();
  }
}
rmSync(dir, { recursive: true, force: true });

const f = (n: number) => n.toFixed(0);
console.log(`## Open-vote casts through the HTTP API

${new Date().toISOString().slice(0, 10)} · ${os.cpus()[0]?.model} × ${os.cpus().length} · Node ${process.version} ·
${members} electors × ${votesPerRound} votes per round, ${rounds} rounds (medians), ${connections} connections, autocannon in a
second process on 127.0.0.1; every cast by a distinct elector with its own API token.

| database | casts/s | p50 ms | p99 ms | health GET/s (baseline) | casts ÷ baseline | failed | acknowledged | ballots stored |
|---|---|---|---|---|---|---|---|---|
${results
  .map(
    (r) =>
      `| ${r.name} | ${f(r.perSecond)} | ${r.p50} | ${r.p99} | ${f(r.health.perSecond)} | ${(r.perSecond / r.health.perSecond).toFixed(2)} | ${r.failed} | ${r.acknowledged} | ${r.stored} |`,
  )
  .join('\n')}

Target: ≥ 2,000 casts/s on SQLite with p99 < 50 ms, nothing lost (acknowledged = stored).
`);
for (const r of results) {
  if (r.stored !== r.acknowledged) {
    console.error(`LOST BALLOTS on ${r.name}: ${r.acknowledged} acknowledged, ${r.stored} stored`);
    process.exitCode = 1;
  }
}
