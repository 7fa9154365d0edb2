// The record verifier confirms an untouched record and catches every tampering the issue lists, naming where.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import canonicalize from 'canonicalize';
import { verifyRecord, type VerifyReport } from '../../src/record/record-verifier.ts';
import {
  decodeCheckpointsFile,
  encodeCheckpointsFile,
  splitLines,
  staticRecordFiles,
} from '../../src/record/static-record.ts';
import { concatBytes, utf8 } from '../../src/record/bytes.ts';
import { encodeKeyPair, parseSignerKey } from '../../src/record/note-keys.ts';
import { signNote } from '../../src/record/signed-note.ts';
import { emptyRoot } from '../../src/record/rfc9162.ts';
import { tilesForSize, tilePath } from '../../src/record/tlog-tiles.ts';
import {
  exportOnly,
  logKeys,
  makeCheckpoints,
  makeEntries,
  ORIGIN,
  policy,
  recordFiles,
  sourceOf,
  tilesOnly,
} from './fixtures.ts';

const COUNT = 300;
const BATCH = 25;
const full = recordFiles(COUNT, BATCH);
const emptyCheckpoint = () =>
  signNote({ text: `${ORIGIN}\n0\n${Buffer.from(emptyRoot()).toString('base64')}\n` }, [
    parseSignerKey(logKeys.signerKey),
  ]);
const options = { logKey: logKeys.verifierKey, witnessPolicy: policy };
const verify = (files: Map<string, Uint8Array>, extra: object = {}) =>
  verifyRecord(sourceOf(files), { ...options, ...extra });
const lines = (files: Map<string, Uint8Array>) =>
  [...splitLines(files.get('entries.jsonl')!)].map((l) => l.slice());
const withEntries = (files: Map<string, Uint8Array>, entries: Uint8Array[]) =>
  new Map([...files, ['entries.jsonl', concatBytes(...entries.flatMap((e) => [e, utf8('\n')]))]]);
const flip = (bytes: Uint8Array, at: number, mask: number) => {
  const out = bytes.slice();
  out[at]! ^= mask;
  return out;
};
function failedAt(r: VerifyReport) {
  assert.equal(r.ok, false, 'expected a failure');
  assert.ok(r.firstFailure, 'the report names the first failure');
  return r.firstFailure;
}

describe('an untouched record', () => {
  for (const [name, files] of [
    ['export bundle with tiles', full],
    ['export files only', exportOnly(full)],
    ['tiles only', tilesOnly(full)],
  ] as const) {
    test(`${name}: every check passes`, async () => {
      const r = await verify(files);
      assert.equal(r.ok, true, JSON.stringify(r.firstFailure));
      assert.equal(r.size, COUNT);
      assert.deepEqual({ sealed: r.counts.sealed, revealed: r.counts.revealed }, { sealed: 1, revealed: 1 });
      assert.ok(r.latestCheckpoint);
      assert.deepEqual(
        r.checks.map((c) => c.number),
        r.checks.map((_, i) => i + 1),
      );
      // Verifying again from the state it leaves passes the rollback and consistency checks too.
      const again = await verify(files, { trusted: makeCheckpoints(makeEntries(COUNT), 100)[2] });
      assert.equal(again.ok, true, JSON.stringify(again.firstFailure));
      assert.equal(again.checks.find((c) => c.id === 'consistency')?.status, 'pass');
    });
  }
  test('an empty log with a checkpoint of size 0 verifies', async () => {
    const files = staticRecordFiles([], makeCheckpoints([], 1, false).concat(emptyCheckpoint()));
    const r = await verifyRecord(sourceOf(files), { logKey: logKeys.verifierKey });
    assert.equal(r.ok, true, JSON.stringify(r.firstFailure));
    assert.equal(r.size, 0);
  });
  test('the replay extension point receives the verified entries and its checks are numbered after ours', async () => {
    let seen = 0;
    const r = await verify(full, {
      replay: async (entries: AsyncIterable<{ seq: number }>) => {
        for await (const e of entries) assert.equal(e.seq, seen++);
        return [{ id: 'projections', title: 'projections match', status: 'pass' as const }];
      },
    });
    assert.equal(seen, COUNT);
    assert.equal(r.checks.at(-1)?.id, 'projections');
    assert.equal(r.checks.at(-1)?.number, r.checks.length);
  });
});

