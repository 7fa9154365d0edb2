// Loads items a few at a time ahead of the consumer, in order: tiles and entry bundles over HTTP arrive in
// parallel while the verifier hashes the previous ones.

export async function* prefetch<T, R>(
  items: readonly T[],
  load: (item: T) => Promise<R>,
  ahead = 8,
): AsyncGenerator<[T, R]> {
  const pending: Promise<R>[] = [];
  let next = 0;
  for (const item of items) {
    while (pending.length < ahead && next < items.length) {
      const p = load(items[next++]!);
      p.catch(() => undefined); // awaited below; this only keeps an abandoned prefetch from being "unhandled"
      pending.push(p);
    }
    yield [item, await pending.shift()!];
  }
}
