// Exact sums of many safe integers: a double accumulates while it is exact (below 2^52) and is flushed into a
// bigint before it could round; an addend of 2^52 or more goes to the bigint directly.

const FLUSH = 2 ** 52;

/** Σ values[i] over the whole array, exactly. */
export function exactSum(values: Float64Array): bigint {
  let big = 0n;
  let small = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v >= FLUSH || v <= -FLUSH) {
      big += BigInt(v);
      continue;
    }
    small += v;
    if (small >= FLUSH || small <= -FLUSH) {
      big += BigInt(small);
      small = 0;
    }
  }
  return big + BigInt(small);
}
