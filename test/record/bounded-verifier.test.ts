// The bounded verifier (one pass, a compact range and the tile windows instead of the whole tree in memory) gives
// exactly the reports the in-memory verifier gave (issue #18 item 4): the same checks, details, places, sizes and
// roots on every case of forgeries.ts, recorded from the verifier before the change in bounded-verifier.golden.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyRecord } from '../../src/record/record-verifier.ts';
import { forgeryCases, forgerySource, reportDigest } from './forgeries.ts';

interface Recorded {
  digest: string;
  failure: { id: string; detail?: string; where?: object } | null;
}
const golden = JSON.parse(
  readFileSync(join(import.meta.dirname, 'bounded-verifier.golden.json'), 'utf8'),
) as {
  cases: Record<string, Recorded>;
};

test('every untouched and forged record gets the report the in-memory verifier gave', async () => {
  const cases = forgeryCases();
  assert.deepEqual(
    cases.map((c) => c.name),
    Object.keys(golden.cases),
    'the same cases as recorded',
  );
  let failures = 0;
  for (const c of cases) {
    const r = await verifyRecord(forgerySource(c), c.options);
    const f = r.firstFailure;
    const got = { id: f?.id, detail: f?.detail, where: f?.where };
    const want = golden.cases[c.name]!;
    assert.deepEqual(
      got,
      { id: want.failure?.id, detail: want.failure?.detail, where: want.failure?.where },
      c.name,
    );
    assert.equal(reportDigest(r), want.digest, `${c.name}: every check, size, root and count`);
    if (f) failures++;
  }
  assert.ok(failures >= 80 && failures < cases.length, `${failures} of ${cases.length} cases fail`);
});
