// What a closed vote keeps in the process's memory (#18 item 1, docs/SCALE.md "Closing a vote"): heap bytes per
// ballot after N votes of M electors have closed, every elector casting, the state driven as the ledger drives it
// (decide, apply, then `settleVotes` once the command's rows would be written). Each measurement runs in a child
// process of its own (a fresh heap). `--before <dir>` (a checkout of the code before, node_modules reachable from
// it) measures that code the same way in the same run, alternating with this one, so both share the machine's
// load; code without `settleVotes` keeps every map, as it did.
//
// `--secret`: one secret (homomorphic) vote of M electors instead, every elector issued a credential and casting,
// decrypted by two of three trustees. Its log is made once with real ballots, proofs and blind signatures (cached
// in the temporary directory) and each child applies it entry by entry, settling after each as a restart's replay
// does (docs/BALLOT-PROTOCOL.md "In Councils": an ended secret vote keeps its result, not its board).
import { createReadStream } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  answer,
  beforeDir,
  child as runChild,
  codes,
  flag,
  has,
  isChild,
  middle as median,
} from './support/codes.ts';
import { secretVoteLog } from './support/secret-vote-log.ts';

const quick = has('--quick');
const secret = has('--secret');

interface Measured {
  /** Heap bytes per ballot: after the N votes closed, less before the first opened, over N × M. */
  perBallot: number;
  /** The same with the votes still open (the last elector has not voted): what an open vote holds. */
  openPerBallot: number;
}

/** The heap in use after two full collections. */
function heapReader(): () => number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
}

/** In a child: found one council of M members, then N motions each voted on by all M; heap before and after. */
async function measure(root: string, votes: number, electors: number): Promise<Measured> {
  const heap = heapReader();
  const core = await import(pathToFileURL(join(root, 'src/core/index.ts')).href);
  const settle: (s: unknown) => void = core.settleVotes ?? (() => {});
  const state = core.emptyState();
  let ids = 0;
  const now = new Date('2026-12-07T08:00:00.000Z').toISOString();
  const run = (command: Record<string, unknown>, actor: string | null) => {
    const d = core.decide(state, command, { actor, now, newId: (kind: string) => `${kind}_${++ids}` });
    if (!d.ok) throw new Error(`${String(command.type)}: ${d.code}`);
    const entries = d.entries.map((ne: object) => {
      const e = { ...ne, seq: state.size };
      core.apply(state, e);
      return e;
    });
    settle(state); // the ledger settles once a batch's rows are written
    return entries;
  };
  run(
    {
      type: 'found_organisation',
      name: 'Memory',
      constitution: { procedure: { seconders: { kind: 'absolute', count: 0 }, debateMinimumMinutes: 0 } },
      councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
      founders: Array.from({ length: electors }, (_, i) => ({
        memberId: `member_${String(i).padStart(7, '0')}`,
        name: `Member ${i}`,
        councilId: 'all',
      })),
    },
    null,
  );
  const member = (i: number) => `member_${String(i).padStart(7, '0')}`;
  const before = heap();
  const voteIds: string[] = [];
  for (let v = 0; v < votes; v++) {
    const [moved] = run({ type: 'move_motion', councilId: 'all', title: `Motion ${v}`, text: '' }, member(0));
    const motionId = moved.payload.motionId as string;
    const [opened] = run({ type: 'open_vote', motionId }, member(0));
    voteIds.push(opened.payload.voteId);
    // Everyone but the last: the vote is still open.
    for (let i = 0; i < electors - 1; i++)
      run(
        { type: 'cast_ballot', voteId: opened.payload.voteId, ballot: { choice: i % 3 ? 'a1' : 'against' } },
        member(i),
      );
  }
  const open = heap();
  for (const voteId of voteIds)
    run({ type: 'cast_ballot', voteId, ballot: { choice: 'a1' } }, member(electors - 1));
  for (const voteId of voteIds)
    if (state.votes.get(voteId)?.closedAt === null) throw new Error(`vote ${voteId} did not close`);
  const closed = heap();
  const ballots = votes * electors;
  return {
    perBallot: (closed - before) / ballots,
    openPerBallot: (open - before) / (votes * (electors - 1)),
  };
}

/**
 * In a child: the secret vote's log applied entry by entry, settling after each (`settleVotes` where the code has
 * it), as a restart replays it; heap before its motion, before the first decryption (the vote open, its board
 * whole) and at the end (closed).
 */
async function measureSecret(root: string, file: string): Promise<Measured & { ballots: number }> {
  const heap = heapReader();
  const core = await import(pathToFileURL(join(root, 'src/core/index.ts')).href);
  const settle: (s: unknown) => void = core.settleVotes ?? (() => {});
  const entries = () => createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  // a first pass into a state dropped after: the group's tables and compiled code the ballot checks make once
  // per process (about 1.8 MB) are then in the heap before the measured pass begins
  let warm = core.emptyState();
  for await (const line of entries()) {
    if (!line) continue;
    core.apply(warm, JSON.parse(line));
    settle(warm);
  }
  warm = null;
  const state = core.emptyState();
  let before = 0;
  let open = 0;
  let ballots = 0;
  for await (const line of entries()) {
    if (!line) continue;
    const e = JSON.parse(line);
    if (e.act === 'motion_moved') before = heap();
    if (e.act === 'board_posted' && e.payload.kind === 'ballot') ballots++;
    if (e.act === 'board_posted' && e.payload.kind === 'partial-decryption' && open === 0) open = heap();
    core.apply(state, e);
    settle(state);
  }
  const closed = heap();
  if ([...state.votes.values()].some((v: { closedAt: string | null }) => v.closedAt === null))
    throw new Error('the secret vote did not close');
  return { perBallot: (closed - before) / ballots, openPerBallot: (open - before) / ballots, ballots };
}

