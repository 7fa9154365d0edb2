// The streaming BLT reader and the direct count on its store (`councils count`'s fast path) against the slower
// path: the same election, generated from a seeded PRNG, written one line per ballot and merged into weighted
// distinct ballots, read in chunks of odd sizes, counted from the store and through countVote over every entry
// as names; winners and every round's tallies must be equal. Also the store's typed hash table and bigint weights.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countCommand } from '../../src/cli/commands/count.ts';
import { BallotStore, TIED } from '../../src/count/ballot-store.ts';
import { BltReader, readBlt } from '../../src/count/formats/blt.ts';
import { countStore, countVote, type CountSpec, type MethodId } from '../../src/count/index.ts';
import { prng } from '../support/mulberry32.ts';

/** 3,000 ballots over 7 candidates (candidate numbers from 1), most voters preferring low numbers; some ties. */
function election(): string[] {
  const rnd = prng(7);
  const out: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const order = [1, 2, 3, 4, 5, 6, 7].sort(() => rnd() - 0.6);
    const len = 1 + Math.floor(rnd() * 7);
    const prefs = order.slice(0, len).map(String);
    if (len > 2 && rnd() < 0.05) prefs.splice(1, 2, `${prefs[1]}=${prefs[2]}`);
    out.push(prefs.join(' '));
  }
  return out;
}

const names = ['"Ann"', '"Bob"', '"Cy"', '"Di"', '"Ed"', '"Flo"', '"Gus"', '"Test election"'];
const perLine = () => ['7 3', ...election().map((p) => `1 ${p} 0`), '0', ...names].join('\n') + '\n';
function merged(): string {
  const counts = new Map<string, number>();
  for (const p of election()) counts.set(p, (counts.get(p) ?? 0) + 1);
  return ['7 3', ...[...counts].map(([p, c]) => `${c} ${p} 0`), '0', ...names].join('\n') + '\n';
}

function readInChunks(text: string, size: number) {
  const bytes = new TextEncoder().encode(text);
  const reader = new BltReader();
  for (let at = 0; at < bytes.length; at += size) reader.push(bytes.subarray(at, at + size));
  return reader.end();
}

/** Winners and each round's tallies (what the brief asks to be equal). */
const outcome = (r: ReturnType<typeof countVote>) => ({
  winners: r.winners,
  tallies: r.rounds.map((x) => x.tallies),
});

