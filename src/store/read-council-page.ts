// A council's page (GET /orgs/:org/councils/:council) in one statement: the council's node, its first page of
// members, its mandates in force, its motions under way and its first page of past motions, each an index range of
// the council's own rows (docs/SCALE.md). On PostgreSQL one pool client and one round trip, not five waited for at
// once; and a council that is not there (unknown, another organisation's) costs that one statement, its 404
// answered from the statement's empty result.
import { sql, type Kysely } from 'kysely';
import { projectionTables } from '../core/index.ts';
import { councilMembersPage, councilNodesWith, fromJson, isPostgres, rowsAsJson } from './read-councils.ts';
import { defaultPageSize } from './paging.ts';
import {
  councilMandates,
  liveMotionStates,
  motionSummary,
  motionSummaryColumns,
  newestFirst,
  pastMotionsPage,
} from './read-repository.ts';
import type { Database, MandateRow } from './schema.ts';

type Q = Kysely<Database>;

const mandateColumns = projectionTables.mandates.columns;
type Motion = Parameters<typeof motionSummary>[0];
type Member = { id: string; name: string; joined_at: string };

/**
 * The council's page, or undefined where the organisation has no such council. `pastLimit`: the past motions
 * shown (their next page is GET …/motions).
 */
export async function getCouncilPage(q: Q, orgId: string, councilId: string, now: string, pastLimit: number) {
  const pg = isPostgres(q);
  const states = sql.join([...liveMotionStates]);
  const motions = (live: boolean, limit?: number) =>
    rowsAsJson(
      pg,
      motionSummaryColumns,
      sql`select ${sql.raw(motionSummaryColumns.join(', '))} from motions
        where org_id = ${orgId} and council_id = ${councilId} and state ${sql.raw(live ? 'in' : 'not in')} (${states})
        order by moved_at desc, id desc ${limit === undefined ? sql`` : sql`limit ${limit}`}`,
    );
  // Those in the council and those it sends, not ended (listMandates' `inForce`), each with its member's name.
  const mandates = (column: 'council_id' | 'from_council_id') =>
    rowsAsJson(
      pg,
      [...mandateColumns, 'member_name'],
      sql`select ${sql.raw(mandateColumns.map((c) => `m.${c}`).join(', '))}, p.name as member_name
        from mandates m left join members p on p.org_id = m.org_id and p.id = m.member_id
        where m.org_id = ${orgId} and m.${sql.raw(column)} = ${councilId} and m.ended_at is null`,
    );
  const {
    nodes: [council],
    row,
  } = await councilNodesWith(q, orgId, [councilId], now, {
    page_members: rowsAsJson(
      pg,
      ['id', 'name', 'joined_at'],
      sql`select p.id, p.name, p.joined_at
        from memberships s join members p on p.org_id = s.org_id and p.id = s.member_id
        where s.org_id = ${orgId} and s.council_id = ${councilId}
        order by s.member_id limit ${defaultPageSize + 1}`,
    ),
    mandates_in: mandates('council_id'),
    mandates_from: mandates('from_council_id'),
    live_motions: motions(true),
    past_motions: motions(false, pastLimit + 1),
  });
  if (!council) return undefined;
  type Named = MandateRow & { member_name: string | null };
  return {
    council,
    // sorted here: an aggregate keeps its subquery's order in practice, not by promise (read-councils.ts)
    members: councilMembersPage(
      fromJson<Member>(row.page_members).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      defaultPageSize,
    ),
    mandates: councilMandates([fromJson<Named>(row.mandates_in), fromJson<Named>(row.mandates_from)]),
    motions: fromJson<Motion>(row.live_motions).sort(newestFirst).map(motionSummary),
    past: pastMotionsPage(fromJson<Motion>(row.past_motions).sort(newestFirst), pastLimit),
  };
}
