// The CSV, Debian tally and .cvotes readers take a file in chunks (issue #19) and give what they give for the whole
// text: the same options, ballots, weights and other fields, or the same error (message and line), however the
// bytes are cut, even inside a multi-byte character or between "\r" and "\n".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countCommand } from '../../src/cli/commands/count.ts';
import { ballotFileReader, readBallotFile, type BallotFile } from '../../src/count/index.ts';
import { ballotCorpus } from './ballot-corpus.ts';

/** Everything a reader returns, the store as its entries in order. */
function outcome(read: () => BallotFile): unknown {
  try {
    const { store, ...rest } = read();
    return { ...rest, entries: [...store.entries()].map((e) => ({ ...e, weight: String(e.weight) })) };
  } catch (e) {
    return { error: (e as Error).constructor.name, message: (e as Error).message };
  }
}

test('every file read in chunks of 1, 2, 5, 64 and 4096 bytes gives what the whole text gives', () => {
  for (const f of ballotCorpus()) {
    const whole = outcome(() => readBallotFile(f.text, undefined, f.format));
    const bytes = new TextEncoder().encode(f.text);
    for (const size of [1, 2, 5, 64, 4096]) {
      const chunked = outcome(() => {
        const reader = ballotFileReader(f.format);
        for (let at = 0; at < bytes.length; at += size) reader.push(bytes.slice(at, at + size));
        return reader.end();
      });
      assert.deepEqual(chunked, whole, `${f.name}, chunks of ${size}`);
    }
  }
});

test("councils count reads each format from a file in chunks: a count, or the whole-text reader's error", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'councils-streamed-'));
  const ext = { csv: 'csv', cvotes: 'cvotes', debian: 'txt' } as const;
  for (const f of ballotCorpus()) {
    if (f.text === '') continue;
    const path = join(dir, `file.${ext[f.format]}`);
    writeFileSync(path, f.text);
    let out = '';
    let err = '';
    const method = f.format === 'debian' ? 'schulze' : 'meek-stv';
    const extra = f.format === 'debian' ? [] : ['--seats', '2'];
    const code = await countCommand(['--method', method, ...extra, '--format', 'json', path], {
      out: (s: string) => (out += s),
      err: (s: string) => (err += s),
    });
    const whole = outcome(() => readBallotFile(f.text, path)) as { message?: string };
    if (whole.message) assert.deepEqual([code, err], [1, `councils count: ${whole.message}\n`], f.name);
    else assert.deepEqual([code, Array.isArray(JSON.parse(out).winners)], [0, true], `${f.name}: ${err}`);
  }
});
