// The static record's files: JSON lines split the same whether read whole or streamed in arbitrary chunks, and
// checkpoints.jsonl round-trips.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  decodeCheckpointsFile,
  encodeCheckpointsFile,
  encodeEntriesFile,
  splitLineStream,
  splitLines,
} from '../../src/record/static-record.ts';
import { prefetch } from '../../src/record/prefetch.ts';

async function* chunked(bytes: Uint8Array, cuts: number[]) {
  let at = 0;
  for (const c of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
    yield bytes.slice(at, c);
    at = c;
  }
  yield bytes.slice(at);
}

describe('static record files', () => {
  test('streamed lines equal whole-file lines for any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.uint8Array({ maxLength: 40 }).map((b) => b.map((x) => (x === 10 ? 11 : x))),
          { maxLength: 30 },
        ),
        fc.array(fc.nat(), { maxLength: 20 }),
        async (entries, cuts) => {
          const file = encodeEntriesFile(entries);
          const whole = [...splitLines(file)].map((l) => [...l]);
          const streamed: number[][] = [];
          for await (const l of splitLineStream(chunked(file, cuts))) streamed.push([...l]);
          assert.deepEqual(streamed, whole);
          assert.deepEqual(
            whole,
            entries.map((e) => [...e]),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
  test('checkpoints.jsonl round trip; a damaged line is kept as its text', () => {
    const notes = ['a\n1\nAA==\n\n\u2014 k AAAAAAA=\n', 'b\n2\nAA==\n\n\u2014 k AAAAAAA=\n'];
    assert.deepEqual(decodeCheckpointsFile(encodeCheckpointsFile(notes)), notes);
    assert.deepEqual(decodeCheckpointsFile(new TextEncoder().encode('"x\n{oops\n')), ['"x', '{oops']);
  });
});

describe('prefetch', () => {
  test('keeps order, loads at most `ahead` at once, and passes errors on', async () => {
    let inFlight = 0;
    let most = 0;
    const load = async (i: number) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, (7 * i) % 5));
      inFlight--;
      if (i === 13) throw new Error('item 13 failed');
      return i * 2;
    };
    const seen: number[] = [];
    for await (const [i, r] of prefetch([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], load, 3)) {
      assert.equal(r, i * 2);
      seen.push(i);
    }
    assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.ok(most <= 3 && most > 1, `at most 3 in flight (${most})`);
    await assert.rejects(async () => {
      for await (const _ of prefetch([12, 13, 14], load, 2)) void _;
    }, /item 13/);
  });
});
