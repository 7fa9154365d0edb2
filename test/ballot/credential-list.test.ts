// normaliseCredentials and credentialListHash (src/ballot/election.ts: the core's makeElection and the in-memory
// verifier's) sort by the credentials' text and hash the list written into one buffer: the same order and the same
// H_C as the functions they replaced, written out below as they were (c0d1710), on random lists of random lengths,
// orders and weights (up to 2^53 − 1, so u64's high word is written too).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ballot from '../../src/ballot/index.ts';
import { compareBytes, fromHex, toHex, u32, u64 } from '../../src/ballot/bytes.ts';
import { credentialListHash, normaliseCredentials, type CredentialEntry } from '../../src/ballot/election.ts';
import { hashBytes } from '../../src/ballot/hash.ts';
import { seededRandom } from './fixture.ts';

/** The sort of c0d1710's normaliseCredentials (after the same checks): bytes decoded in every comparison. */
const sortedBefore = (list: readonly CredentialEntry[]): CredentialEntry[] =>
  [...list]
    .map((c) => ({ credential: c.credential, weight: c.weight }))
    .sort((a, b) => compareBytes(fromHex(a.credential, 32, 'c'), fromHex(b.credential, 32, 'c')));

/** c0d1710's credentialListHash: one array a credential. */
function hashBefore(sorted: readonly CredentialEntry[]): Uint8Array {
  const fields = sorted.map((c) => {
    const out = new Uint8Array(40);
    out.set(fromHex(c.credential, 32, 'credential'));
    out.set(u64(BigInt(c.weight)), 32);
    return out;
  });
  return hashBytes('credentials', [u32(sorted.length), ...fields]);
}

test('the same order and the same H_C as before, on random lists', async () => {
  const g = await ballot.sodiumGroup();
  const rnd = seededRandom('credential-lists');
  const int = (below: number) => Number(BigInt(`0x${toHex(rnd(7))}`) % BigInt(below));
  const pool: string[] = [];
  for (let i = 0; i < 600; i++) pool.push(ballot.makeCredential(g, rnd).public);
  const weights = [1, 2, 3, 255, 256, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER];
  for (let round = 0; round < 60; round++) {
    const n = round === 0 ? 0 : round === 1 ? 1 : int(pool.length);
    const picked = new Set<string>();
    while (picked.size < n) picked.add(pool[int(pool.length)]!);
    const credentials = [...picked].map((credential) => ({
      credential,
      weight: int(3) === 0 ? weights[int(weights.length)]! : 1 + int(1000),
    }));
    const sorted = normaliseCredentials(g, { credentials });
    assert.deepEqual(sorted, sortedBefore(credentials), `round ${round}: the order`);
    assert.deepEqual(credentialListHash(sorted), hashBefore(sorted), `round ${round}: H_C`);
  }
});

test('a listed credential that is not 32 bytes of lower-case hex is refused by credentialListHash as before', () => {
  const good = { credential: 'ab'.repeat(32), weight: 1 };
  for (const credential of ['AB'.repeat(32), 'ab'.repeat(31), 'zz'.repeat(32)]) {
    const list = [good, { credential, weight: 1 }];
    assert.throws(
      () => credentialListHash(list),
      (e: Error) => {
        assert.throws(() => hashBefore(list), { message: e.message });
        return true;
      },
    );
  }
});
