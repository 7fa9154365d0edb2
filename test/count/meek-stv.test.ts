// Meek STV (PR Foundation reference rule) against the DavidCary/Meeks-PRF-js vectors: elected, every candidate's
// status with round, votes and final keep factor, and every round's tally, quota, iterations and total surplus.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BallotStore } from '../../src/count/ballot-store.ts';
import { meekStv } from '../../src/count/meek-stv.ts';
import { loadVector, strTuple, ballotsOf, type Json } from './vector-loader.ts';

const repo = join(import.meta.dirname, '../vectors/stv-vectors/Meeks-PRF-js');
const dir = join(repo, 'tests/test_stv');

function run(v: Json) {
  const candidates = strTuple(v.candidates);
  const store = new BallotStore(candidates);
  for (const [count, ranks] of ballotsOf(v, 'ballotsMore'))
    store.addNames(
      ranks.filter((r) => r !== '').map((r) => [r]),
      count,
    );
  const options = (v.options ?? {}) as Json;
  return meekStv(store, {
    seats: v.nbrSeatsToFill as number,
    maxRankingLevels: (v.maxRankingLevels as number | null | undefined) ?? null,
    tieBreak: { kind: 'fixed', order: [...strTuple(v.tieBreaker ?? '')].reverse() },
    alwaysCountVotes: options.always_count_votes !== false,
  });
}

const nine = (x: unknown) => (x === null ? null : (x as number).toFixed(9));

describe('Meek STV, PR Foundation reference rule (DavidCary/Meeks-PRF-js vectors)', () => {
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.json') && !f.includes('-base'))) {
    const v = loadVector(dir, f, repo);
    test(`${f}: ${v.description as string}`, () => {
      const r = run(v);
      assert.deepEqual([...r.winners].sort(), [...strTuple(v.elected)].sort(), 'elected');
      const status = r.details!.status as unknown[][];
      for (const [cand, st, round, votes, keep] of v.statusCodes as [
        string,
        string,
        number,
        number,
        number,
      ][]) {
        const mine = status.find((s) => s[0] === cand)!;
        assert.deepEqual(mine, [cand, st, round, nine(votes), nine(keep)], `status of ${cand}`);
      }
      const tally = r.details!.tally as Record<string, string[]>;
      for (const [label, values] of Object.entries(v.tally as Record<string, number[]>)) {
        const want = values.map((x) => (label === ':Iterations' ? String(x) : nine(x)));
        assert.deepEqual(tally[label], want, `tally of ${label}`);
      }
    });
  }
});
