// The whole council tree per organisation, kept while the log has not grown and no deputy's term has run out
// since it was built (docs/SCALE.md): the tree page and anything listing every council read it from here. The tree
// page takes it a page at a time, in the order it is drawn (each council before its children: a page never names a
// parent the pages before it did not hold), the cursor being the last council's id.
import type { Kysely } from 'kysely';
import { getCouncilTree, type CouncilNode } from '../store/read-councils.ts';
import type { Database } from '../store/schema.ts';

interface Cached {
  size: number;
  /** The first moment a deputy in it stops sitting (the tree filters by term), or null if none sits. */
  until: string | null;
  tree: CouncilNode[];
  /** The tree drawn top-down: each council, then its children's subtrees in their order. */
  drawn: CouncilNode[];
  /** A council's place in `drawn`. */
  at: Map<string, number>;
}

/** A page of the tree in drawing order, the names of the councils it names (parents, deputies' councils). */
export interface TreePage {
  councils: CouncilNode[];
  next: string | null;
  councilNames: Record<string, string>;
}

export class TreeCache {
  private readonly trees = new Map<string, Cached>();

  /** `q` is where a tree not cached for this size is read: the primary, or a replica holding `size` entries. */
  async get(q: Kysely<Database>, orgId: string, size: number, now: string): Promise<CouncilNode[]> {
    return (await this.cached(q, orgId, size, now)).tree;
  }

  /**
   * The `limit` councils drawn after the council `after` (from the root without it); undefined when `after` names
   * no council of the tree (a cursor this did not make, or a council dissolved since).
   */
  async page(
    q: Kysely<Database>,
    orgId: string,
    size: number,
    now: string,
    after: string | undefined,
    limit: number,
  ): Promise<TreePage | undefined> {
    const { drawn, at } = await this.cached(q, orgId, size, now);
    const from = after === undefined ? 0 : at.get(after);
    if (from === undefined) return undefined;
    const start = after === undefined ? 0 : from + 1;
    const councils = drawn.slice(start, start + limit);
    const named = new Set<string>();
    for (const c of councils) {
      if (c.parentId !== null) named.add(c.parentId);
      for (const d of c.deputies) named.add(d.fromCouncilId);
    }
    const councilNames: Record<string, string> = {};
    for (const id of named) {
      const i = at.get(id);
      if (i !== undefined) councilNames[id] = drawn[i]!.name;
    }
    const next = start + limit < drawn.length ? councils[councils.length - 1]!.id : null;
    return { councils, next, councilNames };
  }

  private async cached(q: Kysely<Database>, orgId: string, size: number, now: string): Promise<Cached> {
    const hit = this.trees.get(orgId);
    if (hit && hit.size === size && (hit.until === null || now < hit.until)) return hit;
    const tree = await getCouncilTree(q, orgId, now);
    let until: string | null = null;
    for (const c of tree)
      for (const d of c.deputies) if (until === null || d.termEnds < until) until = d.termEnds;
    const drawn = drawnOrder(tree);
    const cached = { size, until, tree, drawn, at: new Map(drawn.map((c, i) => [c.id, i])) };
    this.trees.set(orgId, cached);
    return cached;
  }
}

/** The councils top-down, each before its children's subtrees, roots in the tree's order: O(councils). */
function drawnOrder(tree: readonly CouncilNode[]): CouncilNode[] {
  const byId = new Map(tree.map((c) => [c.id, c]));
  const out: CouncilNode[] = [];
  const stack = tree.filter((c) => c.parentId === null || !byId.has(c.parentId)).reverse();
  while (stack.length > 0) {
    const c = stack.pop()!;
    out.push(c);
    for (let i = c.childIds.length - 1; i >= 0; i--) {
      const child = byId.get(c.childIds[i]!);
      if (child) stack.push(child);
    }
  }
  return out;
}
