// Names for the members of the organisation: the members of every base council (GET …/councils/:id), so
// approvers, trustees and committee members read as names. A member not found keeps their id.
import { api } from '../api.ts';
import { useLoad } from '../components/form.tsx';
import type { Council, Org } from '../types.ts';

export interface Person {
  id: string;
  name: string;
  councilId: string;
}

export function useDirectory(org: Org) {
  return useLoad(async () => {
    const bases = org.councils.filter((c) => c.kind === 'base');
    const councils = await Promise.all(
      bases.map((c) =>
        api.get<Council>(`/orgs/${encodeURIComponent(org.id)}/councils/${encodeURIComponent(c.id)}`),
      ),
    );
    return new Directory(
      councils.flatMap((c) => c.members.map((m) => ({ id: m.id, name: m.name, councilId: c.id }))),
    );
  }, [org.id, org.entries]);
}

export class Directory {
  private readonly byId: Map<string, Person>;
  constructor(readonly people: Person[]) {
    this.byId = new Map(people.map((p) => [p.id, p]));
  }
  name(id: string): string {
    return this.byId.get(id)?.name ?? id;
  }
  names(ids: readonly string[]): string {
    return ids.map((id) => this.name(id)).join(', ');
  }
}
