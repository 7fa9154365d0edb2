// `councils rebuild`: drop an organisation's projections and write them again from its log alone, in one
// transaction.
import { allKeys, apply, emptyState, settleVotes, settlingBallotKeys, type Entry } from '../core/index.ts';
import type { Db } from './db.ts';
import { encodeEntry } from '../core/index.ts';
import { listOrgIds, readEntries } from './log-repository.ts';
import { clearTree, growTree } from './record-repository.ts';
import { clearProjections, writeProjections } from './projection-repository.ts';
import { keepClosingSums, writeBoardRows } from './secret-board.ts';

export async function rebuildOrg(db: Db, orgId: string): Promise<{ entries: number }> {
  const state = emptyState();
  const bodies: Uint8Array[] = [];
  await db.kysely.transaction().execute(async (trx) => {
    await clearProjections(trx, orgId);
    // a secret vote's board rows, as the live append writes them (secret-board.ts), a page of entries at a time
    let page: Entry[] = [];
    for await (const e of readEntries(trx, orgId)) {
      apply(state, e);
      bodies.push(encodeEntry(e));
      page.push(e);
      if (page.length === 5000) {
        await writeBoardRows(trx, orgId, page);
        page = [];
      }
      // A closed vote keeps its counts, not its ballots (src/core/votes/settled.ts): its ballot rows are written
      // now, from the state that still holds them, and the rest at the end from the state the whole log made.
      if (state.settling.length === 0) continue;
      const ballots = settlingBallotKeys(state).map((key) => ({ table: 'ballots' as const, key }));
      await writeProjections(trx, state, ballots);
      // …and a homomorphic vote's sums, from its board (the live close kept the same ones)
      await keepClosingSums(trx, orgId, state);
      settleVotes(state);
    }
    await writeBoardRows(trx, orgId, page);
    // The Merkle tree's stored nodes are derived from the log too; checkpoints are signed artefacts and stay.
    await clearTree(trx, orgId);
    await growTree(trx, orgId, bodies);
    await writeProjections(trx, state, allKeys(state));
  });
  return { entries: state.size };
}

export async function rebuildAll(db: Db): Promise<{ orgId: string; entries: number }[]> {
  const out = [];
  for (const orgId of await listOrgIds(db.kysely)) out.push({ orgId, ...(await rebuildOrg(db, orgId)) });
  return out;
}
