// The transparency report without reading the whole log on every request (docs/POWER.md): one running tally
// per organisation, to which each request adds only the entries appended since the last one. The log is
// append-only and its seqs are dense, so the tally always equals transparencyReport() over the whole log —
// also with several server processes on one database, each with its own tallies.
import { TransparencyTally, type TransparencyPage, type TransparencyReport } from '../core/index.ts';
import type { Db } from '../store/database.ts';
import { readEntries } from '../store/log-repository.ts';

export class TransparencyCache {
  // A promise per organisation chains the requests, so two at once never add the same entry twice.
  private readonly tallies = new Map<string, Promise<TransparencyTally>>();

  constructor(private readonly q: Db['kysely']) {}

  async report(orgId: string): Promise<TransparencyReport> {
    return (await this.caughtUp(orgId)).report();
  }

  /** A page of the report (TransparencyTally.page), undefined for a cursor that names no council of it. */
  async page(
    orgId: string,
    p: Parameters<TransparencyTally['page']>[0],
  ): Promise<TransparencyPage | undefined> {
    return (await this.caughtUp(orgId)).page(p);
  }

  private async caughtUp(orgId: string): Promise<TransparencyTally> {
    const previous = this.tallies.get(orgId) ?? Promise.resolve(new TransparencyTally());
    const caughtUp = previous.then(async (tally) => {
      for await (const e of readEntries(this.q, orgId, tally.size)) tally.add(e);
      return tally;
    });
    // A failed read leaves the tally at a whole prefix of the log (entries are added one at a time): the next
    // request carries on from there.
    this.tallies.set(
      orgId,
      caughtUp.catch(() => previous),
    );
    return caughtUp;
  }
}