if (isChild) {
  const file = flag('--file');
  await answer(() =>
    file
      ? measureSecret(flag('--root')!, file)
      : measure(flag('--root')!, Number(flag('--votes')), Number(flag('--electors'))),
  );
}

const shapes: [number, number][] = secret
  ? quick
    ? [[1, 200]]
    : [
        [1, 1_000],
        [1, 10_000],
      ]
  : quick
    ? [
        [1, 5_000],
        [20, 250],
      ]
    : [
        [1, 100_000],
        [10, 10_000],
        [100, 1_000],
      ];
const rounds = Number(flag('--rounds') ?? (quick ? 1 : 3));
const load = os.loadavg()[0]!.toFixed(1);

const child = (root: string, votes: number, electors: number, file?: string): Measured =>
  runChild(
    import.meta.filename,
    root,
    ['--votes', String(votes), '--electors', String(electors), ...(file ? ['--file', file] : [])],
    { node: ['--max-old-space-size=4096'] },
  );

const results: { votes: number; electors: number; label: string; closed: number; open: number }[] = [];
for (const [votes, electors] of shapes) {
  const file = secret ? (await secretVoteLog(electors)).file : undefined;
  const per = new Map<string, Measured[]>(codes.map((c) => [c.label, []]));
  // alternating the codes round by round, so both meet the same load
  for (let r = 0; r < rounds; r++)
    for (const c of codes) per.get(c.label)!.push(child(c.root, votes, electors, file));
  for (const c of codes) {
    const ms = per.get(c.label)!;
    results.push({
      votes,
      electors,
      label: c.label,
      closed: median(ms.map((m) => m.perBallot)),
      open: median(ms.map((m) => m.openPerBallot)),
    });
  }
}

const row = (votes: number, electors: number) => {
  const of = (label: string) =>
    results.find((x) => x.votes === votes && x.electors === electors && x.label === label);
  const after = of('after')!;
  const before = of('before');
  const b = (x: number) => x.toFixed(0);
  return `| ${votes} × ${electors.toLocaleString('en')} | ${b(after.open)} | ${before ? b(before.closed) : '—'} | ${b(after.closed)} | ${before ? (after.closed / before.closed).toFixed(2) + '×' : '—'} |`;
};

const machine = `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${os.cpus()[0]?.model} × ${os.cpus().length} · Node ${process.version} ·
load average ${load} at the start`;

if (secret)
  console.log(`## Ended secret votes: the result kept, not the board

${machine} · \`bench/closed-votes.bench.ts --secret\`${beforeDir ? ` · before: \`${beforeDir}\`` : ''}

Heap bytes per ballot that the organisation's state keeps for one secret (homomorphic, yes/no) vote of M electors,
every elector issued a credential and casting once, decrypted by two of three trustees. The log is made once
through the core with real blind signatures, ballots and proofs; each child applies it entry by entry with
\`settleVotes\` after each where the code has it, as a restart replays it (the live ledger settles the same way
once the closing batch is written). Each cell is the median of ${rounds} child processes of their own (a fresh heap,
two full collections before each reading), before and after alternating. "Open" is the heap before the first
decryption (voting over, the board whole); "closed" after the close. Measured from before the motion was moved,
in a second pass: the first, into a state then dropped, makes the group's tables and compiled code (≈ 1.8 MB, once
per process) before the measured one.

| 1 vote × M electors | open vote, after | closed, before | closed, after | after / before |
|---|---|---|---|---|
${shapes.map(([v, e]) => row(v, e)).join('\n')}
`);
else
  console.log(`## Closed votes: counts kept, not ballots

${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${os.cpus()[0]?.model} × ${os.cpus().length} · Node ${process.version} ·
load average ${load} at the start · \`bench/closed-votes.bench.ts\`${beforeDir ? ` · before: \`${beforeDir}\`` : ''}

Heap bytes per ballot that the organisation's state keeps: N votes of M electors, every elector casting (two in
three for the first alternative), the state driven through \`decide\` and \`apply\` as the ledger drives it, with
\`settleVotes\` after each command where the code has it. Each cell is the median of ${rounds} child processes of
their own (a fresh heap, two full collections before each reading), before and after alternating. "Open" is the
heap of the same votes with every elector but the last having voted. Ballots and entries themselves are not kept
(the log is in the database); what a closed vote keeps besides its electorate is its count report and, in the
attention index, one \`vote_result\` item per voter.

| N votes × M electors | open vote, after | closed, before | closed, after | after / before |
|---|---|---|---|---|
${shapes.map(([v, e]) => row(v, e)).join('\n')}
`);
