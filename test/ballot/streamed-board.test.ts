// A board read as a stream (StreamedBoard: entries added one by one, ballots checked in chunks, the counted ones
// summed on a second read) gives exactly verifyBoard's report: on the honest board, on boards changed in the ways
// the verifier's own tests change them (late, repeated, forged, revoted, out of order, malformed ballots; entries
// out of place; a second list; no result), and on randomly corrupted boards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  addSums,
  credentialParts,
  sodiumGroup,
  StreamedBoard,
  sumBallots,
  verifyBallotChunk,
  verifyBoard,
  type BallotBody,
  type BallotFailure,
  type BallotItem,
  type BoardEntry,
  type CredentialEntry,
  type CredentialsBody,
  type Report,
} from '../../src/ballot/index.ts';
import { signedBy, testIssuer } from '../support/issuer.ts';
import { buildElection, manifest3, runElection, type FixtureOptions } from './fixture.ts';

const g = await sodiumGroup();
const f = buildElection(g, { n: 3, k: 2, voters: 4, seed: 'streamed' });
const choice = (o: number) => [[0, 1, 2].map((x) => (x === o ? 1 : 0))];
const run = runElection(g, f, {
  votes: [
    { voter: 0, choices: choice(0) },
    { voter: 1, choices: choice(1), challengeFirst: true },
    { voter: 2, choices: choice(2) },
    { voter: 3, choices: choice(0) },
    { voter: 0, choices: choice(1) }, // a revote: the later ballot counts
  ],
  decrypting: [1, 2, 3],
});

const credentialOf = (it: BallotItem): unknown =>
  (it.kind === 'ballot' ? it.body : it.body?.ballot)?.credential as unknown;

/** The board read twice as a stream, ballots checked `chunk` at a time, as the pool does on its workers. */
function streamed(board: readonly BoardEntry[], chunk: number): Report {
  const sb = new StreamedBoard(g);
  const failures: BallotFailure[] = [];
  let items: BallotItem[] = [];
  const flush = () => {
    const election = sb.electionFor(items.map(credentialOf));
    if (election && items.length) failures.push(...verifyBallotChunk(g, election, items));
    items = [];
  };
  for (const e of board) {
    const item = sb.add(e);
    if (item) items.push(item);
    if (items.length === chunk) flush();
  }
  flush();
  const election = sb.election;
  if (!election) return sb.finish(failures, undefined);
  const counted = sb.counted(failures);
  let sums = sumBallots(g, election, []);
  board.forEach((e, i) => {
    sb.recall(i, e);
    const body = e.body as BallotBody;
    if (counted.has(i)) sums = addSums(g, sums, sumBallots(g, sb.electionFor([body.credential])!, [body]));
  });
  return sb.finish(failures, sums);
}

const same = (board: readonly BoardEntry[], what: string) => {
  const expected = verifyBoard(g, board);
  for (const chunk of [1, 4])
    assert.deepEqual(streamed(board, chunk), expected, `${what}, chunks of ${chunk}`);
  return expected;
};

test('the honest board: the same passing report and tallies', () => {
  const r = same(run.board, 'honest');
  assert.equal(r.ok, true);
  assert.deepEqual(r.tallies, [[1, 2, 1]]);
});

