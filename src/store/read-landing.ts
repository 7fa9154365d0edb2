// What every page load reads first (the web app's landing: GET /me and GET /orgs/:org), each in one statement: on
// PostgreSQL one pool client and one round trip, not one client per read waited for at once (under load each
// client is a wake-up: GET /me's seven reads at once were its p99 of 594 ms at 1,000,000 members, docs/SCALE.md).
// Every part is a key lookup or an index range of the member's own rows, so it costs the same at any size.
import { sql, type Kysely } from 'kysely';
import { projectionTables } from '../core/index.ts';
import { pendingAdmissionOf } from './read-admissions.ts';
import { fromJson, isPostgres, mandateView, myCouncilsWith, rowsAsJson } from './read-councils.ts';
import { orgView } from './read-repository.ts';
import type { Database, MandateRow, OrgRow } from './schema.ts';

type Q = Kysely<Database>;

const orgColumns = projectionTables.orgs.columns;
const mandateColumns = projectionTables.mandates.columns;
const byStart = (a: MandateRow, b: MandateRow) =>
  a.started_at < b.started_at ? -1 : a.started_at > b.started_at ? 1 : a.id < b.id ? -1 : 1;

/**
 * GET /me's reads in one statement: the member and their base councils, the organisation's name, their mandates,
 * their language, whether they wait on an admission, and recalls of their mandates under way. A person waiting on
 * an admission (before they are admitted) costs more statements: the admission's view reads its motion and names.
 */
export async function getMe(q: Q, orgId: string, memberId: string, now: string) {
  const pg = isPostgres(q);
  const { rows } = await sql<Record<string, unknown>>`select
      ${rowsAsJson(pg, ['id', 'name', 'joined_at'], sql`select id, name, joined_at from members where org_id = ${orgId} and id = ${memberId}`)} as member,
      ${rowsAsJson(pg, ['council_id'], sql`select council_id from memberships where org_id = ${orgId} and member_id = ${memberId}`)} as bases,
      ${rowsAsJson(pg, ['id', 'name'], sql`select id, name from orgs where id = ${orgId}`)} as org,
      ${rowsAsJson(
        pg,
        mandateColumns,
        sql`select ${sql.raw(mandateColumns.join(', '))} from mandates where org_id = ${orgId} and member_id = ${memberId}`,
      )} as mandates,
      ${rowsAsJson(pg, ['locale'], sql`select locale from member_locales where org_id = ${orgId} and member_id = ${memberId}`)} as locale,
      ${rowsAsJson(
        pg,
        ['invitation_id'],
        sql`select invitation_id from admissions where org_id = ${orgId} and member_id = ${memberId} and admitted_at is null`,
      )} as admission,
      ${rowsAsJson(
        pg,
        ['id', 'title', 'state', 'debate_opened_at', 'moved_at'],
        sql`select r.id, r.title, r.state, r.debate_opened_at, r.moved_at from motions r
          where r.org_id = ${orgId} and r.kind = 'recall' and r.state in ('debate', 'voting')
            and r.mandate_id in (select m.id from mandates m where m.org_id = ${orgId} and m.member_id = ${memberId})`,
      )} as recalls`.execute(q);
  const row = rows[0]!;
  const [m] = fromJson<{ id: string; name: string; joined_at: string }>(row.member);
  const [o] = fromJson<{ id: string; name: string }>(row.org);
  if (!m || !o) return undefined;
  const member = {
    id: m.id,
    name: m.name,
    joinedAt: m.joined_at,
    baseCouncilIds: fromJson<{ council_id: string }>(row.bases).map((b) => b.council_id),
  };
  // The member's own mandates, their name on each: sorted here (an aggregate keeps its subquery's order by
  // practice, not promise).
  const names = new Map([[m.id, m.name]]);
  const mandates = fromJson<MandateRow>(row.mandates)
    .sort(byStart)
    .map((r) => mandateView(r, names));
  const recalls = fromJson<{
    id: string;
    title: string;
    state: string;
    debate_opened_at: string | null;
    moved_at: string;
  }>(row.recalls)
    .sort((a, b) => (a.moved_at < b.moved_at ? -1 : a.moved_at > b.moved_at ? 1 : a.id < b.id ? -1 : 1))
    .map((r) => ({ motionId: r.id, title: r.title, state: r.state, debateOpenedAt: r.debate_opened_at }));
  const admission =
    fromJson(row.admission).length > 0 ? await pendingAdmissionOf(q, orgId, memberId, now) : undefined;
  return {
    member,
    org: o,
    mandates,
    locale: fromJson<{ locale: string }>(row.locale)[0]?.locale,
    admission,
    recalls,
  };
}

/**
 * GET /orgs/:org's reads in one statement: the organisation's row (with its member and council counts, kept there
 * by every entry: no catching up with the log to count) and the member's councils with those above them.
 */
export async function getLanding(q: Q, orgId: string, memberId: string, now: string) {
  const { mine, councils, row } = await myCouncilsWith(q, orgId, memberId, now, {
    org: rowsAsJson(isPostgres(q), orgColumns, sql`select * from orgs where id = ${orgId}`),
  });
  const [o] = fromJson<OrgRow>(row.org);
  return { org: o && orgView(o), mine, councils };
}
