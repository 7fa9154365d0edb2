// Writes the projection rows the core computes (src/core/projections.ts): an upsert per row that exists, a
// delete per row that no longer does. The same code serves live appends and `rebuild`. The core's keys name a
// row within an organisation; the store's primary keys start with org_id (migration 2026-11-27T1045-org-keys),
// since ids chosen by founders (council "all", member "ana") repeat across the organisations of an installation.
import type { Kysely, Transaction } from 'kysely';
import {
  projectRow,
  projectionTables,
  type OrgState,
  type ProjectionKey,
  type ProjectionTable,
} from '../core/index.ts';
import { byCodeUnits } from '../lib/order.ts';
import { insertRows, type Cell } from './db.ts';
import type { Database } from './schema.ts';
import { clearBoard, dumpBoard } from './secret-board.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** A table's primary key in the store: org_id, then the core's key (orgs are keyed by their id). */
export function storeKeyColumns(table: ProjectionTable): readonly string[] {
  const def: { columns: readonly string[]; keyColumns: number } = projectionTables[table];
  const key = def.columns.slice(0, def.keyColumns);
  return table === 'orgs' || key.includes('org_id') ? key : ['org_id', ...key];
}

export async function writeProjections(q: Q, state: OrgState, keys: readonly ProjectionKey[]): Promise<void> {
  if (keys.length === 0) return;
  const orgId = state.org?.id;
  if (orgId === undefined) throw new RangeError('projections of an organisation not yet founded');
  const seen = new Set<string>();
  const upserts = new Map<ProjectionTable, Cell[][]>();
  for (const { table, key } of keys) {
    const id = `${table}\u0000${key}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const row = projectRow(state, table, key);
    if (row) {
      const list = upserts.get(table) ?? [];
      list.push(projectionTables[table].columns.map((c) => row[c] ?? null));
      upserts.set(table, list);
    } else {
      const def = projectionTables[table];
      const parts =
        def.keyColumns === 1 ? [key] : [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
      let del = table === 'orgs' ? q.deleteFrom(table) : q.deleteFrom(table).where('org_id', '=', orgId);
      def.columns.slice(0, def.keyColumns).forEach((col, i) => {
        del = del.where(col as never, '=', parts[i] as never);
      });
      await del.execute();
    }
  }
  for (const [table, rows] of upserts) {
    const def = projectionTables[table];
    await insertRows(q, table, def.columns, rows, storeKeyColumns(table));
  }
}

/** Deletes every projection row of one organisation, its secret votes' boards' too (rebuild writes them again). */
export async function clearProjections(q: Q, orgId: string): Promise<void> {
  for (const table of Object.keys(projectionTables) as ProjectionTable[]) {
    const col = table === 'orgs' ? 'id' : 'org_id';
    await q.deleteFrom(table).where(col, '=', orgId).execute();
  }
  await clearBoard(q, orgId);
}

/** Every projection row of an organisation, sorted, for comparing a rebuilt store with a live one. */
export async function dumpProjections(q: Q, orgId: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [table, def] of Object.entries(projectionTables) as [
    ProjectionTable,
    { columns: readonly string[] },
  ][]) {
    const col = table === 'orgs' ? 'id' : 'org_id';
    const rows = await q.selectFrom(table).selectAll().where(col, '=', orgId).execute();
    out[table] = rows
      .map((r) => {
        const cells = new Map<string, unknown>(Object.entries(r));
        return Object.fromEntries(def.columns.map((c) => [c, cells.get(c) ?? null]));
      })
      .map((r) => [JSON.stringify(r), r] as const)
      .sort(([a], [b]) => byCodeUnits(a, b))
      .map(([, r]) => r);
  }
  return { ...out, ...(await dumpBoard(q, orgId)) };
}