test('boards changed as the verifier’s tests change them: the same report, failures in the same places', () => {
  const ballots = run.board.flatMap((e, i) => (e.kind === 'ballot' ? [i] : []));
  const first = run.board.findIndex((e) => e.kind === 'credentials');
  const tail = run.board.findIndex((e) => e.kind === 'partial-decryption');
  const at = (i: number, e: BoardEntry) => run.board.map((x, j) => (j === i ? e : x));
  const b0 = run.board[ballots[0]!]! as BoardEntry & { kind: 'ballot' };
  const flip = (h: string) => (h[0] === '0' ? '1' : '0') + h.slice(1);
  const cases: [string, BoardEntry[]][] = [
    ['a ballot after closing', at(ballots.at(-1)!, { ...b0, at: manifest3.closesAt + 1 })],
    ['a ballot twice', [...run.board.slice(0, tail), { ...b0, at: b0.at + 100 }, ...run.board.slice(tail)]],
    [
      'a forged proof response',
      at(ballots[1]!, {
        ...b0,
        body: {
          ...b0.body,
          contests: b0.body.contests.map((c) => ({
            ...c,
            selections: c.selections.map((s, o) =>
              o === 0 ? { ...s, proof: { ...s.proof, v: s.proof.v.map((v, j) => (j ? v : flip(v))) } } : s,
            ),
          })),
        },
      }),
    ],
    [
      'a revoted ballot forged (the earlier one counts)',
      at(ballots.at(-1)!, {
        ...run.board[ballots.at(-1)!]!,
        body: { ...(run.board[ballots.at(-1)!]!.body as BallotBody), code: flip(b0.body.code) },
      } as BoardEntry),
    ],
    [
      'a second list after the ballots',
      [
        ...run.board.slice(0, tail),
        { kind: 'credentials', at: manifest3.opensAt + 1000, body: { credentials: [] } },
        ...run.board.slice(tail),
      ],
    ],
    [
      'a second list beside the first',
      [
        ...run.board.slice(0, first + 1),
        { kind: 'credentials', at: run.board[first]!.at, body: { credentials: [] } },
        ...run.board.slice(first + 1),
      ],
    ],
    ['time going backwards', at(ballots[2]!, { ...run.board[ballots[2]!]!, at: 0 } as BoardEntry)],
    ['a malformed entry', at(ballots[1]!, { kind: 'ballot', at: b0.at } as unknown as BoardEntry)],
    ['no result yet', run.board.slice(0, -1)],
    ['no ballots', [...run.board.slice(0, first + 1)]],
    ['no setup first', run.board.slice(1)],
    [
      'key generation and a list part after a ballot',
      [
        ...run.board.slice(0, ballots[0]! + 1),
        run.board.find((e) => e.kind === 'dkg-commit')!,
        run.board[first]!,
        ...run.board.slice(ballots[0]! + 1),
      ],
    ],
  ];
  const passing = ['no result yet', 'no ballots'];
  for (const [what, board] of cases) assert.equal(same(board, what).ok, passing.includes(what), what);
});

test('randomly corrupted boards: the same report as verifyBoard', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: run.board.length - 1 }),
      fc.nat(),
      fc.constantFrom(null, 0, '', '00'.repeat(32), [], {}),
      (entryIndex, pick, value) => {
        const board = structuredClone(run.board) as BoardEntry[];
        const entry = board[entryIndex]! as unknown as Record<string, unknown>;
        const keys = ['at', 'kind', ...Object.keys(entry.body as object).map((k) => `body.${k}`)];
        const key = keys[pick % keys.length]!;
        if (key.startsWith('body.')) (entry.body as Record<string, unknown>)[key.slice(5)] = value;
        else entry[key] = value;
        same(board, `entry ${entryIndex} ${key} := ${JSON.stringify(value)}`);
      },
    ),
    { numRuns: 30 },
  );
});

/** The fixture's election run with the same votes, its list made by `sign` (weights, signatures). */
const runWith = (sign: Pick<FixtureOptions, 'issuers' | 'sign'>, seed: string) =>
  runElection(g, buildElection(g, { n: 3, k: 2, voters: 4, seed, ...sign }), {
    votes: [
      { voter: 0, choices: choice(0) },
      { voter: 1, choices: choice(1) },
      { voter: 2, choices: choice(2) },
      { voter: 1, choices: choice(0) },
    ],
    decrypting: [1, 2],
  }).board;

