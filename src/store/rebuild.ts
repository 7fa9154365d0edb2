// `councils rebuild`: drop an organisation's projections and write them again from its log alone.
import { allKeys, apply, emptyState } from '../core/index.ts';
import type { Db } from './db.ts';
import { encodeEntry } from '../core/index.ts';
import { listOrgIds, readEntries } from './log-repository.ts';
import { clearTree, growTree } from './record-repository.ts';
import { clearProjections, writeProjections } from './projection-repository.ts';

export async function rebuildOrg(db: Db, orgId: string): Promise<{ entries: number }> {
  const state = emptyState();
  const bodies: Uint8Array[] = [];
  for await (const e of readEntries(db.kysely, orgId)) {
    apply(state, e);
    bodies.push(encodeEntry(e));
  }
  await db.kysely.transaction().execute(async (trx) => {
    // The Merkle tree's stored nodes are derived from the log too; checkpoints are signed artefacts and stay.
    await clearTree(trx, orgId);
    await growTree(trx, orgId, bodies);
    await clearProjections(trx, orgId);
    await writeProjections(trx, state, allKeys(state));
  });
  return { entries: state.size };
}

export async function rebuildAll(db: Db): Promise<{ orgId: string; entries: number }[]> {
  const out = [];
  for (const orgId of await listOrgIds(db.kysely)) out.push({ orgId, ...(await rebuildOrg(db, orgId)) });
  return out;
}
