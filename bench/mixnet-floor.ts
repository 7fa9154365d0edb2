// The native-libsodium price of a shuffle-proof verification (issue 20's target: verification within 1.5× of its own
// multiplication count priced at the native floor measured in the same run). Shared by bench/mixnet.bench.ts (the
// library) and bench/mixnet-server.bench.ts (through the HTTP API).
import { createRequire } from 'node:module';
import os from 'node:os';

interface SodiumNative {
  crypto_scalarmult_ed25519_base_noclamp(q: Uint8Array, n: Uint8Array): void;
  crypto_scalarmult_ed25519_noclamp(q: Uint8Array, n: Uint8Array, p: Uint8Array): void;
}
const sodiumNative = createRequire(import.meta.url)('sodium-native') as SodiumNative;

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The load average, as the benchmarks print it. */
export const loadAverage = (): string =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');

export interface Floor {
  /** µs per fixed-base multiplication */
  fixed: number;
  /** µs per variable-base multiplication */
  variable: number;
}

/** Native libsodium µs per fixed-base and per variable-base multiplication (ed25519, no clamping), medians of 9. */
export function nativeFloor(): Floor {
  const n = new Uint8Array(32).fill(7);
  n[31] = 5;
  const p = new Uint8Array(32);
  const q = new Uint8Array(32);
  sodiumNative.crypto_scalarmult_ed25519_base_noclamp(p, n);
  // about 10 ms a run for both kinds, so that both see the other jobs' preemption as a long verification does
  const time = (iterations: number, f: () => void) => {
    const runs: number[] = [];
    for (let r = 0; r < 9; r++) {
      const t = performance.now();
      for (let i = 0; i < iterations; i++) f();
      runs.push(((performance.now() - t) * 1000) / iterations);
    }
    return median(runs);
  };
  return {
    fixed: time(400, () => sodiumNative.crypto_scalarmult_ed25519_base_noclamp(q, n)),
    variable: time(100, () => sodiumNative.crypto_scalarmult_ed25519_noclamp(q, n, p)),
  };
}

/**
 * The multiplications of CheckShuffleProof as Haenni et al. write it (challenge form, each exponentiation separate):
 * fixed-base g^ŝ_i, g^s1, g^s2, g^s3, g^−s4_k; variable-base c_j^u_j, h^u, ã_k and b̃_k over the inputs, ĉ_i^c and
 * ĉ_{i−1}^s'_i, h_i^s'_i, the outputs^s'_i, c̄^c, ĉ^c, c̃^c, ã_k^c, b̃_k^c, pk^−s4_k (docs/MIXNET.md §5.3).
 */
export const verifyCount = (n: number, w: number): { fixed: number; variable: number } => ({
  fixed: n + 3 + w,
  variable: (4 * w + 4) * n + 4 + 3 * w,
});

/** The native floor's µs for a verification of N ballots of width w, priced at the mean of two floors. */
export function pricedFloorMs(n: number, w: number, before: Floor, after: Floor): number {
  const c = verifyCount(n, w);
  return (
    (c.fixed * (before.fixed + after.fixed) + c.variable * (before.variable + after.variable)) / 2 / 1000
  );
}
