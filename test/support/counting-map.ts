// A Map that counts what is read of it: one for each `get` or `has`, and all its entries for each walk (`values`,
// `keys`, `entries`, iteration). Put in the place of a state's map while a command is decided and applied, it shows
// whether the core finds what it needs by key or walks the whole collection (the scale tests of docs/SCALE.md).
export class CountingMap<K, V> extends Map<K, V> {
  reads = 0;
  override get(k: K): V | undefined {
    this.reads++;
    return super.get(k);
  }
  override has(k: K): boolean {
    this.reads++;
    return super.has(k);
  }
  override values(): MapIterator<V> {
    this.reads += this.size;
    return super.values();
  }
  override keys(): MapIterator<K> {
    this.reads += this.size;
    return super.keys();
  }
  override entries(): MapIterator<[K, V]> {
    this.reads += this.size;
    return super.entries();
  }
  override [Symbol.iterator](): MapIterator<[K, V]> {
    this.reads += this.size;
    return super[Symbol.iterator]();
  }
}