describe('tampered entries are caught and named', () => {
  test('flip any byte of any entry (export files only): the failing range holds the entry', async () => {
    const base = lines(full);
    await fc.assert(
      fc.asyncProperty(
        fc.nat(COUNT - 1),
        fc.nat(10_000),
        fc.integer({ min: 1, max: 255 }),
        async (i, pos, mask) => {
          const entries = base.slice();
          entries[i] = flip(entries[i]!, pos % entries[i]!.length, mask);
          const where = failedAt(await verify(withEntries(exportOnly(full), entries))).where!;
          assert.ok(
            where.entry! <= i && i <= (where.entryEnd ?? where.entry!),
            `entry ${i} in ${JSON.stringify(where)}`,
          );
        },
      ),
      { numRuns: 25 },
    );
  });
  test('flip any byte of any entry (with tiles): the exact entry is named', async () => {
    const base = lines(full);
    await fc.assert(
      fc.asyncProperty(
        fc.nat(COUNT - 1),
        fc.nat(10_000),
        fc.integer({ min: 1, max: 255 }),
        async (i, pos, mask) => {
          const entries = base.slice();
          entries[i] = flip(entries[i]!, pos % entries[i]!.length, mask);
          assert.equal(failedAt(await verify(withEntries(full, entries))).where?.entry, i);
        },
      ),
      { numRuns: 25 },
    );
  });
  test('drop, reorder or insert an entry', async () => {
    const base = lines(full);
    const dropped = base.filter((_, i) => i !== 123);
    assert.equal(failedAt(await verify(withEntries(exportOnly(full), dropped))).where?.entry, 123);
    const swapped = base.slice();
    [swapped[200], swapped[201]] = [swapped[201]!, swapped[200]!];
    assert.equal(failedAt(await verify(withEntries(exportOnly(full), swapped))).where?.entry, 200);
    const inserted = [
      ...base.slice(0, 77),
      utf8(canonicalize({ seq: 77, act: 'x', actor: null, time: 't', payload: {} })!),
      ...base.slice(77),
    ];
    assert.equal(failedAt(await verify(withEntries(exportOnly(full), inserted))).where?.entry, 78);
    const dropLast = base.slice(0, -1);
    const f = failedAt(await verify(withEntries(exportOnly(full), dropLast)));
    assert.deepEqual([f.id, f.where?.entry], ['entries_present', COUNT - 1]);
  });
  test('an entry with a lone surrogate is named, not a crash', async () => {
    const entries: Uint8Array[] = lines(full);
    entries[42] = utf8(`{"act":"x","actor":null,"payload":{"t":"\\ud800"},"seq":42,"time":"t"}`);
    const f = failedAt(await verify(withEntries(exportOnly(full), entries)));
    assert.deepEqual([f.id, f.where?.entry], ['entries_well_formed', 42]);
    assert.match(f.detail!, /canonicalised/);
  });
  test('a forged entry with renumbered successors is caught at the first checkpoint after it', async () => {
    const base = lines(full);
    const forged = [
      ...base.slice(0, 120),
      utf8(canonicalize({ seq: 120, act: 'x', actor: null, time: 't', payload: {} })!),
    ];
    for (const e of base.slice(120, -1)) {
      const obj = JSON.parse(new TextDecoder().decode(e));
      obj.seq += 1;
      forged.push(utf8(canonicalize(obj)!));
    }
    const f = failedAt(await verify(withEntries(exportOnly(full), forged)));
    assert.deepEqual(
      [f.id, f.where?.entry, f.where?.entryEnd, f.where?.checkpointSize],
      ['checkpoint_roots', 100, 124, 125],
    );
  });
  test('a reveal that does not match its commitment', async () => {
    const base = lines(full);
    const reveal = JSON.parse(new TextDecoder().decode(base[9]));
    reveal.payload.content = Buffer.from('{"minutes":"nothing happened"}').toString('base64');
    const entries: Uint8Array[] = base.slice();
    entries[9] = utf8(canonicalize(reveal)!);
    // Re-sign checkpoints over the altered entries: only the commitment check can catch this.
    const files = staticRecordFiles(entries, makeCheckpoints(entries, BATCH));
    const f = failedAt(await verify(files));
    assert.deepEqual([f.id, f.where?.entry], ['sealed_reveals', 9]);
  });
});

