// Sorting the pay column for the inequality report. Pay is integer minor units; when every value is below 2^32
// (42 million in major units of a two-decimal currency) an LSD radix sort with two 16-bit digits sorts in linear
// time; otherwise the engine's numeric sort of Float64Array is used. Both paths are tested.

const RADIX = 1 << 16;

/** A sorted copy of `pay`; throws RangeError unless every value is a non-negative safe integer. */
export function sortPay(pay: Float64Array): Float64Array {
  const n = pay.length;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const x = pay[i] as number;
    if (!(x >= 0 && x <= Number.MAX_SAFE_INTEGER && Math.floor(x) === x)) {
      throw new RangeError(`pay: ${x} at index ${i} is not a non-negative safe integer`);
    }
    if (x > max) max = x;
  }
  return max < 2 ** 32 ? radixSort32(pay) : pay.slice().sort();
}

/** LSD radix sort of values in [0, 2^32): low 16 bits first, then high 16 bits (both passes are stable). */
function radixSort32(pay: Float64Array): Float64Array {
  const n = pay.length;
  const low = new Uint32Array(RADIX + 1);
  const high = new Uint32Array(RADIX + 1);
  for (let i = 0; i < n; i++) {
    const x = pay[i] as number;
    low[(x & 0xffff) + 1]!++; // x < 2^32, so x & 0xffff and x >>> 16 read the exact bits
    high[(x >>> 16) + 1]!++;
  }
  for (let d = 1; d <= RADIX; d++) {
    low[d]! += low[d - 1]!;
    high[d]! += high[d - 1]!;
  }
  const tmp = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const x = pay[i] as number;
    tmp[low[x & 0xffff]!++] = x;
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = tmp[i] as number;
    out[high[x >>> 16]!++] = x;
  }
  return out;
}
