// RFC 9496 Appendix A vectors against both backends, and the backends against each other.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import sodiumModule from 'libsodium-wrappers-sumo';
import { nobleGroup } from '../../src/ballot/noble-group.ts';
import { sodiumGroup } from '../../src/ballot/sodium-group.ts';
import { BallotFormatError } from '../../src/ballot/errors.ts';
import { fromHex, toHex } from '../../src/ballot/bytes.ts';
import { L } from '../../src/ballot/scalar.ts';
import type { Group } from '../../src/ballot/group.ts';

const rfc = JSON.parse(
  readFileSync(new URL('../vectors/ballot/rfc9496-ristretto255.json', import.meta.url), 'utf8'),
);
const sodium = await sodiumGroup();
const backends: Group[] = [nobleGroup, sodium];

for (const g of backends) {
  describe(`RFC 9496 ristretto255 (${g.backend})`, () => {
    test('Appendix A.1: multiples 0..15 of the generator, by mulBase, by repeated add and by mul', () => {
      let acc = g.identity;
      rfc['A.1_multiples_of_generator'].forEach((h: string, i: number) => {
        assert.equal(toHex(g.encode(g.mulBase(BigInt(i)))), h, `mulBase ${i}`);
        assert.equal(toHex(g.encode(acc)), h, `sum ${i}`);
        assert.equal(toHex(g.encode(g.mul(g.G, BigInt(i)))), h, `mul ${i}`);
        assert.equal(toHex(g.encode(g.decode(fromHex(h, 32, 'v')))), h, `round trip ${i}`);
        acc = g.add(acc, g.G);
      });
    });
    test('Appendix A.2: every invalid encoding is rejected by decode', () => {
      for (const [kind, list] of Object.entries(rfc['A.2_invalid_encodings'] as Record<string, string[]>)) {
        for (const h of list) {
          assert.throws(() => g.decode(fromHex(h, 32, 'v')), BallotFormatError, `${kind}: ${h}`);
        }
      }
    });
    test('Appendix A.3: element derivation from 64 uniform bytes', () => {
      for (const { input, output } of rfc['A.3_element_derivation']) {
        assert.equal(toHex(g.encode(g.fromUniformBytes(fromHex(input, 64, 'in')))), output);
      }
    });
    test('order: (L-1)·G = -G and the group laws hold on small values', () => {
      assert.ok(g.eq(g.mulBase(L - 1n), g.neg(g.G)));
      assert.ok(g.eq(g.sub(g.mulBase(7n), g.mulBase(2n)), g.mulBase(5n)));
      assert.ok(g.eq(g.msm([g.G, g.mulBase(3n)], [4n, 5n]), g.mulBase(19n)));
      assert.throws(() => g.decode(new Uint8Array(31)), BallotFormatError);
      assert.throws(() => g.mulBase(L), RangeError);
    });
  });
}

