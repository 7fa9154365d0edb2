// Records written by an earlier release keep verifying after an upgrade. `ranked-vote-d7088f7.json` (beside this file) is the
// log of an honest ranked secret vote made by the code at d7088f7 (the release before signed shuffles,
// docs/MIXNET.md §12) with test/support/small-secret-vote.ts on SQLite: 3 trustees, mixer 1 shuffles, mixers 2
// and 3 are skipped at their deadlines, trustees 1 and 2 decrypt, the vote is decided. Its manifest has no
// `shuffles: "signed"` and its shuffle no signature.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Entry } from '../../../src/core/index.ts';
import { replayEntries } from '../../../src/core/replay.ts';

const record = (name: string): Entry[] => JSON.parse(readFileSync(new URL(name, import.meta.url), 'utf8'));

test('a ranked secret vote recorded before shuffles were signed replays with every check passing', async () => {
  const entries = record('ranked-vote-d7088f7.json');
  const setup = entries.find((e) => e.act === 'board_posted' && (e.payload as any).kind === 'setup');
  assert.ok(setup, 'the record holds the vote’s setup');
  assert.equal((setup.payload as any).body.manifest.shuffles, undefined, 'an unmarked manifest');
  const failed = (await replayEntries(entries)).filter((c) => c.status !== 'pass');
  assert.deepEqual(
    failed.map((c) => `${c.id}: ${c.detail}`),
    [],
  );
});
