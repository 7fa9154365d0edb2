// RFC 9162 §2.1 against transparency-dev/merkle's vectors (test/vectors/merkle, see PROVENANCE.md).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fromHex, toHex } from '../../src/record/bytes.ts';
import {
  emptyRoot,
  leafHash,
  nodeHash,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from '../../src/record/rfc9162.ts';
import { MemoryHashStore } from '../../src/record/memory-hash-store.ts';
import { consistencyProof, inclusionProof, treeRoot } from '../../src/record/merkle-proofs.ts';
import { CompactRange } from '../../src/record/compact-range.ts';

const dir = 'test/vectors/merkle';
const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

function files(sub: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.json')) out.push(p);
    }
  };
  walk(join(dir, sub));
  return out.sort();
}

/** JSON.parse loses 2^64-1; integers are read as bigint by quoting every long integer first. */
function parseExact(text: string): Record<string, unknown> {
  return JSON.parse(text.replace(/("(?:leafIdx|treeSize|size1|size2)":\s*)(\d+)/g, '$1"$2"')) as Record<
    string,
    unknown
  >;
}

describe('RFC 9162 hasher (transparency-dev rfc6962_test.go)', () => {
  const v = JSON.parse(readFileSync(join(dir, 'rfc6962-hasher.json'), 'utf8'));
  test('empty tree', () => assert.equal(toHex(emptyRoot()), v.empty_tree.want_hex));
  for (const c of v.leaf_hashes)
    test(c.desc, () => assert.equal(toHex(leafHash(fromHex(c.input_hex))), c.want_hex));
  for (const c of v.node_hashes) {
    test(c.desc, () => assert.equal(toHex(nodeHash(fromHex(c.left_hex), fromHex(c.right_hex))), c.want_hex));
  }
  test('domain separation and order', () => {
    const h1 = leafHash(new TextEncoder().encode('Hello'));
    const h2 = leafHash(new TextEncoder().encode('World'));
    assert.notEqual(toHex(h1), toHex(h2));
    assert.notEqual(toHex(nodeHash(h1, h2)), toHex(leafHash(new Uint8Array([...h1, ...h2]))));
    assert.notEqual(toHex(nodeHash(h1, h2)), toHex(nodeHash(h2, h1)));
  });
});

describe('RFC 9162 roots and node hashes (transparency-dev constants.go)', () => {
  const v = JSON.parse(readFileSync(join(dir, 'rfc6962-roots.json'), 'utf8'));
  const leaves = (v.leaves_hex as string[]).map((h) => leafHash(fromHex(h)));
  for (let n = 0; n <= 8; n++) {
    test(`root of the first ${n} leaves, three ways`, async () => {
      const want = v.roots_hex[String(n)];
      assert.equal(toHex(rootFromLeafHashes(leaves.slice(0, n))), want);
      assert.equal(toHex(CompactRange.empty().append(leaves.slice(0, n)).root()), want);
      const store = new MemoryHashStore().append(leaves);
      assert.equal(toHex(await treeRoot(store, n)), want);
    });
  }
  test('every complete subtree hash', () => {
    const store = new MemoryHashStore().append(leaves);
    (v.node_hashes_hex as string[][]).forEach((row, level) =>
      row.forEach((h, index) => assert.equal(toHex(store.hash({ level, index })), h, `${level}/${index}`)),
    );
  });
});

describe('RFC 9162 §2.1.3.2 inclusion vectors', () => {
  for (const f of files('inclusion')) {
    const v = parseExact(readFileSync(f, 'utf8'));
    test(`${f.slice(dir.length + 1)}: ${v.wantErr ? 'rejected' : 'accepted'}`, () => {
      const proof = ((v.proof as string[] | null) ?? []).map(b64);
      const ok = verifyInclusion(
        b64(v.leafHash as string),
        BigInt(v.leafIdx as string),
        BigInt(v.treeSize as string),
        proof,
        b64(v.root as string),
      );
      assert.equal(ok, !v.wantErr);
    });
  }
});

describe('RFC 9162 §2.1.4.2 consistency vectors', () => {
  for (const f of files('consistency')) {
    const v = parseExact(readFileSync(f, 'utf8'));
    test(`${f.slice(dir.length + 1)}: ${v.wantErr ? 'rejected' : 'accepted'}`, () => {
      const proof = v.proof === null ? null : (v.proof as string[]).map(b64);
      const ok = verifyConsistency(
        BigInt(v.size1 as string),
        BigInt(v.size2 as string),
        proof,
        b64(v.root1 as string),
        b64(v.root2 as string),
      );
      assert.equal(ok, !v.wantErr);
    });
  }
});

describe('proof generation reproduces the happy-path vectors', () => {
  // The vectors' trees are built from constants.go's leaves, so their accepted proofs can be regenerated.
  const v = JSON.parse(readFileSync(join(dir, 'rfc6962-roots.json'), 'utf8'));
  const store = new MemoryHashStore().append((v.leaves_hex as string[]).map((h) => leafHash(fromHex(h))));
  for (const f of files('inclusion').filter((f) => f.endsWith('happy-path.json'))) {
    const c = parseExact(readFileSync(f, 'utf8'));
    if (Number(c.treeSize) > 8) continue;
    test(`inclusion ${f.slice(dir.length + 1)}`, async () => {
      const got = await inclusionProof(store, Number(c.leafIdx), Number(c.treeSize));
      assert.deepEqual(
        got.map((p) => Buffer.from(p).toString('base64')),
        (c.proof as string[] | null) ?? [],
      );
    });
  }
  for (const f of files('consistency').filter((f) => f.endsWith('happy-path.json'))) {
    const c = parseExact(readFileSync(f, 'utf8'));
    if (Number(c.size2) > 8) continue;
    test(`consistency ${f.slice(dir.length + 1)}`, async () => {
      const got = await consistencyProof(store, Number(c.size1), Number(c.size2));
      assert.deepEqual(
        got.map((p) => Buffer.from(p).toString('base64')),
        (c.proof as string[] | null) ?? [],
      );
    });
  }
});