describe('tampered checkpoints are caught and named', () => {
  const cps = decodeCheckpointsFile(full.get('checkpoints.jsonl')!);
  test('flip any byte of any checkpoint (checkpoints.jsonl)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(cps.length - 1),
        fc.nat(10_000),
        fc.integer({ min: 1, max: 255 }),
        async (k, pos, mask) => {
          const bytes = utf8(cps[k]!);
          const tampered = cps.slice();
          tampered[k] = new TextDecoder().decode(flip(bytes, pos % bytes.length, mask));
          const files = new Map([
            ...exportOnly(full),
            ['checkpoints.jsonl', encodeCheckpointsFile(tampered)],
          ]);
          assert.equal(failedAt(await verify(files)).where?.checkpoint, k + 1);
        },
      ),
      { numRuns: 40 },
    );
  });
  test('flip any byte of the served checkpoint (tiles only)', async () => {
    const files = tilesOnly(full);
    const bytes = files.get('checkpoint')!;
    for (let at = 0; at < bytes.length; at += 3) {
      const r = await verify(new Map([...files, ['checkpoint', flip(bytes, at, 0x20)]]));
      assert.equal(failedAt(r).where?.checkpoint, 1, `byte ${at}`);
    }
  });
  test('roll back to an older checkpoint', async () => {
    const entries = makeEntries(COUNT);
    const older = staticRecordFiles(entries.slice(0, 200), makeCheckpoints(entries.slice(0, 200), BATCH));
    const r = await verify(older, { trusted: cps.at(-1) });
    const f = failedAt(r);
    assert.deepEqual([f.id, f.where?.checkpointSize], ['no_rollback', 200]);
  });
  const forkedEntries = () => {
    const entries = makeEntries(COUNT);
    entries[150] = utf8(canonicalize({ seq: 150, act: 'x', actor: null, time: 't', payload: {} })!);
    return entries;
  };
  test('two different checkpoints of the same size in the source (a fork)', async () => {
    const forked = makeCheckpoints(forkedEntries(), BATCH, false);
    const files = new Map([
      ...exportOnly(full),
      ['checkpoints.jsonl', encodeCheckpointsFile([...cps, forked[7]!])],
    ]);
    const f = failedAt(await verify(files));
    assert.deepEqual([f.id, f.where?.checkpoint, f.where?.checkpointSize], ['no_fork', cps.length + 1, 200]);
  });
  test('a checkpoint of the same size as the one seen before, with another root (a fork)', async () => {
    const entries = forkedEntries();
    const files = staticRecordFiles(entries, makeCheckpoints(entries, BATCH));
    const f = failedAt(await verify(files, { trusted: cps[7] }));
    assert.deepEqual([f.id, f.where?.checkpointSize], ['no_rollback', 200]);
  });
  test('a rewritten history whose sizes differ from the one seen before fails the consistency proof', async () => {
    const entries = forkedEntries();
    const files = staticRecordFiles(entries, makeCheckpoints(entries, 70));
    const f = failedAt(await verify(files, { trusted: cps[6] }));
    assert.deepEqual([f.id, f.where?.checkpointSize], ['consistency', COUNT]);
  });
  test('checkpoints signed by another key, or for another origin, are rejected', async () => {
    const stranger = encodeKeyPair(ORIGIN, new Uint8Array(32).fill(99));
    const entries = makeEntries(COUNT);
    const forged = makeCheckpoints(entries, BATCH, false).map((c) => {
      const text = c.slice(0, c.indexOf('\n\n') + 1);
      return signNote({ text }, [parseSignerKey(stranger.signerKey)]);
    });
    const files = new Map([...exportOnly(full), ['checkpoints.jsonl', encodeCheckpointsFile(forged)]]);
    assert.deepEqual(failedAt(await verify(files)).where?.checkpoint, 1);
    const r = await verify(full, { origin: 'another.example/log' });
    assert.equal(failedAt(r).id, 'checkpoints_signed');
  });
  test('the witness policy is enforced on the latest checkpoint', async () => {
    const entries = makeEntries(COUNT);
    const files = staticRecordFiles(entries, makeCheckpoints(entries, BATCH, false));
    const f = failedAt(await verify(files));
    assert.deepEqual([f.id, f.where?.checkpointSize], ['witness_policy', COUNT]);
  });
});

describe('tampered tiles are caught and named', () => {
  const tiles = tilesForSize(COUNT).map(tilePath);
  for (const source of ['bundle with entries.jsonl', 'tiles only'] as const) {
    test(`flip any byte of any tile (${source})`, async () => {
      const base = source === 'tiles only' ? tilesOnly(full) : full;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...tiles),
          fc.nat(100_000),
          fc.integer({ min: 1, max: 255 }),
          async (path, pos, mask) => {
            const t = base.get(path)!;
            const f = failedAt(await verify(new Map([...base, [path, flip(t, pos % t.length, mask)]])));
            assert.equal(f.where?.tile, path);
          },
        ),
        { numRuns: 20 },
      );
    });
  }
  test('flip any byte of an entry bundle (tiles only): the entry or bundle is named', async () => {
    const base = tilesOnly(full);
    const bundles = [...base.keys()].filter((p) => p.startsWith('tile/entries/') && !p.includes('.p/'));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...bundles),
        fc.nat(100_000),
        fc.integer({ min: 1, max: 255 }),
        async (path, pos, mask) => {
          const b = base.get(path)!;
          const f = failedAt(await verify(new Map([...base, [path, flip(b, pos % b.length, mask)]])));
          assert.ok(f.where?.tile === path || f.where?.entry !== undefined, JSON.stringify(f));
        },
      ),
      { numRuns: 20 },
    );
  });
});
