// Property: whatever a corrupt board holds (fields deleted, nulled or swapped for other types), the verifier returns
// a failing report naming a check; it never throws and never passes a changed board (except that one broken
// partial decryption of three is shown and ignored when k valid ones remain).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sodiumGroup, verifyBoard, type BoardEntry } from '../../src/ballot/index.ts';
import { buildElection, runElection } from './fixture.ts';

const g = await sodiumGroup();
const f = buildElection(g, { n: 3, k: 2, voters: 2, seed: 'fuzz' });
const run = runElection(g, f, {
  votes: [
    { voter: 0, choices: [[1, 0, 0]] },
    { voter: 1, choices: [[0, 1, 0]], challengeFirst: true },
  ],
  decrypting: [1, 2, 3],
});

/** Every path to a leaf or object inside an entry's body. */
function paths(x: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (x === null || typeof x !== 'object') return [prefix];
  const keys = Array.isArray(x) ? x.map((_, i) => i) : Object.keys(x);
  return [prefix, ...keys.flatMap((k) => paths((x as Record<string | number, unknown>)[k], [...prefix, k]))];
}

const replacements = [null, undefined, 0, -1, 1.5, '', 'zz', '00'.repeat(32), [], {}, true];

test('a corrupted board never throws and never verifies', () => {
  assert.equal(verifyBoard(g, run.board).ok, true);
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: run.board.length - 1 }),
      fc.nat(),
      fc.integer({ min: 0, max: replacements.length - 1 }),
      (entryIndex, pathPick, rep) => {
        const board = structuredClone(run.board) as BoardEntry[];
        const all = paths(board[entryIndex]!.body).filter((p) => p.length > 0);
        const path = all[pathPick % all.length]!;
        let obj = board[entryIndex]!.body as unknown as Record<string | number, unknown>;
        for (const k of path.slice(0, -1)) obj = obj[k] as Record<string | number, unknown>;
        const last = path.at(-1)!;
        if (JSON.stringify(obj[last]) === JSON.stringify(replacements[rep])) return;
        obj[last] = replacements[rep];
        const report = verifyBoard(g, board);
        const what = `${board[entryIndex]!.kind} ${path.join('.')} := ${JSON.stringify(replacements[rep])}`;
        if (report.ok && board[entryIndex]!.kind === 'partial-decryption') {
          // one of the 3 partial decryptions broken: shown and ignored, since k = 2 valid ones remain
          assert.match(report.checks[6]!.notes.join('\n'), /ignored/, what);
        } else assert.equal(report.ok, false, what);
      },
    ),
    { numRuns: 150 },
  );
});
