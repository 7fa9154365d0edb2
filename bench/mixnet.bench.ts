// Mix-net benchmark (issue 20, docs/MIXNET.md): a secret STV election of N ranked ballots × 10 candidates, 3 mixers,
// 2-of-3 trustees, from the close to a verified result, and each shuffle-proof verification against its own
// multiplication count priced at the native libsodium floor measured in the same run.
// Usage: npx tsx bench/mixnet.bench.ts [--quick] [--ballots N[,N…]]   (prints a Markdown section)
import os from 'node:os';
import {
  sodiumGroup,
  verifyRankedBallots,
  combineMix,
  decodeRankings,
  encryptRanking,
  mixInput,
  mixPartialDecrypt,
  shuffle,
  verifyMixResult,
  verifyShuffle,
  type Group,
  type MixList,
  type RankedBallotBody,
  type ShuffleBody,
} from '../src/ballot/index.ts';
import { countRankings } from '../src/core/secret/ranked-count.ts';
import { buildElection, seededRandom } from '../test/ballot/fixture.ts';
import { rankedManifest } from '../test/ballot/mixnet-fixture.ts';
import { median, nativeFloor, verifyCount } from './mixnet-floor.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const sizeArg = args.indexOf('--ballots');
const SIZES = sizeArg >= 0 ? args[sizeArg + 1]!.split(',').map(Number) : quick ? [200] : [1_000, 10_000];
const CANDIDATES = 10;
const MIXERS = 3;
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function election(g: Group, n: number, lines: string[]): Promise<void> {
  const candidates = Array.from({ length: CANDIDATES }, (_, i) => `c${i + 1}`);
  let t = performance.now();
  const f = buildElection(g, {
    n: 3,
    k: 2,
    voters: n,
    manifest: rankedManifest(CANDIDATES, `bench-${n}`),
    seed: `bench-mixnet-${n}`,
  });
  const rnd = seededRandom(`bench-mixnet-${n}/votes`);
  const pick = (m: number) => rnd(4).reduce((a, b) => a * 256 + b, 0) % m;
  const cast: { ballot: RankedBallotBody; at: number }[] = f.voters.map((v) => {
    const order = [...candidates].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)) + pick(9) - 4);
    const ranking = order.slice(0, 1 + pick(CANDIDATES)).map((c) => [c]);
    return { ballot: encryptRanking(g, f.election, v.secret, ranking, rnd).ballot, at: 1_500_000 };
  });
  const generation = performance.now() - t;

  const rows: [string, number][] = [];
  const floors: { fixed: number; variable: number }[] = [nativeFloor()];
  const close = performance.now();
  let floorMs = 0; // the native floor measured between the steps, taken out of the total
  // checks R.1–R.7 of every ballot (the server ran them at each cast; a verifier runs them again), batched
  t = performance.now();
  const refused = verifyRankedBallots(g, f.election, cast).filter((v) => !v.ok);
  if (refused.length) throw new Error(`ballot refused: ${JSON.stringify(refused[0])}`);
  const ballotsMs = performance.now() - t;
  rows.push(['verify every cast ballot (R.1–R.7, 256 to a multi-scalar multiplication)', ballotsMs]);
  let list: MixList = mixInput(f.election, cast);
  const shuffles: ShuffleBody[] = [];
  const verifyMs: number[] = [];
  const ratios: number[] = [];
  const count = verifyCount(n, 1);
  for (let m = 1; m <= MIXERS; m++) {
    t = performance.now();
    const s = shuffle(g, f.election, m, list, seededRandom(`bench mixer ${m}`));
    rows.push([`mixer ${m}: shuffle, re-encrypt and prove`, performance.now() - t]);
    let f0 = performance.now();
    const before = nativeFloor();
    floorMs += performance.now() - f0;
    t = performance.now();
    const v = verifyShuffle(g, f.election, list, s);
    const took = performance.now() - t;
    f0 = performance.now();
    const after = nativeFloor();
    floorMs += performance.now() - f0;
    if (!v.ok) throw new Error(`shuffle ${m} refused: ${v.reason}`);
    floors.push(before, after);
    const priced =
      (count.fixed * (before.fixed + after.fixed)) / 2 +
      (count.variable * (before.variable + after.variable)) / 2;
    verifyMs.push(took);
    ratios.push((took * 1000) / priced);
    rows.push([`verify shuffle ${m}`, took]);
    shuffles.push(s);
    list = s.ciphertexts;
  }
  t = performance.now();
  const partials = [f.trusteeShares[0]!, f.trusteeShares[2]!].map((sh) =>
    mixPartialDecrypt(g, f.election, sh, list, seededRandom(`bench trustee ${sh.trustee}`)),
  );
  rows.push(['2 trustees: partial decryptions with proofs (one after the other)', performance.now() - t]);
  t = performance.now();
  const combined = combineMix(g, f.election, list, partials);
  if (!combined.ok || !combined.result) throw new Error(`no result: ${combined.reason}`);
  rows.push(['verify the 2 trustees’ proofs and combine (Lagrange)', performance.now() - t]);
  t = performance.now();
  const again = verifyMixResult(g, f.election, list, partials, combined.result);
  if (again) throw new Error(again);
  const verifierAgain = performance.now() - t;
  t = performance.now();
  const rankings = decodeRankings(g, f.election, combined.result);
  const counted = countRankings({ method: 'scottish-stv', options: candidates, seats: 4 }, rankings);
  rows.push([
    'decode the rankings and count them (Scottish STV, 4 seats, every round)',
    performance.now() - t,
  ]);
  const total = performance.now() - close - floorMs;

  const load = os.loadavg().map((x) => x.toFixed(1));
  const allVerify = verifyMs.reduce((a, b) => a + b, 0);
  const fx = median(floors.map((x) => x.fixed));
  const vx = median(floors.map((x) => x.variable));
  lines.push(
    `### ${n.toLocaleString('en')} ballots × ${CANDIDATES} candidates (one ciphertext per ballot)`,
    '',
  );
  lines.push(`Load average after the run: ${load.join(' / ')}.`, '');
  lines.push('| Step (from the close) | Time |', '|---|---:|');
  for (const [what, ms] of rows) lines.push(`| ${what} | ${sec(ms)} |`);
  lines.push(`| **close → verified STV result** | **${sec(total - verifierAgain)}** |`);
  lines.push('');
  lines.push(
    `Every proof is checked once in the total, as a verifier that also combines would: the shuffles by their ` +
      `verification, the decryptions by the combination. A second verifier checking the decryptions and comparing ` +
      `the published result (verifyMixResult) took ${sec(verifierAgain)} more, not in the total.`,
    '',
  );
  lines.push(
    `Not in the total: making ${n.toLocaleString('en')} credentials and encrypting the ballots ${sec(generation)} ` +
      `(the ballot check above is ${((ballotsMs * 1000) / n).toFixed(0)} µs a ballot).`,
    '',
  );
  lines.push(
    `Result: ${counted.report.winners.join(', ')} elected in ${counted.report.rounds.length} rounds; ` +
      `${counted.valid} valid ballots, ${counted.invalid.length} invalid.`,
    '',
  );
  lines.push(
    `Shuffle-proof verification against its own multiplication count (CheckShuffleProof as Haenni et al. write it: ` +
      `${count.fixed.toLocaleString('en')} fixed-base and ${count.variable.toLocaleString('en')} variable-base ` +
      `multiplications for N = ${n.toLocaleString('en')}, w = 1) priced at native libsodium ` +
      `(sodium-native ed25519 noclamp, measured before and after each verification: median ${fx.toFixed(1)} µs ` +
      `fixed-base, ${vx.toFixed(1)} µs variable-base):`,
    '',
  );
  lines.push('| Shuffle | verify | priced native floor | × floor |', '|---:|---:|---:|---:|');
  verifyMs.forEach((ms, i) =>
    lines.push(`| ${i + 1} | ${sec(ms)} | ${sec(ms / ratios[i]!)} | ${ratios[i]!.toFixed(2)} |`),
  );
  const worst = Math.max(...ratios);
  lines.push('');
  lines.push(
    `Targets (for 10,000 ballots): close → verified result under 10 minutes — ${sec(total - verifierAgain)}, ` +
      `**${total - verifierAgain < 600_000 ? 'met' : 'not met'}**${n < 10_000 ? ' at this size' : ''}; all shuffles verified under 3 ` +
      `minutes — ${sec(allVerify)}, **${allVerify < 180_000 ? 'met' : 'not met'}**; verification within 1.5× of the ` +
      `priced floor — worst ${worst.toFixed(2)}×, **${worst <= 1.5 ? 'met' : 'not met'}**.`,
    '',
  );
}

async function main(): Promise<void> {
  const g = await sodiumGroup();
  const lines: string[] = ['## Secret ranked ballots: the mix-net (`src/ballot/mixnet`)', ''];
  lines.push(
    `Machine: ${os.cpus()[0]?.model} × ${os.cpus().length}, Node ${process.version}, ` +
      `${new Date().toISOString().slice(0, 16)} UTC. Load average at start: ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' / ')} (other engineers' jobs share the 2 cores). Backend: libsodium WebAssembly with ` +
      'the MSM of wasm-msm.ts; everything on one thread (the library is single-threaded; each mixer and trustee is ' +
      `another machine in reality). 3 mixers, trustees 1 and 3 of 3 (k = 2) decrypting.${quick ? ' Quick mode.' : ''}`,
    '',
  );
  for (const n of SIZES) await election(g, n, lines);
  console.log(lines.join('\n'));
}

await main();