describe('backends agree byte for byte', () => {
  const scalar = fc.bigInt({ min: 0n, max: L - 1n });
  test('mulBase, mul, add, sub and msm give the same encodings', () => {
    fc.assert(
      fc.property(scalar, scalar, scalar, (a, b, c) => {
        const pn = nobleGroup.mulBase(a);
        const ps = sodium.mulBase(a);
        assert.equal(toHex(nobleGroup.encode(pn)), toHex(sodium.encode(ps)));
        const qn = nobleGroup.mul(pn, b);
        const qs = sodium.mul(sodium.decode(nobleGroup.encode(pn)), b);
        assert.equal(toHex(nobleGroup.encode(qn)), toHex(sodium.encode(qs)));
        assert.equal(
          toHex(nobleGroup.encode(nobleGroup.add(pn, qn))),
          toHex(sodium.encode(sodium.add(ps, qs))),
        );
        assert.equal(
          toHex(nobleGroup.encode(nobleGroup.sub(pn, qn))),
          toHex(sodium.encode(sodium.sub(ps, qs))),
        );
        const pts = [0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n].map((i) => (a + i) % L);
        const scs = pts.map((_, i) => (c * BigInt(i + 1)) % L);
        const mn = nobleGroup.msm(
          pts.map((x) => nobleGroup.mulBase(x)),
          scs,
        );
        const ms = sodium.msm(
          pts.map((x) => sodium.mulBase(x)),
          scs,
        );
        assert.equal(toHex(nobleGroup.encode(mn)), toHex(sodium.encode(ms)));
      }),
      { numRuns: 12 },
    );
  });
  test('decode accepts and rejects the same random 32-byte strings', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (b) => {
        const ok = (g: Group) => {
          try {
            g.decode(b);
            return true;
          } catch {
            return false;
          }
        };
        assert.equal(ok(nobleGroup), ok(sodium));
      }),
      { numRuns: 200 },
    );
  });
  test('the sodium backend decodes with the MSM engine: its verdicts equal libsodium is_valid_point on near-valid encodings', async () => {
    await sodiumModule.ready;
    const isValid = (b: Uint8Array) =>
      b.every((x) => x === 0) || sodiumModule.crypto_core_ristretto255_is_valid_point(b);
    const accepts = (b: Uint8Array) => {
      try {
        sodium.decode(b);
        return true;
      } catch (e) {
        assert.ok(e instanceof BallotFormatError);
        return false;
      }
    };
    const P = 2n ** 255n - 19n;
    const le = (v: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));
    let valid = 0;
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: L - 1n }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 4 }),
        (k, bit, how) => {
          const b = sodium.encode(sodium.mulBase(k));
          // 0: the valid encoding; 1: one bit flipped; 2: s + p (non-canonical); 3: −s (negative); 4: s + 2
          const v = BigInt('0x' + toHex(b.slice().reverse()));
          const c =
            how === 0
              ? b
              : how === 1
                ? b.map((x, i) => (i === bit >> 3 ? x ^ (1 << (bit & 7)) : x))
                : how === 2
                  ? le(v + P)
                  : how === 3
                    ? le(P - v)
                    : le(v + 2n);
          if (isValid(c)) valid++;
          assert.equal(accepts(c), isValid(c), toHex(c));
        },
      ),
      { numRuns: 300 },
    );
    assert.ok(valid > 30, `valid encodings tried: ${valid}`);
  });
  test('sum (one encoding at the end) equals adding one by one, with the identity and cancelling points', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: L - 1n }), { maxLength: 6 }),
        fc.boolean(),
        (ks, cancel) => {
          const pts = ks.map((k) => sodium.mulBase(k));
          if (cancel && pts.length > 0) pts.push(sodium.neg(pts[0]!));
          const expect = pts.reduce((a, p) => sodium.add(a, p), sodium.identity);
          assert.equal(toHex(sodium.encode(sodium.sum(pts))), toHex(sodium.encode(expect)));
          assert.equal(
            toHex(nobleGroup.encode(nobleGroup.sum(pts.map((p) => nobleGroup.decode(sodium.encode(p)))))),
            toHex(sodium.encode(expect)),
          );
        },
      ),
      { numRuns: 60 },
    );
  });
  test("msm past Straus's size (Pippenger with mixed additions) equals noble's, with repeated and identity points", () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: L - 1n }), { minLength: 30, maxLength: 80 }),
        fc.bigInt({ min: 1n, max: L - 1n }),
        (scs, k) => {
          const ks = scs.map((_, i) => (i % 7 === 3 ? 0n : (k * BigInt((i % 11) + 1)) % L));
          const mn = nobleGroup.msm(
            ks.map((x) => nobleGroup.mulBase(x)),
            scs,
          );
          const ms = sodium.msm(
            ks.map((x) => sodium.mulBase(x)),
            scs,
          );
          assert.equal(toHex(sodium.encode(ms)), toHex(nobleGroup.encode(mn)));
          assert.equal(
            sodium.msmIsIdentity([...ks.map((x) => sodium.mulBase(x)), ms], [...scs, L - 1n]),
            true,
          );
        },
      ),
      { numRuns: 10 },
    );
  });
});
