// Names for the members and councils a page shows (approvers, trustees, committee members, petition signers, the
// councils acts and requests name): asked of GET /orgs/:org/names for the ids the page renders, 200 at a time, and
// kept for the organisation; never a list of everyone (docs/SCALE.md). An id whose name has not come yet, or that
// names nobody, reads as itself. Choosing someone or some council is the pickers' (search-picker.tsx).
import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import type { Names, Org } from '../types.ts';

/** Ids per GET …/names (the server's bound). */
const perRequest = 200;

type Kind = 'members' | 'councils';

export class Directory {
  private readonly known: Record<Kind, Map<string, string>> = { members: new Map(), councils: new Map() };
  /** Ids rendered without a name and not yet asked for. */
  private readonly wanted: Record<Kind, Set<string>> = { members: new Set(), councils: new Set() };
  private readonly asked: Record<Kind, Set<string>> = { members: new Set(), councils: new Set() };

  /** The components showing names from this book, rendered again when names come. */
  readonly listeners = new Set<() => void>();

  constructor(
    readonly orgId: string,
    seed: Org['councils'],
  ) {
    for (const c of seed) this.known.councils.set(c.id, c.name);
  }

  private lookup(kind: Kind, id: string): string {
    const name = this.known[kind].get(id);
    if (name !== undefined) return name;
    if (!this.asked[kind].has(id)) this.wanted[kind].add(id);
    return id;
  }

  /** A member's name (their id until it has come). */
  name(id: string): string {
    return this.lookup('members', id);
  }
  names(ids: readonly string[]): string {
    return ids.map((id) => this.name(id)).join(', ');
  }
  /** A council's name (its id until it has come). */
  council(id: string): string {
    return this.lookup('councils', id);
  }
  /** Names learnt elsewhere (a picker's choice), so they are not asked for again. */
  learn(kind: Kind, id: string, name: string): void {
    this.known[kind].set(id, name);
  }

  /** Asks for the names rendered since the last call; the page renders again when they come. */
  async fetchWanted(): Promise<void> {
    const members = [...this.wanted.members];
    const councils = [...this.wanted.councils];
    this.wanted.members.clear();
    this.wanted.councils.clear();
    for (const id of members) this.asked.members.add(id);
    for (const id of councils) this.asked.councils.add(id);
    const requests: Promise<void>[] = [];
    for (let i = 0; i < Math.max(members.length, councils.length); i += perRequest) {
      const query = new URLSearchParams();
      const m = members.slice(i, i + perRequest);
      const c = councils.slice(i, i + perRequest);
      if (m.length > 0) query.set('members', m.join(','));
      if (c.length > 0) query.set('councils', c.join(','));
      requests.push(
        api.get<Names>(`/orgs/${encodeURIComponent(this.orgId)}/names?${query}`).then((names) => {
          for (const [id, name] of Object.entries(names.members)) this.known.members.set(id, name);
          for (const [id, name] of Object.entries(names.councils)) this.known.councils.set(id, name);
        }),
      );
    }
    if (requests.length === 0) return;
    await Promise.allSettled(requests);
    for (const listener of this.listeners) listener();
  }
}

/** The book of the organisation shown: one for the session, shared by every component that names someone. */
let book: Directory | null = null;

/**
 * The names book of the signed-in member's organisation, seeded with the councils GET /orgs/:org carried (their
 * own and those above them). `data` is always there (`error` is kept for the pages' old shape). A name changed
 * since it was read shows as it was until the page is loaded again.
 */
export function useDirectory(org: Org): { data: Directory; error: undefined } {
  const [, setVersion] = useState(0);
  if (book?.orgId !== org.id) book = new Directory(org.id, org.councils);
  const current = book;
  useEffect(() => {
    const listener = () => setVersion((v) => v + 1);
    current.listeners.add(listener);
    // Names that came between this component's first render and now (asked for by another) show at once.
    listener();
    return () => {
      current.listeners.delete(listener);
    };
  }, [current]);
  // After every render: ask for whatever it named that is not known yet (nothing, once the names have come).
  useEffect(() => {
    void current.fetchWanted();
  });
  return { data: current, error: undefined };
}
