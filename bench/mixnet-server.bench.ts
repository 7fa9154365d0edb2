// The mix-net through the server (issue 20): a secret STV election of N ranked ballots × 10 candidates (4 seats),
// 3 mixers, 2-of-3 trustees, on one `councils` server (SQLite, real HTTP on 127.0.0.1). The ballots are encrypted
// beforehand (not timed) and cast anonymously through POST …/secret/ballots by parallel clients; then, from the close:
// each mixer reads its list, shuffles and proves (the mixer's device, a library call in this process), posts it and
// the server verifies it before logging it; trustees 1 and 3 decrypt with proofs and post, the second post
// combining, counting and closing the vote; then the record is exported and `councils verify` replays all of it.
// Each shuffle-proof verification by the server is priced at the native-libsodium floor measured just before and
// after it (bench/mixnet-floor.ts). Wall and CPU time (this process, every thread) are shown for each step.
// Usage: npx tsx bench/mixnet-server.bench.ts [--quick] [--ballots N]   (prints a Markdown section)
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import * as ballot from '../src/ballot/index.ts';
import { writeBundle } from '../src/cli/commands/export.ts';
import { main as councils } from '../src/cli/main.ts';
import { buildApp } from '../src/server/app.ts';
import { issueCredential, listSignedCredential } from '../src/server/secret-votes.ts';
import { CouncilsService } from '../src/server/service.ts';
import { openDatabase } from '../src/store/database.ts';
import { ApiClient } from '../test/support/api-client.ts';
import { TestClock } from '../test/support/databases.ts';
import { council, organisation } from '../test/support/factory.ts';
import { loadAverage, nativeFloor, pricedFloorMs, type Floor } from './mixnet-floor.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const sizeAt = args.indexOf('--ballots');
const VOTERS = sizeAt >= 0 ? Number(args[sizeAt + 1]) : quick ? 300 : 10_000;
const CANDIDATES = 10;
const CLIENTS = 16;
const rnd = (n: number) => new Uint8Array(randomBytes(n));
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const g = await ballot.sodiumGroup();
const loadBefore = loadAverage();
const started = new Date().toISOString().slice(0, 16);

