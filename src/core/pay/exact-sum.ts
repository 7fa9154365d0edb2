// Exact sums of many safe integers: a double accumulates while it is exact (below 2^52) and is flushed into a
// bigint before it could round. Each addend must be a safe integer of at most 2^52 in absolute value.

const FLUSH = 2 ** 52;

/** Σ values[i] over the whole array, exactly. */
export function exactSum(values: Float64Array): bigint {
  let big = 0n;
  let small = 0;
  for (let i = 0; i < values.length; i++) {
    small += values[i] as number;
    if (small >= FLUSH || small <= -FLUSH) {
      big += BigInt(small);
      small = 0;
    }
  }
  return big + BigInt(small);
}