describe('streaming BLT reader and direct count', () => {
  const methods: MethodId[] = ['scottish-stv', 'meek-stv', 'wigm-stv', 'schulze'];
  for (const [kind, text] of [
    ['one line per ballot', perLine()],
    ['merged', merged()],
  ] as const) {
    test(`${kind}: chunked reads, direct count and the countVote path agree`, () => {
      const whole = readBlt(text);
      for (const size of [1, 7, 4096]) {
        const file = readInChunks(text, size);
        assert.deepEqual([...file.store.entries()], [...whole.store.entries()], `chunks of ${size}`);
      }
      for (const method of methods) {
        const spec: CountSpec = { method, options: whole.candidates, seats: whole.seats! };
        const fast = countStore(spec, whole.store);
        const slow = countVote(spec, [...whole.store.entries()]);
        assert.deepEqual(outcome(fast), outcome(slow), method);
        assert.deepEqual(fast, slow, method);
      }
    });
  }

  test('the reader holds the ballots a plain string parse gives', () => {
    const ref = new BallotStore(['Ann', 'Bob', 'Cy', 'Di', 'Ed', 'Flo', 'Gus']);
    for (const p of election()) ref.add(p.split(' ').map((t) => t.split('=').map((x) => Number(x) - 1)));
    assert.deepEqual([...readInChunks(perLine(), 13).store.entries()], [...ref.entries()]);
    assert.deepEqual([...readInChunks(merged(), 13).store.entries()], [...ref.entries()]);
  });

  test('the merged file and the per-line file count the same', () => {
    const a = readBlt(perLine());
    const b = readBlt(merged());
    assert.equal(a.store.size, b.store.size);
    for (const method of ['scottish-stv', 'meek-stv'] as const) {
      const spec: CountSpec = { method, options: a.candidates, seats: 3 };
      assert.deepEqual(countStore(spec, a.store), countStore(spec, b.store));
    }
  });

  test('the command counts a streamed file as countVote does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'councils-stream-'));
    const path = join(dir, 'e.blt');
    writeFileSync(path, perLine());
    let out = '';
    const code = await countCommand(['--method', 'scottish-stv', '--format', 'json', path], {
      out: (s) => (out += s),
      err: () => {},
    });
    assert.equal(code, 0);
    const file = readBlt(perLine());
    const slow = countVote({ method: 'scottish-stv', options: file.candidates, seats: 3 }, [
      ...file.store.entries(),
    ]);
    assert.deepEqual(JSON.parse(out), slow);
  });

  test('lines the byte parser leaves to the text rules: ids, big weights, comments, CRLF, a BOM', () => {
    const text =
      '\uFEFF3 1\r\n# note\r\n(x) 2 1 2 0\r\n  1   3=1  -  2 0  \r\n\r\n9007199254740993 2 0\r\n0\r\n"A"\r\n"B"\r\n"C"\r\n';
    const f = readInChunks(text, 3);
    assert.deepEqual(
      [...f.store.entries()].map((e) => [e.ranking, e.weight]),
      [
        [[['A'], ['B']], 2n],
        [[['C', 'A'], ['B']], 1n],
        [[['B']], 9007199254740993n],
      ],
    );
    assert.equal(f.store.totalWeight, 9007199254740996n);
    assert.equal(f.store.numberWeights, null);
  });

  test('an error found by the byte parser is reported by the text rules with its line', () => {
    for (const [line, message] of [
      ['1 2 9 0', /BLT line 3: candidate 9 is not between 1 and 3/],
      ['1 2 3', /BLT line 3: a ballot line must end with 0/],
      ['0 1 0', /BLT line 3: ballot weight must be positive/],
      ['1 2==3 0', /BLT line 3: preference "2==3" is not a candidate number/],
      ['1 2 00', /BLT line 3: a ballot line must end with 0/],
      ['1 0 2 0', /BLT line 3: candidate 0 is not between 1 and 3/],
    ] as const) {
      assert.throws(() => readInChunks(`3 1\n1 1 0\n${line}\n0\n"A"\n"B"\n"C"\n`, 5), message);
    }
  });
});

describe('BallotStore', () => {
  test('finds identical ballots through its hash table across many entries and growth', () => {
    const store = new BallotStore(['a', 'b', 'c', 'd', 'e', 'f']);
    const rnd = prng(3);
    const seen = new Map<string, bigint>();
    for (let i = 0; i < 20000; i++) {
      const order = [0, 1, 2, 3, 4, 5].sort(() => rnd() - 0.5).slice(0, 1 + Math.floor(rnd() * 6));
      store.add(order.map((c) => [c]));
      const key = order.join(',');
      seen.set(key, (seen.get(key) ?? 0n) + 1n);
    }
    assert.equal(store.size, seen.size);
    for (let i = 0; i < store.size; i++)
      assert.equal(store.weight(i), seen.get([...store.codes(i)].join(',')));
  });

  test('weights move to bigints when the total passes 2^53 - 1, exactly', () => {
    const store = new BallotStore(['a', 'b']);
    store.add([[0]], 2n ** 52n);
    store.add([[1]], 3n);
    assert.ok(store.numberWeights);
    store.add([[0]], 2n ** 52n);
    assert.equal(store.numberWeights, null);
    store.add([[1]], 2n ** 70n);
    assert.equal(store.weight(0), 2n ** 53n);
    assert.equal(store.weight(1), 3n + 2n ** 70n);
    assert.equal(store.totalWeight, 2n ** 53n + 3n + 2n ** 70n);
  });

  test('addCodes refuses a code the encoding does not allow', () => {
    const store = new BallotStore(['a', 'b']);
    assert.throws(() => store.addCodes(Int16Array.of(2), 1, 1), /bad ballot code/);
    assert.throws(() => store.addCodes(Int16Array.of(0 | TIED), 1, 1), /bad ballot code/);
    assert.throws(() => store.addCodes(Int16Array.of(0, 0), 2, 1), /repeats/);
    assert.throws(() => store.addCodes(Int16Array.of(0), 1, 0), /weight/);
    store.addCodes(Int16Array.of(1, 0 | TIED), 2, 2 ** 40);
    assert.deepEqual(store.groups(0), [[1, 0]]);
  });
});