const dir = mkdtempSync(join(os.tmpdir(), 'councils-mix-bench-'));
const db = await openDatabase(join(dir, 'bench.db'));
const clock = new TestClock();
const ballotWorkers = os.availableParallelism();
const service = new CouncilsService(db, clock, { keyDir: join(dir, 'keys'), ballotWorkers });
// every client is 127.0.0.1: the per-address limit of the anonymous routes is off, this measures throughput
const app = await buildApp({ service, publicUrl: 'http://127.0.0.1', anonymousRate: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const api = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/v1`;

/** A request over real HTTP; the bearer token is a trustee's, none for the anonymous routes. */
async function http<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

// --- set-up (not timed): the organisation, the election, the key generation, the credentials, the ballots
const voters = Array.from({ length: VOTERS }, (_, i) => `m${i}`);
const { orgId, invitations } = await service.foundWithInvitations(
  organisation({
    name: 'Bench union',
    councils: [council('fed', 'Federation'), council('all', 'Assembly', 'fed', 4)],
    founders: voters.map((memberId) => ({ memberId, name: memberId, councilId: 'all' })),
    invitations: ['Tia', 'Tom', 'Tess'].map((name) => ({ name, councilId: 'all' })),
  }),
);
const trustees = await Promise.all(
  invitations.map((inv) => new ApiClient(app).join(inv.token, `${inv.name.toLowerCase()}@example.org`)),
);
const tokens = await Promise.all(
  trustees.map(async (t) => (await t.ok<{ token: string }>('POST', '/tokens', { name: 'bench' })).token),
);
const org = `/orgs/${orgId}`;
const { motionId } = await trustees[0]!.ok<{ motionId: string }>('POST', `${org}/councils/all/elections`, {
  method: 'scottish-stv',
  secret: {
    trustees: trustees.map((t) => t.memberId!),
    threshold: 2,
    registrationMinutes: 30,
    mixMinutes: 600,
  },
});
for (let c = 0; c < CANDIDATES; c++)
  await trustees[0]!.ok('POST', `${org}/motions/${motionId}/alternatives`, {
    title: `Candidate ${c}`,
    text: '',
    candidateId: voters[c],
  });
await trustees[0]!.ok('POST', `${org}/motions/${motionId}/vote`, { minutes: 120 });
const { voteId } = await trustees[0]!.ok<{ voteId: string }>('GET', `${org}/motions/${motionId}`);
const path = `${org}/votes/${voteId}/secret`;
const setup = (await trustees[0]!.ok<{ board: ballot.BoardEntry[] }>('GET', path)).board[0]!
  .body as ballot.SetupBody;
const round1 = trustees.map((_, i) => ballot.dkgCommit(g, setup, i + 1, rnd));
for (const [i, r] of round1.entries())
  await trustees[i]!.ok('POST', `${path}/trustee`, { kind: 'dkg-commit', body: r.message });
const commits = round1.map((r) => r.message);
const dealt = round1.map((r) => ballot.dkgShares(g, setup, r.secret, commits, rnd));
for (const [i, body] of dealt.entries())
  await trustees[i]!.ok('POST', `${path}/trustee`, { kind: 'dkg-shares', body });
const dkg = ballot.dkgResult(g, setup, commits, dealt, []);
const shareOf = (i: number) =>
  ballot.trusteeShare(
    g,
    round1[i]!.secret,
    ballot.dkgReceive(g, setup, round1[i]!.secret, dealt, rnd).received,
    dkg,
  );

let t = performance.now();
const key = setup.issuers![0]!;
const electors = [...voters, ...trustees.map((x) => x.memberId!)];
const creds = electors.map(() => ballot.makeCredential(g, rnd));
for (const [i, c] of creds.entries()) {
  const req = ballot.requestToken(key, setup.setupHash, c.public, rnd);
  const issued = await issueCredential(service, orgId, voteId, electors[i]!, req.blindedMessage);
  const signed = ballot.finishToken(key, setup.setupHash, c.public, issued.blindSignature, req.inv)!;
  await listSignedCredential(service, orgId, voteId, signed);
}
const credentialsMs = performance.now() - t;
const election = (await service.ledger(orgId).current()).votes.get(voteId)!.secret!.election!;
if (!election) throw new Error('the credential list did not freeze');
const candidates = (await trustees[0]!.ok<{ candidates: string[] }>('GET', `${path}/mix`)).candidates;

// every voter ranks some candidates: four blocs with varying orders and lengths, so the count has rounds
t = performance.now();
const ballots = voters.map((_, i) => {
  const bloc = i % 4;
  const order = [...candidates].sort(
    (a, b) =>
      ((candidates.indexOf(a) * 7 + bloc * 3 + ((i * 13) % 5)) % 11) -
      ((candidates.indexOf(b) * 7 + bloc * 3 + ((i * 13) % 5)) % 11),
  );
  const ranking = order.slice(0, 1 + (i % CANDIDATES)).map((c) => [c]);
  return ballot.encryptRanking(g, election, creds[i]!.secret, ranking, rnd).ballot;
});
const encryptMs = performance.now() - t;

// --- the casting, through HTTP (timed apart from the close → result)
const cpu0 = process.cpuUsage();
t = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: CLIENTS }, async () => {
    while (next < ballots.length) {
      const b = ballots[next++]!;
      await http('POST', `${path}/ballots`, { ballot: b });
    }
  }),
);
const castMs = performance.now() - t;
const castCpu = cpuMs(process.cpuUsage(cpu0));

function cpuMs(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1000;
}

// --- from the close
clock.advanceMinutes(121);
interface Row {
  what: string;
  ms: number;
  cpu: number;
  /** the step is the server's */
  server?: true;
}
const rows: Row[] = [];
const floors: Floor[] = [nativeFloor()];
async function step<T>(what: string, f: () => Promise<T> | T, server?: true): Promise<T> {
  const c = process.cpuUsage();
  const t0 = performance.now();
  const out = await f();
  rows.push({
    what,
    ms: performance.now() - t0,
    cpu: cpuMs(process.cpuUsage(c)),
    ...(server ? { server } : {}),
  });
  return out;
}
interface MixList {
  stage: string;
  mixer: number | null;
  ciphertexts: ballot.MixList;
}
const verifies: { ms: number; floorMs: number }[] = [];
// the mixer's signature (docs/MIXNET.md §12): made on the mixer's device, checked by the server in its queue, each
// timed apart (the median of 5, by the clock of this process) against the proof's verification above
const signing: { signMs: number; checkMs: number }[] = [];
const median5 = (f: () => unknown) => {
  const ms: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    f();
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[2]!;
};
const keys = ballot.mixerKeys(commits);
for (let m = 1; m <= 3; m++) {
  const token = tokens[m - 1]!;
  const list = await step(`mixer ${m}: GET …/mix/list`, () =>
    http<MixList>('GET', `${path}/mix/list`, undefined, token),
  );
  if (list.mixer !== m || list.ciphertexts.length !== VOTERS) throw new Error(`mixer ${m}: ${list.stage}`);
  const unsigned = await step(`mixer ${m}: shuffle, re-encrypt and prove (the mixer's device)`, () =>
    ballot.shuffle(g, election, m, list.ciphertexts, rnd),
  );
  const y = round1[m - 1]!.secret.communicationSecret;
  const s = await step(`mixer ${m}: sign the shuffle (the mixer's device)`, () =>
    ballot.signShuffle(g, election, m, list.ciphertexts, unsigned, y, rnd),
  );
  signing.push({
    signMs: median5(() => ballot.signShuffle(g, election, m, list.ciphertexts, unsigned, y, rnd)),
    checkMs: median5(() => ballot.shuffleSignatureProblem(g, election, m, list.ciphertexts, s, keys[m])),
  });
  const before = nativeFloor();
  await step(
    `server: verify shuffle ${m} and log it (POST …/shuffles)`,
    () => http('POST', `${path}/shuffles`, { shuffle: s }, token),
    true,
  );
  const after = nativeFloor();
  floors.push(before, after);
  verifies.push({
    ms: rows.at(-1)!.ms,
    floorMs: pricedFloorMs(VOTERS, ballot.rankedWidth(CANDIDATES), before, after),
  });
}
const final = await step('trustees: GET …/mix/list (the final list)', () =>
  http<MixList>('GET', `${path}/mix/list`, undefined, tokens[0]),
);
if (final.stage !== 'decrypt') throw new Error(`not ready to decrypt: ${final.stage}`);
for (const i of [0, 2]) {
  const body = await step(`trustee ${i + 1}: decrypt the final list with proofs (the trustee's device)`, () =>
    ballot.mixPartialDecrypt(g, election, shareOf(i), final.ciphertexts, rnd),
  );
  await step(
    i === 0
      ? `server: verify trustee ${i + 1}'s decryption proofs and log them`
      : `server: verify trustee ${i + 1}'s proofs, combine, count (Scottish STV, 4 seats) and close`,
    () => http('POST', `${path}/trustee`, { kind: 'mix-decryption', body }, tokens[i]),
    true,
  );
}
const motion = await http<{ vote: { outcome: string; result: { winners: string[]; rounds: unknown[] } } }>(
  'GET',
  `${org}/motions/${motionId}`,
  undefined,
  tokens[0],
);
if (motion.vote.outcome !== 'elected') throw new Error(`outcome ${motion.vote.outcome}`);
const bundle = join(dir, 'bundle');
await step('export the record (issue a checkpoint, write the bundle)', async () => {
  await service.record.issue(orgId, true);
  await writeBundle(db, orgId, bundle, { out: () => {}, err: () => {} });
});
const verified = await step(
  '`councils verify` of the export (replays every ballot, shuffle and decryption)',
  async () => {
    let out = '';
    const vkey = readFileSync(join(bundle, 'vkey'), 'utf8').trim();
    const code = await councils(['verify', bundle, '--key', vkey, '--no-state', '--json'], {
      out: (x) => void (out += x),
      err: (x) => void (out += x),
    });
    return { code, out };
  },
);
if (verified.code !== 0) throw new Error(`councils verify failed: ${verified.out.slice(0, 2000)}`);
const checks = (JSON.parse(verified.out) as { checks: { id: string; status: string }[] }).checks;
for (const id of ['replay_apply', 'replay_rules', 'replay_recount', 'secret_ballot'])
  if (checks.find((c) => c.id === id)?.status !== 'pass') throw new Error(`verify: ${id} did not pass`);

const peak = process.memoryUsage().rss;
await app.close();
await service.ballotChecks?.close();
await db.close();
rmSync(dir, { recursive: true, force: true });

// --- the report
const total = rows.reduce((a, r) => a + r.ms, 0);
const totalCpu = rows.reduce((a, r) => a + r.cpu, 0);
const allVerify = verifies.reduce((a, v) => a + v.ms, 0);
const worst = Math.max(...verifies.map((v) => v.ms / v.floorMs));
const fx = floors.map((f) => f.fixed).sort((a, b) => a - b)[Math.floor(floors.length / 2)]!;
const vx = floors.map((f) => f.variable).sort((a, b) => a - b)[Math.floor(floors.length / 2)]!;
const n = VOTERS.toLocaleString('en');
const out = [
  `## The mix-net through the server`,
  '',
  `Machine: ${os.cpus()[0]?.model} × ${os.cpus().length}, Node ${process.version}, ${started} UTC. Load average ` +
    `${loadBefore} at the start, ${loadAverage()} at the end (other engineers' jobs share the 2 cores). One ` +
    `\`councils\` server in this process (SQLite, HTTP on 127.0.0.1, ${ballotWorkers} ballot-check threads); the ` +
    `mixers' and trustees' devices are library calls in the same process, one after another (each is another ` +
    `machine in reality). ${n} electors, a secret STV election of 4 seats among ${CANDIDATES} candidates (one ` +
    `ciphertext per ballot), 3 mixers (the trustees in order), trustees 1 and 3 of 3 (k = 2) decrypting.` +
    (quick ? ' Quick mode.' : ''),
  '',
  `Set-up, not timed below: ${n} credentials issued by blind signature and listed ${sec(credentialsMs)}; ` +
    `${n} rankings encrypted ${sec(encryptMs)}. **Casting**: ${n} ballots through POST …/secret/ballots by ` +
    `${CLIENTS} parallel HTTP clients in ${sec(castMs)} (${((VOTERS * 1000) / castMs).toFixed(0)} ballots/s, ` +
    `${sec(castCpu)} of CPU; each ballot's checks R.1–R.7 run in the organisation's queue).`,
  '',
  '| Step, from the close | wall | CPU (every thread) |',
  '|---|---:|---:|',
  ...rows.map((r) => `| ${r.what} | ${sec(r.ms)} | ${sec(r.cpu)} |`),
  `| **close → verified STV result** | **${sec(total)}** | **${sec(totalCpu)}** |`,
  '',
  `Result: ${motion.vote.result.winners.join(', ')} elected in ${motion.vote.result.rounds.length} rounds; ` +
    '`councils verify` passed (replay, rules, recount, secret ballots). Peak RSS ' +
    `${(peak / 2 ** 20).toFixed(0)} MiB.`,
  '',
  `The server's shuffle verifications (POST …/shuffles: reading, parsing, the proof, writing the entries) against ` +
    `CheckShuffleProof's own multiplication count priced at native libsodium (sodium-native ed25519 noclamp, ` +
    `measured just before and after each: median ${fx.toFixed(1)} µs fixed-base, ${vx.toFixed(1)} µs variable-base):`,
  '',
  '| Shuffle | server | priced native floor | × floor |',
  '|---:|---:|---:|---:|',
  ...verifies.map(
    (v, i) => `| ${i + 1} | ${sec(v.ms)} | ${sec(v.floorMs)} | ${(v.ms / v.floorMs).toFixed(2)} |`,
  ),
  '',
  `Targets (issue 20, for 10,000 ballots): close → verified result under 10 minutes — ${sec(total)}, ` +
    `**${total < 600_000 ? 'met' : 'not met'}**${VOTERS < 10_000 ? ' at this size' : ''}; all shuffles verified ` +
    `under 3 minutes — ${sec(allVerify)}, **${allVerify < 180_000 ? 'met' : 'not met'}**; verification within 1.5× ` +
    `of the priced floor — worst ${worst.toFixed(2)}×, **${worst <= 1.5 ? 'met' : 'not met'}**.`,
  '',
  `The mixers' signatures (docs/MIXNET.md §12; the median of 5 runs each, beside the server's whole verification ` +
    `of the same shuffle above):`,
  '',
  '| Shuffle | sign (mixer) | check (server) | server verification | check ÷ verification |',
  '|---:|---:|---:|---:|---:|',
  ...signing.map(
    (x, i) =>
      `| ${i + 1} | ${x.signMs.toFixed(1)} ms | ${x.checkMs.toFixed(1)} ms | ${sec(verifies[i]!.ms)} | ` +
      `${((100 * x.checkMs) / verifies[i]!.ms).toFixed(2)} % |`,
  ),
  '',
];
console.log(out.join('\n'));
