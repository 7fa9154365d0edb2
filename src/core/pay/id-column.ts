// Worker ids as one column: UTF-8 bytes end to end plus end offsets. Fifteen million separate strings would cost
// ~600 MB of heap and make every full garbage collection mark them all; this costs the bytes plus 4 per id.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class IdColumn {
  private constructor(
    readonly length: number,
    private readonly bytes: Uint8Array,
    private readonly ends: Uint32Array,
  ) {}

  static from(ids: Iterable<string>): IdColumn {
    const b = new IdColumnBuilder();
    for (const id of ids) b.push(id);
    return b.build();
  }

  /** Built by IdColumnBuilder. */
  static fromParts(length: number, bytes: Uint8Array, ends: Uint32Array): IdColumn {
    return new IdColumn(length, bytes, ends);
  }

  get(i: number): string {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) throw new RangeError(`i: no id at index ${i}`);
    const start = i === 0 ? 0 : (this.ends[i - 1] as number);
    return decoder.decode(this.bytes.subarray(start, this.ends[i]));
  }

  *[Symbol.iterator](): Generator<string> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }
}

export class IdColumnBuilder {
  private bytes = new Uint8Array(1 << 16);
  private ends = new Uint32Array(1 << 12);
  private used = 0;
  private count = 0;

  push(id: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (this.used + 3 * id.length > this.bytes.length)
      this.bytes = grow(this.bytes, this.used + 3 * id.length);
    if (this.count === this.ends.length) this.ends = grow(this.ends, this.count + 1);
    this.used += encoder.encodeInto(id, this.bytes.subarray(this.used)).written;
    if (this.used > 0xffff_ffff) throw new RangeError('ids: more than 4 GiB of ids');
    this.ends[this.count++] = this.used;
  }

  build(): IdColumn {
    return IdColumn.fromParts(this.count, this.bytes.slice(0, this.used), this.ends.slice(0, this.count));
  }
}

function grow<T extends Uint8Array | Uint32Array>(a: T, need: number): T {
  let size = a.length * 2;
  while (size < need) size *= 2;
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}
