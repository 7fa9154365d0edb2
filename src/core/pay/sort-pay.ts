// Sorting the pay column for the inequality report. Pay is integer minor units; when every value is below 2^32
// (42 million in major units of a two-decimal currency) an LSD radix sort with two 16-bit digits sorts in linear
// time; otherwise the engine's numeric sort of Float64Array is used. Both paths are tested.

const RADIX = 1 << 16;
const LIMIT = 2 ** 32;

/** A sorted copy of `pay`; throws RangeError unless every value is a non-negative safe integer. */
export function sortPay(pay: Float64Array): Float64Array {
  const n = pay.length;
  // One pass validates and counts both digits; the counts are wasted only when a pay is >= 2^32.
  const low = new Uint32Array(RADIX + 1);
  const high = new Uint32Array(RADIX + 1);
  let small = true;
  for (let i = 0; i < n; i++) {
    const x = pay[i] as number;
    if (!(x >= 0 && x <= Number.MAX_SAFE_INTEGER && Math.floor(x) === x)) {
      throw new RangeError(`pay: ${x} at index ${i} is not a non-negative safe integer`);
    }
    if (x >= LIMIT) small = false;
    low[(x & 0xffff) + 1]!++; // for x < 2^32, x & 0xffff and x >>> 16 read the exact bits
    high[(x >>> 16) + 1]!++;
  }
  return small ? radixSort32(pay, low, high) : pay.slice().sort();
}

/** LSD radix sort of values in [0, 2^32) given both digit histograms: low 16 bits, then high (both stable). */
function radixSort32(pay: Float64Array, low: Uint32Array, high: Uint32Array): Float64Array {
  const n = pay.length;
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
