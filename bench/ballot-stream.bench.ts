// A secret-ballot board verified as it is read (BallotVerifierPool.verifyStream, issue #19 item 3): the cached
// board file of bench/ballot-election.bench.ts (JSON lines; `--ballots N --generate-only` writes it once) read
// twice line by line, the ballots checked on every core. Prints ballots/s, the peak RSS of the process (main thread
// and workers) and the result.
// Usage: npx tsx bench/ballot-stream.bench.ts BOARD.jsonl [--workers N]
import { createReadStream } from 'node:fs';
import os from 'node:os';
import { createInterface } from 'node:readline';
import { BallotVerifierPool } from '../src/cli/ballot-workers/verifier-pool.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: npx tsx bench/ballot-stream.bench.ts BOARD.jsonl [--workers N]');
const w = process.argv.indexOf('--workers');
const workers = w > 0 ? Number(process.argv[w + 1]) : os.availableParallelism();

/** The board's lines, unparsed: verifyStream parses what it needs, and its workers parse the ballots. */
async function* read(): AsyncIterable<string> {
  const lines = createInterface({ input: createReadStream(file!), crlfDelay: Infinity });
  for await (const line of lines) if (line) yield line;
}

const load = os
  .loadavg()
  .map((x) => x.toFixed(1))
  .join(' / ');
const pool = new BallotVerifierPool({ workers });
const t = performance.now();
const cpu = process.cpuUsage();
try {
  const { report, ballots, reads } = await pool.verifyStream(read);
  const s = (performance.now() - t) / 1000;
  const c = process.cpuUsage(cpu);
  console.log(
    JSON.stringify({
      file: file.split('/').at(-1),
      date: new Date().toISOString().slice(0, 16),
      machine: `${os.cpus()[0]?.model} × ${os.cpus().length}`,
      node: process.version,
      load: `${load} → ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' / ')}`,
      workers,
      ballots,
      reads,
      ok: report.ok,
      tallies: report.tallies,
      seconds: Number(s.toFixed(1)),
      ballotsPerSecond: Number((ballots / s).toFixed(1)),
      cpuMsPerBallot: Number(((c.user + c.system) / 1000 / ballots).toFixed(3)),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
} finally {
  await pool.close();
}