/** The board with its credential list replaced by these entries' bodies. */
const withList = (board: readonly BoardEntry[], bodies: CredentialsBody[]): BoardEntry[] => {
  const first = board.findIndex((e) => e.kind === 'credentials');
  return [
    ...board.slice(0, first),
    ...bodies.map((body): BoardEntry => ({ kind: 'credentials', at: board[first]!.at, body })),
    ...board.slice(first + 1),
  ];
};
const listOf = (board: readonly BoardEntry[]) =>
  (board.find((e) => e.kind === 'credentials')!.body as CredentialsBody).credentials;

test('the credential list kept as bytes: in parts, weighted, signed, forged — the same report as verifyBoard', () => {
  const weighted = runWith(
    { sign: (_, X) => ({ credential: X, weight: 1 + (X.charCodeAt(5) % 3) }) },
    'weights',
  );
  const signed = runWith(signedBy(testIssuer()), 'signed');
  const list = listOf(run.board);
  const parts = credentialParts(list, 1);
  const identity = '00'.repeat(32);
  const notAPoint = 'ff'.repeat(32);
  const at = (xs: readonly CredentialEntry[], i: number, c: Partial<CredentialEntry>) =>
    xs.map((x, j) => (j === i ? { ...x, ...c } : x));
  const passing: [string, BoardEntry[]][] = [
    ['one credential a part', withList(run.board, parts)],
    ['two parts', withList(run.board, credentialParts(list, 200))],
    ['the list unsorted', withList(run.board, [{ credentials: [...list].reverse() }])],
    ['weights 1–3', weighted],
    ['weights in parts', withList(weighted, credentialParts(listOf(weighted), 1))],
    ['signed credentials', signed],
    ['signed credentials in parts', withList(signed, credentialParts(listOf(signed), 1))],
  ];
  for (const [what, board] of passing) assert.equal(same(board, what).ok, true, what);
  const s = listOf(signed);
  const failing: [string, BoardEntry[]][] = [
    ['a part missing', withList(run.board, [parts[0]!, parts[1]!, parts[3]!])],
    ['two parts swapped', withList(run.board, [parts[1]!, parts[0]!, parts[2]!, parts[3]!])],
    ['a part count forged', withList(run.board, [{ ...parts[0]!, parts: 5 }, ...parts.slice(1)])],
    ['an empty part', withList(run.board, [...parts.slice(0, 3), { ...parts[3]!, credentials: [] }])],
    ['a part without its number', withList(run.board, [parts[0]!, { credentials: parts[1]!.credentials }])],
    ['an empty list', withList(run.board, [{ credentials: [] }])],
    ['a credential twice, across parts', withList(run.board, credentialParts([...list, list[1]!], 1))],
    [
      'a credential twice, then a bad weight',
      withList(run.board, [{ credentials: [...list, list[0]!, { ...list[2]!, weight: 0 }] }]),
    ],
    [
      'a bad weight, then a credential twice',
      withList(run.board, [{ credentials: at([...list, list[0]!], 2, { weight: 0 }) }]),
    ],
    [
      'a credential twice, its second a bad weight',
      withList(run.board, [{ credentials: [...list, { ...list[0]!, weight: 0 }] }]),
    ],
    ['the identity', withList(run.board, credentialParts(at(list, 2, { credential: identity }), 1))],
    ['not a point', withList(run.board, [{ credentials: at(list, 1, { credential: notAPoint }) }])],
    ['a weight changed', withList(weighted, [{ credentials: at(listOf(weighted), 0, { weight: 9 }) }])],
    [
      'a signature forged, in part 3',
      withList(signed, credentialParts(at(s, 2, { signature: s[1]!.signature! }), 1)),
    ],
    ['an unlisted voter', withList(run.board, [{ credentials: list.slice(1) }])],
  ];
  for (const [what, board] of failing) assert.equal(same(board, what).ok, false, what);
  // weights whose sum is past 2^53: check 4 as verifyBoard has it (the streamed election took the booth's guards)
  same(
    withList(run.board, [{ credentials: list.map((c) => ({ ...c, weight: 2 ** 51 })) }]),
    'weights past 2^53',
  );
});
