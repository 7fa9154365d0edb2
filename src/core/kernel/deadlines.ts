// Open items by their deadline (docs/SCALE.md "The scheduler's scans"): what the scheduler asks every second ("which
// votes, petitions, requests, mandates … are due now?") is read from here in O(due + log n) instead of by walking
// every item the organisation ever had. An item is filed while it is open and dropped when it ends; its place in the
// answer is the order in which it was first filed, so that an index kept by `apply` as items open answers in the
// order of the state's maps, as the scans it replaces did. Times are compared as strings, as the scans compare them.
import btree from 'sorted-btree';

// sorted-btree is CommonJS (`exports.default = BTree`): Node's loader gives its default import as the module object,
// whose `default` is the class; a bundler (the web app's Vite, whose type check reads this file too) gives the class.
type ClassOf<M> = M extends { default: infer C } ? C : M;
const BTree = ((btree as { default?: unknown }).default ?? btree) as ClassOf<typeof btree>;

/** A deadline and the item's place (its first filing), so that two items due at the same time are both kept. */
type Key = readonly [at: string, place: number];

const byTime = (a: Key, b: Key): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]);

interface Slot {
  place: number;
  at: string | null;
}

export class Deadlines<Id extends string | number = string> {
  private next = 0;
  private readonly slots = new Map<Id, Slot>();
  private readonly byTime = new BTree<Key, Id>(undefined, byTime);

  /**
   * Files an open item as due at `at` (null: open, but not due by time until filed again with a time). Its place
   * is kept from its first filing.
   */
  file(id: Id, at: string | null): void {
    let slot = this.slots.get(id);
    if (!slot) this.slots.set(id, (slot = { place: this.next++, at: null }));
    else if (slot.at === at) return;
    else if (slot.at !== null) this.byTime.delete([slot.at, slot.place]);
    slot.at = at;
    if (at !== null) this.byTime.set([at, slot.place], id);
  }

  /** The item has ended: it is never due again. */
  drop(id: Id): void {
    const slot = this.slots.get(id);
    if (!slot) return;
    if (slot.at !== null) this.byTime.delete([slot.at, slot.place]);
    this.slots.delete(id);
  }

  has(id: Id): boolean {
    return this.slots.has(id);
  }

  /** How many items are open. */
  get size(): number {
    return this.slots.size;
  }

  /** Every open item, in the order they were first filed. */
  open(): IterableIterator<Id> {
    return this.slots.keys();
  }

  /**
   * The items filed at a time at or before `now` (and that `keep` keeps), in the order they were first filed: the
   * ones due come first in the tree, so this reads them and one more.
   */
  due(now: string, keep?: (id: Id) => boolean): Id[] {
    return this.upTo(now, keep);
  }

  /** Every item filed with a time (and that `keep` keeps), in the order they were first filed. */
  timed(keep?: (id: Id) => boolean): Id[] {
    return this.upTo(null, keep);
  }

  private upTo(now: string | null, keep?: (id: Id) => boolean): Id[] {
    const found: [number, Id][] = [];
    for (const [[at, place], id] of this.byTime.entries()) {
      if (now !== null && at > now) break;
      if (!keep || keep(id)) found.push([place, id]);
    }
    return found.sort((a, b) => a[0] - b[0]).map(([, id]) => id);
  }
}
