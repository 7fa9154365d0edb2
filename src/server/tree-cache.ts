// The whole council tree per organisation, kept while the log has not grown and no deputy's term has run out
// since it was built (docs/SCALE.md): the tree page and anything listing every council read it from here.
import type { Kysely } from 'kysely';
import { getCouncilTree, type CouncilNode } from '../store/read-councils.ts';
import type { Database } from '../store/schema.ts';

interface Cached {
  size: number;
  /** The first moment a deputy in it stops sitting (the tree filters by term), or null if none sits. */
  until: string | null;
  tree: CouncilNode[];
}

export class TreeCache {
  private readonly trees = new Map<string, Cached>();

  constructor(private readonly q: Kysely<Database>) {}

  async get(orgId: string, size: number, now: string): Promise<CouncilNode[]> {
    const hit = this.trees.get(orgId);
    if (hit && hit.size === size && (hit.until === null || now < hit.until)) return hit.tree;
    const tree = await getCouncilTree(this.q, orgId, now);
    let until: string | null = null;
    for (const c of tree)
      for (const d of c.deputies) if (until === null || d.termEnds < until) until = d.termEnds;
    this.trees.set(orgId, { size, until, tree });
    return tree;
  }
}
