// Indexes for the power lists read a page at a time (issue #18, docs/SCALE.md "Lists a page at a time"): each page
// of the requests, of the acts committees carried out, of a council's petitions and of a petition's signatures is
// one range of one of these, read from just after the row its cursor names, whatever the organisation's history.
//
// On PostgreSQL a plain CREATE INDEX holds writes to its table while it reads it (these tables grow with the
// organisation's petitions and requests, not with its members: well under a second at a million rows); an operator
// may build them first with CREATE INDEX CONCURRENTLY and the same definitions, and this migration finds them there.
import { sql, type Kysely } from 'kysely';

/** The acts committees carried out; the same words as the store's query (src/store/read-power.ts). */
const committeeActs = sql<boolean>`${sql.raw(`authority like '{"by":"committee"%' and state <> 'pending'`)}`;

const indexes: { name: string; table: string; columns: string[]; where?: typeof committeeActs }[] = [
  // requests newest first: all of them, of one state, the committees' acts
  {
    name: 'privileged_requests_time_idx',
    table: 'privileged_requests',
    columns: ['org_id', 'requested_at', 'id'],
  },
  {
    name: 'privileged_requests_state_time_idx',
    table: 'privileged_requests',
    columns: ['org_id', 'state', 'requested_at', 'id'],
  },
  {
    name: 'privileged_requests_committee_acts_idx',
    table: 'privileged_requests',
    columns: ['org_id', 'requested_at', 'id'],
    where: committeeActs,
  },
  // petitions newest first: all of them, of the council whose members sign, of the council a rising one is for
  { name: 'petitions_time_idx', table: 'petitions', columns: ['org_id', 'opened_at', 'id'] },
  { name: 'petitions_council_idx', table: 'petitions', columns: ['org_id', 'council_id', 'opened_at', 'id'] },
  {
    name: 'petitions_target_idx',
    table: 'petitions',
    columns: ['org_id', 'target_council_id', 'opened_at', 'id'],
  },
  // a petition's signatures in the order they were made (with their council: its counts by council from the index)
  {
    name: 'petition_signatures_time_idx',
    table: 'petition_signatures',
    columns: ['org_id', 'petition_id', 'signed_at', 'member_id', 'council_id'],
  },
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const { name, table, columns, where } of indexes) {
    const create = db.schema.createIndex(name).ifNotExists().on(table).columns(columns);
    await (where ? create.where(where) : create).execute();
  }
}
