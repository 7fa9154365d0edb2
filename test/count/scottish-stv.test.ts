// Scottish STV (SSI 2007/42 Sch. 1) against the official May 2017 counts in test/vectors/stv-scotland: every
// candidate's total at every stage, to 5 decimals, the quota, and who was elected and excluded at which stage.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readBlt } from '../../src/count/formats/blt.ts';
import { scottishStv } from '../../src/count/scottish-stv.ts';
import { parseUnits, formatUnits } from '../../src/count/fixed-point.ts';

const root = join(import.meta.dirname, '../vectors/stv-scotland');
const wards = readdirSync(root).filter((d) => !d.endsWith('.json'));

interface Row {
  Count_Number: string | number;
  Candidate_Id: string | number;
  id: string | number;
  Total_Votes: string | number;
  Status: string;
  Occurred_On_Count: string | number;
}

const five = (v: string | number) => formatUnits(parseUnits(String(v), 5), 5);

describe('Scottish STV, SSI 2007/42 (stv-scotland vectors)', () => {
  for (const ward of wards) {
    test(`${ward}: every stage of the official count to 5 decimals`, () => {
      const dir = join(root, ward);
      const file = readBlt(readFileSync(join(dir, `${ward}.blt`), 'utf8'));
      const official = JSON.parse(readFileSync(join(dir, 'ResultsJson.json'), 'utf8')).Constituency;
      const rows = official.countGroup as Row[];
      const report = scottishStv(file.store, { seats: file.seats! });
      assert.equal(report.details!.quota, five(official.countInfo.Quota));
      assert.equal(file.store.totalWeight, BigInt(official.countInfo.Valid_Poll));
      const stages = Math.max(...rows.map((r) => Number(r.Count_Number)));
      assert.equal(report.rounds.length, stages, 'number of stages');
      // BLT candidate i is the row with id i-1 at stage 1; Candidate_Id is stable across stages.
      const firstStage = rows
        .filter((r) => Number(r.Count_Number) === 1)
        .sort((a, b) => Number(a.id) - Number(b.id));
      const nameOf = new Map(firstStage.map((r, i) => [String(r.Candidate_Id), file.candidates[i]!]));
      for (const row of rows) {
        const name = nameOf.get(String(row.Candidate_Id))!;
        const round = report.rounds[Number(row.Count_Number) - 1]!;
        assert.equal(round.tallies[name], five(row.Total_Votes), `stage ${row.Count_Number}, ${name}`);
      }
      for (const row of firstStage) {
        const name = nameOf.get(String(row.Candidate_Id))!;
        const last = rows.find(
          (r) => String(r.Candidate_Id) === String(row.Candidate_Id) && Number(r.Count_Number) === stages,
        )!;
        if (last.Status === 'Elected' || last.Status === 'Excluded') {
          const at = report.rounds[Number(last.Occurred_On_Count) - 1]!;
          const list = last.Status === 'Elected' ? at.elected : at.excluded;
          assert.ok(list.includes(name), `${name} ${last.Status} at stage ${last.Occurred_On_Count}`);
        }
      }
      const electedOfficial = firstStage.filter((r) => {
        const last = rows.find(
          (x) => String(x.Candidate_Id) === String(r.Candidate_Id) && Number(x.Count_Number) === stages,
        )!;
        return last.Status === 'Elected';
      });
      assert.deepEqual(
        [...report.winners].sort(),
        electedOfficial.map((r) => nameOf.get(String(r.Candidate_Id))!).sort(),
      );
    });
  }
});

test('renfrewshire_2017_ward3: equal surpluses at stage 6 go by the most recent earlier stage where they differed', () => {
  const ward = 'renfrewshire_2017_ward3';
  const file = readBlt(readFileSync(join(root, ward, `${ward}.blt`), 'utf8'));
  const report = scottishStv(file.store, { seats: file.seats! });
  const order = report.rounds[5]!.tieBreaks.find((t) => t.purpose === 'order')!;
  assert.deepEqual([...order.among].sort(), ['JIM SHARKEY (Lab)', 'Neill GRAHAM (C)']);
  assert.equal(order.chosen, 'JIM SHARKEY (Lab)');
  assert.match(order.reason, /^round 5:/);
  assert.equal(report.rounds[5]!.tallies['JIM SHARKEY (Lab)'], report.rounds[5]!.tallies['Neill GRAHAM (C)']);
  assert.match(report.rounds[6]!.action!, /JIM SHARKEY \(Lab\)'s surplus/);
});
