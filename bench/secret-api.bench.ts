// Secret ballots accepted through the HTTP API (127.0.0.1, SQLite): every cast is checked with checkBallot (sodium
// backend) in the core before it is appended. Ballots are encrypted beforehand on the client side (not timed).
// Baseline in the same run: checkBallot alone on the same ballots, one thread, no HTTP and no database.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import * as ballot from '../src/ballot/index.ts';
import { buildApp } from '../src/server/app.ts';
import { freezeWhenReady, issueCredential, listSignedCredential } from '../src/server/secret-votes.ts';
import { CouncilsService } from '../src/server/service.ts';
import { openDatabase } from '../src/store/database.ts';
import { systemClock } from '../src/store/ledger.ts';

const quick = process.argv.includes('--quick');
const voters = quick ? 40 : 400;
const rounds = quick ? 1 : 3;
const concurrency = 8;
const rnd = (n: number) => new Uint8Array(randomBytes(n));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const g = await ballot.sodiumGroup();

const dir = mkdtempSync(join(os.tmpdir(), 'councils-secret-bench-'));
const db = await openDatabase(join(dir, 'bench.db'));
const service = new CouncilsService(db, systemClock, { keyDir: join(dir, 'keys') });
// every client here is 127.0.0.1: the per-address limit of the anonymous routes is off, this measures throughput
const app = await buildApp({ service, publicUrl: 'http://127.0.0.1', anonymousRate: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/v1`;
const members = Array.from({ length: voters }, (_, i) => `m${i}`);
const { orgId } = await service.found({
  type: 'found_organisation',
  name: 'Bench',
  councils: [{ id: 'all', name: 'Assembly', parentId: null, seatsInParent: 0 }],
  founders: members.map((memberId) => ({ memberId, name: memberId, councilId: 'all' })),
});

/** A secret vote ready for casting: DKG by 5 trustees (3 decrypt), every member's credential frozen. */
async function readyVote(round: number) {
  const run = (actor: string | null, c: Parameters<CouncilsService['run']>[2]) =>
    service.run(orgId, actor, c);
  const moved = await run('m0', {
    type: 'move_motion',
    councilId: 'all',
    title: `Round ${round}`,
    text: '',
    secret: { trustees: members.slice(0, 5), threshold: 3, registrationMinutes: 30 },
  });
  const motionId = (moved[0]!.payload as { motionId: string }).motionId;
  const opened = await run('m1', { type: 'open_vote', motionId, minutes: 60 });
  const voteId = (opened[0]!.payload as { voteId: string }).voteId;
  const sv = () =>
    service
      .ledger(orgId)
      .current()
      .then((s) => s.votes.get(voteId)!.secret!);
  const setup = (await sv()).setup;
  const r1 = members.slice(0, 5).map((_, i) => ballot.dkgCommit(g, setup, i + 1, rnd));
  for (const [i, r] of r1.entries())
    await run(`m${i}`, {
      type: 'post_trustee_message',
      voteId,
      message: { kind: 'dkg-commit', body: r.message },
    });
  for (const [i, r] of r1.entries()) {
    const body = ballot.dkgShares(
      g,
      setup,
      r.secret,
      r1.map((x) => x.message),
      rnd,
    );
    await run(`m${i}`, { type: 'post_trustee_message', voteId, message: { kind: 'dkg-shares', body } });
  }
  // every member is issued a credential by blind signature and lists it (docs/BALLOT-PROTOCOL.md §4.1)
  const creds = members.map(() => ballot.makeCredential(g, rnd));
  const key = setup.issuers![0]!;
  for (const [i, c] of creds.entries()) {
    const req = ballot.requestToken(key, setup.setupHash, c.public, rnd);
    const { blindSignature } = await issueCredential(service, orgId, voteId, `m${i}`, req.blindedMessage);
    const signed = ballot.finishToken(key, setup.setupHash, c.public, blindSignature, req.inv)!;
    await listSignedCredential(service, orgId, voteId, signed);
  }
  await freezeWhenReady(service, orgId, voteId);
  if (!(await sv()).election) throw new Error('the list did not freeze');
  const election = (await sv()).election!;
  const ballots = creds.map(
    (c, i) => ballot.encryptBallot(g, election, c.secret, [[i % 2, 1 - (i % 2), 0]], rnd).ballot,
  );
  return { voteId, election, ballots };
}

async function castAll(voteId: string, ballots: ballot.BallotBody[]): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < ballots.length) {
      const b = ballots[next++]!;
      const res = await fetch(`${url}/orgs/${orgId}/votes/${voteId}/secret/ballots`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ballot: b }),
      });
      if (res.status !== 201) throw new Error(`cast refused: ${res.status} ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - t0;
}

const load = os
  .loadavg()
  .map((x) => x.toFixed(1))
  .join(' / ');
const api: number[] = [];
const lib: number[] = [];
let peak = 0;
for (let r = 0; r < rounds; r++) {
  const { voteId, election, ballots } = await readyVote(r);
  const t0 = performance.now();
  for (const b of ballots)
    if (!ballot.checkBallot(g, election, b, Date.now(), new Set()).ok) throw new Error('bad');
  lib.push(performance.now() - t0);
  api.push(await castAll(voteId, ballots));
  const state = await service.ledger(orgId).current();
  if (state.votes.get(voteId)!.secret!.cast.length !== voters) throw new Error('a ballot is missing');
  peak = Math.max(peak, process.memoryUsage().rss);
}
await app.close();
await db.close();
rmSync(dir, { recursive: true, force: true });

const perSec = (ms: number) => ((voters * 1000) / ms).toFixed(1);
const mApi = median(api);
const mLib = median(lib);
console.log(`## Secret ballots accepted through the API

Machine: ${os.cpus()[0]!.model} × ${os.cpus().length}, Node ${process.version}, ${new Date().toISOString().slice(0, 16)} UTC.
Load average at start: ${load} (other engineers' jobs share the cores). Medians of ${rounds} rounds of ${voters}
ballots (yes/no/abstain: 3 option proofs, 1 sum proof, 1 signature), ${concurrency} concurrent HTTP clients, SQLite.

| What | ms per ${voters} ballots | ballots/s | × baseline time |
| --- | ---: | ---: | ---: |
| baseline: checkBallot alone, sodium backend, one thread | ${mLib.toFixed(0)} | ${perSec(mLib)} | 1.00 |
| POST …/secret/ballots: HTTP, schema, checkBallot in decide, append + Merkle tree + projections | ${mApi.toFixed(0)} | ${perSec(mApi)} | ${(mApi / mLib).toFixed(2)} |

Every ballot was appended (the board holds ${voters} per round). Peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB.
The check runs in the organisation's ledger queue, one ballot after another: one organisation uses one core for
ballot checks; to go faster, check the proofs before the queue (in parallel) and keep only the id and time checks
in decide.
`);
