// A council's position in the tree's order (the order of the state's map of councils), without listing the map for
// every council: a founding of n councils projects n rows, which was O(n²) (docs/SCALE.md "Limits"). The index is
// made again when the map has changed size or holds a key the index does not, and forgotten whenever a council is
// removed: a council removed and another (or the same id) added in one batch leaves the size and the keys as they
// were, with the order changed.

const councilOrders = new WeakMap<ReadonlyMap<string, unknown>, Map<string, number>>();

export function councilPosition(councils: ReadonlyMap<string, unknown>, key: string): number {
  let index = councilOrders.get(councils);
  if (index === undefined || index.size !== councils.size || (councils.has(key) && !index.has(key))) {
    index = new Map([...councils.keys()].map((k, i) => [k, i]));
    councilOrders.set(councils, index);
  }
  return index.get(key) ?? -1;
}

/** Removes a council from the map, and the order kept for the map with it. */
export function deleteCouncil(councils: Map<string, unknown>, id: string): void {
  councils.delete(id);
  councilOrders.delete(councils);
}
