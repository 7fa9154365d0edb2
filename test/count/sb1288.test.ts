// California SB 1288 IRV and STV against the DavidCary/CA-SB1288 reference vectors: elected candidates, every
// candidate's status (round and votes), and the round-by-round tally of every candidate and exhausted category.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BallotStore } from '../../src/count/ballot-store.ts';
import { countSb1288 } from '../../src/count/sb1288.ts';
import { loadVector, strTuple, ballotsOf, type Json } from './vector-loader.ts';

const base = join(import.meta.dirname, '../vectors/stv-vectors/CA-SB1288/tests');

function run(v: Json) {
  const candidates = strTuple(v.candidates);
  const max = v.max_ranking_levels as number | null;
  const store = new BallotStore(candidates);
  for (const [count, ranks] of ballotsOf(v, 'ballots_more')) {
    if (max !== null && ranks.length > max) throw new RangeError('ballot rankings too long');
    store.addNames(
      ranks.filter((r) => r !== '').map((r) => [r]),
      count,
    );
  }
  const options = (v.options ?? {}) as Json;
  // CA lists the tie-breaker with the candidate to defeat first; TieBreaker wants the most favoured first.
  const order = [...strTuple(v.tie_breaker)].reverse();
  return countSb1288(store, {
    seats: v.nbr_seats_to_fill as number,
    maxRankingLevels: max,
    tieBreak: { kind: 'fixed', order },
    stopAtMajority: options.stop_at_majority === true,
    ...(options.alternative_defeats !== undefined
      ? {
          alternativeDefeats:
            typeof options.alternative_defeats === 'string' && options.alternative_defeats.length === 1
              ? options.alternative_defeats
              : strTuple(options.alternative_defeats),
        }
      : {}),
  });
}

const show = (x: unknown, irv: boolean) => (irv ? String(x) : (x as number).toFixed(5));

for (const kind of ['test_irv', 'test_stv']) {
  describe(`CA SB 1288 ${kind === 'test_irv' ? 'IRV' : 'STV'} (DavidCary/CA-SB1288 vectors)`, () => {
    for (const f of readdirSync(join(base, kind)).filter(
      (f) => f.endsWith('.json') && !f.includes('-base'),
    )) {
      const v = loadVector(join(base, kind), f, base);
      test(`${f}: ${v.description as string}`, () => {
        if (v.exception) {
          assert.throws(() => run(v), RangeError);
          return;
        }
        const r = run(v);
        const irv = v.nbr_seats_to_fill === 1;
        assert.deepEqual([...r.winners].sort(), [...strTuple(v.elected)].sort(), 'elected');
        const status = r.details!.status as [string, string, number, string][];
        for (const [cand, st, round, votes] of v.status_codes as [string, string, number, number][]) {
          const mine = status.find((s) => s[0] === cand)!;
          assert.deepEqual(mine, [cand, st, round, show(votes, irv)], `status of ${cand}`);
        }
        const tally = r.details!.tally as Record<string, string[]>;
        for (const [label, values] of Object.entries(v.tally as Record<string, number[]>)) {
          assert.deepEqual(
            tally[label],
            values.map((x) => show(x, irv)),
            `tally of ${label}`,
          );
        }
      });
    }
  });
}
