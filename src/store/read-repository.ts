// Read models for the API, from the projection tables. Each function returns plain API-shaped objects
// (camelCase); row types stay in this folder. Rows are typed from the core's table definitions (schema.ts), so a
// column renamed there fails to compile here.
import type { Kysely } from 'kysely';
import type { DecisionSpec } from '../core/index.ts';
import type {
  AlternativeRow,
  CommentRow,
  Database,
  MandateRow,
  MotionRow,
  OrgRow,
  StatementRow,
} from './schema.ts';
import { mandateView, memberNamesOf } from './read-councils.ts';
import { defaultPageSize, limitOf } from './paging.ts';
import { viewerPart, voteCounts, type Electorates } from './read-votes.ts';

type Q = Kysely<Database>;

/** A JSON column's document (the core writes canonical JSON, RFC 8785). */
export function parseJson<T>(text: string): T {
  return JSON.parse(text);
}

const stances = ['for', 'against', 'neutral'] as const;
function stanceOf(stance: string): (typeof stances)[number] {
  const known = stances.find((s) => s === stance);
  if (known === undefined) throw new RangeError(`a comment's stance is ${stance}`);
  return known;
}

/** How a motion is decided (the core's DecisionSpec, as its projection stores it). */
export interface DecisionView {
  method: string;
  maxScore?: number;
  /** An admission motion: the fewest votes for it that carry it. */
  support?: number;
  quorum: DecisionSpec['quorum'];
  rule?: DecisionSpec['rule'];
  secret?: { trustees: string[]; threshold: number; registrationMinutes?: number };
}

export async function getOrg(q: Q, orgId: string) {
  const o = await q.selectFrom('orgs').selectAll().where('id', '=', orgId).executeTakeFirst();
  return o && orgView(o);
}

/** An `orgs` row as the API's readers take it. */
export function orgView(o: OrgRow) {
  return {
    id: o.id,
    name: o.name,
    constitution: parseJson<Record<string, unknown>>(o.constitution),
    rootCouncilId: o.root_council_id,
    foundedAt: o.founded_at,
    entries: Number(o.size),
    memberCount: Number(o.member_count),
    councilCount: Number(o.council_count),
  };
}

export async function listOrgs(q: Q) {
  return q.selectFrom('orgs').select(['id', 'name']).orderBy('name').execute();
}

/** Mandates of a council (those in it and those it sends) or of a member; `inForce`: only those not ended. */
export async function listMandates(
  q: Q,
  orgId: string,
  filter: { councilId?: string; memberId?: string; inForce?: boolean },
) {
  const { councilId, memberId, inForce } = filter;
  // Each mandate with its member's name (a key lookup per row), in the same statement.
  const query = (column?: 'council_id' | 'from_council_id') => {
    let s = q
      .selectFrom('mandates as m')
      .leftJoin('members as p', (join) =>
        join.onRef('p.org_id', '=', 'm.org_id').onRef('p.id', '=', 'm.member_id'),
      )
      .selectAll('m')
      .select('p.name as member_name')
      .where('m.org_id', '=', orgId);
    if (column) s = s.where(`m.${column}`, '=', councilId!);
    if (memberId) s = s.where('m.member_id', '=', memberId);
    if (inForce) s = s.where('m.ended_at', 'is', null);
    return s.orderBy('m.started_at').orderBy('m.id').execute();
  };
  // A council's mandates are those in it and those it sends: two index ranges (an `or` walked them all in SQLite),
  // read at once.
  return councilId
    ? councilMandates(await Promise.all([query('council_id'), query('from_council_id')]))
    : mandateViews(await query());
}

type NamedMandate = MandateRow & { member_name: string | null };

/** Mandates with their members' names, as the API shows them. */
const mandateViews = (rows: readonly NamedMandate[]) => {
  const names = new Map(rows.map((r) => [r.member_id, r.member_name ?? '']));
  return rows.map((r) => mandateView(r, names));
};

/**
 * A council's mandates from those in it and those it sends (a mandate of a council to itself is in both), in the
 * order they started.
 */
export function councilMandates(lists: readonly (readonly NamedMandate[])[]) {
  const rows = [...new Map(lists.flat().map((r) => [r.id, r])).values()].sort((a, b) =>
    a.started_at < b.started_at ? -1 : a.started_at > b.started_at ? 1 : a.id < b.id ? -1 : 1,
  );
  return mandateViews(rows);
}

export async function getMandate(q: Q, orgId: string, id: string) {
  const r = await q
    .selectFrom('mandates')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r && mandateView(r, await memberNamesOf(q, orgId, [r.member_id]));
}

/** The columns a motion's summary shows. */
export const motionSummaryColumns = [
  'id',
  'council_id',
  'kind',
  'title',
  'state',
  'mover_id',
  'moved_at',
  'vote_id',
  'adopted_alternative_id',
] as const;

export function motionSummary(r: Pick<MotionRow, (typeof motionSummaryColumns)[number]>) {
  return {
    id: r.id,
    councilId: r.council_id,
    kind: r.kind,
    title: r.title,
    state: r.state,
    moverId: r.mover_id,
    movedAt: r.moved_at,
    voteId: r.vote_id,
    adoptedAlternativeId: r.adopted_alternative_id,
  };
}

/** The states of a motion still under way: a council's page lists these whole, and its past decisions in pages. */
export const liveMotionStates = ['draft', 'seconding', 'debate', 'voting'] as const;

/** A council's motions under way, newest first (an index range on their state: docs/SCALE.md). */
export async function listMotions(q: Q, orgId: string, councilId: string) {
  const rows = await q
    .selectFrom('motions')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('council_id', '=', councilId)
    .where('state', 'in', liveMotionStates)
    .orderBy('moved_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(motionSummary);
}

/**
 * A page of a council's past motions (decided, failed, withdrawn, lapsed), newest first. The cursor is the last
 * row's `moved_at` and id (`pastMotionCursor`); a page is an index range of `(org_id, council_id, moved_at)` read
 * backwards from it, whatever the council's history.
 */
export async function listPastMotions(
  q: Q,
  orgId: string,
  councilId: string,
  page: { after?: { movedAt: string; id: string } | undefined; limit: number },
) {
  let query = q
    .selectFrom('motions')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('council_id', '=', councilId)
    .where('state', 'not in', liveMotionStates);
  const after = page.after;
  if (after !== undefined)
    query = query.where((eb) =>
      eb.or([
        eb('moved_at', '<', after.movedAt),
        eb.and([eb('moved_at', '=', after.movedAt), eb('id', '<', after.id)]),
      ]),
    );
  const rows = await query
    .orderBy('moved_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  return pastMotionsPage(rows, page.limit);
}

/** Motions newest first: by the time they were moved, then by id, both descending. */
export const newestFirst = (a: Pick<MotionRow, 'moved_at' | 'id'>, b: Pick<MotionRow, 'moved_at' | 'id'>) =>
  a.moved_at > b.moved_at ? -1 : a.moved_at < b.moved_at ? 1 : a.id > b.id ? -1 : a.id < b.id ? 1 : 0;

/** A page of past motions from up to `limit + 1` rows newest first (more: a next page, after the last shown). */
export function pastMotionsPage(rows: readonly Parameters<typeof motionSummary>[0][], limit: number) {
  const items = rows.slice(0, limit).map(motionSummary);
  const last = items[items.length - 1];
  return { motions: items, next: rows.length > limit && last ? pastMotionCursor(last) : null };
}

/** The opaque cursor after a motion in a list of past motions: its time and id. */
const pastMotionCursor = (m: { movedAt: string; id: string }) => `${m.movedAt}~${m.id}`;

/** A cursor of `listPastMotions` read back; undefined for one it did not make. */
export function readPastMotionCursor(cursor: string): { movedAt: string; id: string } | undefined {
  const at = cursor.indexOf('~');
  const movedAt = cursor.slice(0, at);
  const id = cursor.slice(at + 1);
  return at > 0 && id.length > 0 && !Number.isNaN(Date.parse(movedAt)) ? { movedAt, id } : undefined;
}

function commentView(c: CommentRow, name: (id: string) => string | null) {
  return {
    id: c.id,
    authorId: c.author_id,
    authorName: name(c.author_id),
    stance: stanceOf(c.stance),
    text: c.text,
    replyTo: c.reply_to,
    postedAt: c.posted_at,
  };
}

/**
 * Up to `limit` of a motion's comments in the order they were posted, after the comment `after` (its position read
 * by the table's key), as one index range of `comments (org_id, motion_id, position)`; `next` names the page's last
 * comment when more follow. Comments are only ever appended, so a comment posted while a member pages comes at the
 * end: no page skips or repeats one. Undefined when `after` names no comment of this motion.
 */
async function commentRows(q: Q, orgId: string, motionId: string, page: { after?: string; limit: number }) {
  let from = -1;
  if (page.after !== undefined) {
    const at = await q
      .selectFrom('comments')
      .select('position')
      .where('org_id', '=', orgId)
      .where('motion_id', '=', motionId)
      .where('id', '=', page.after)
      .executeTakeFirst();
    if (at === undefined) return undefined;
    from = Number(at.position);
  }
  const read = await q
    .selectFrom('comments')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('motion_id', '=', motionId)
    .where('position', '>', from)
    .orderBy('position')
    .limit(page.limit + 1)
    .execute();
  const rows = read.slice(0, page.limit);
  return { rows, next: read.length > page.limit ? rows[rows.length - 1]!.id : null };
}

async function motionExists(q: Q, orgId: string, motionId: string): Promise<boolean> {
  const r = await q
    .selectFrom('motions')
    .select('id')
    .where('org_id', '=', orgId)
    .where('id', '=', motionId)
    .executeTakeFirst();
  return r !== undefined;
}

/**
 * A page of a motion's comments, oldest first, with their authors' names (for the page's rows only);
 * 'no_motion' when the organisation has no such motion, 'bad_cursor' when `after` names none of its comments.
 * The motion is looked up only when the page comes back empty or its cursor names nothing.
 */
export async function getComments(
  q: Q,
  orgId: string,
  motionId: string,
  page: { after?: string | undefined; limit?: number | undefined },
) {
  const limit = limitOf(page);
  const read = await commentRows(q, orgId, motionId, {
    limit,
    ...(page.after === undefined ? {} : { after: page.after }),
  });
  if (!read || read.rows.length === 0) {
    if (!(await motionExists(q, orgId, motionId))) return 'no_motion' as const;
    if (!read) return 'bad_cursor' as const;
  }
  const names = await memberNamesOf(
    q,
    orgId,
    read.rows.map((c) => c.author_id),
  );
  return { comments: read.rows.map((c) => commentView(c, (id) => names.get(id) ?? null)), next: read.next };
}

/** A motion; its vote as counts and the result (`viewer`'s own part named), its electorate and ballots paged apart. */
export async function getMotion(
  q: Q,
  orgId: string,
  motionId: string,
  electorates: Electorates,
  viewer?: string,
) {
  const m = await q
    .selectFrom('motions')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', motionId)
    .executeTakeFirst();
  if (!m) return undefined;
  const alternatives = await q
    .selectFrom('alternatives')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('motion_id', '=', motionId)
    .orderBy('position')
    .execute();
  // The debate's first page (the rest: GET …/motions/:motion/comments?after=, commentsNext).
  const debate = (await commentRows(q, orgId, motionId, { limit: defaultPageSize }))!;
  const comments = debate.rows;
  const statements = await q
    .selectFrom('statements')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('motion_id', '=', motionId)
    .orderBy('attached_at')
    .execute();
  // Names of the people this page shows, and no one else's.
  const names = await memberNamesOf(q, orgId, [
    ...(m.mover_id === null ? [] : [m.mover_id]),
    ...alternatives.flatMap((a) => (a.candidate_id === null ? [] : [a.candidate_id])),
    ...comments.map((c) => c.author_id),
    ...statements.map((s) => s.author_id),
  ]);
  const name = (id: string | null) => (id === null ? null : (names.get(id) ?? null));
  return {
    ...motionSummary(m),
    councilName: (await getCouncilName(q, orgId, m.council_id)) ?? m.council_id,
    text: m.text,
    moverName: name(m.mover_id),
    debateOpenedAt: m.debate_opened_at,
    decision: parseJson<DecisionView>(m.decision),
    seatCouncilId: m.seat_council_id,
    mandateId: m.mandate_id,
    alternatives: alternatives.map((a: AlternativeRow) => ({
      id: a.id,
      title: a.title,
      text: a.text,
      amends: a.amends,
      candidateId: a.candidate_id,
      candidateName: name(a.candidate_id),
      proposedBy: a.proposed_by,
      proposedAt: a.proposed_at,
    })),
    comments: comments.map((c) => commentView(c, name)),
    commentsNext: debate.next,
    minorityStatements: statements.map((s: StatementRow) => ({
      id: s.id,
      authorId: s.author_id,
      authorName: name(s.author_id),
      text: s.text,
      attachedAt: s.attached_at,
    })),
    vote: m.vote_id === null ? null : ((await getVote(q, orgId, m.vote_id, electorates, viewer)) ?? null),
  };
}

/**
 * A vote: its options, times, how many may vote and have voted, whether `viewer` may vote and has, and the result
 * once closed. Its electorate and named ballots are pages of their own (read-votes.ts), so this costs the same
 * whatever the size of the electorate.
 */
export async function getVote(
  q: Q,
  orgId: string,
  voteId: string,
  electorates: Electorates,
  viewer?: string,
) {
  const v = await q
    .selectFrom('votes')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', voteId)
    .executeTakeFirst();
  if (!v) return undefined;
  const motion = await q
    .selectFrom('motions')
    .select('decision')
    .where('org_id', '=', orgId)
    .where('id', '=', v.motion_id)
    .executeTakeFirst();
  const decision = motion ? parseJson<DecisionView>(motion.decision) : null;
  const electorate = (await electorates(voteId)) ?? new Map<string, bigint>();
  const counts = await voteCounts(q, orgId, voteId, electorate);
  return {
    id: v.id,
    motionId: v.motion_id,
    councilId: v.council_id,
    secret: Boolean(decision?.secret),
    options: parseJson<string[]>(v.options),
    openedAt: v.opened_at,
    closesAt: v.closes_at,
    closedAt: v.closed_at,
    electorateSize: counts.electors,
    ballotCount: counts.ballots,
    viewer: viewer === undefined ? null : await viewerPart(q, orgId, voteId, viewer, electorate),
    result: v.result === null ? null : parseJson<CountReportView>(v.result),
    outcome: v.outcome,
    winner: v.winner,
  };
}

/** A count's report as the vote's projection stores it (src/count/report.ts CountReport). */
export interface CountReportView {
  method: string;
  winners: string[];
  ranking?: string[][];
  rounds: {
    number: number;
    tallies: Record<string, string>;
    quota?: string;
    surplus?: string;
    transfers?: Record<string, string>;
    exhausted?: string;
    elected: string[];
    excluded: string[];
    tieBreaks: {
      round: number;
      purpose: 'exclude' | 'elect' | 'order';
      among: string[];
      chosen: string;
      reason: string;
    }[];
    action?: string;
  }[];
  explanation: string[];
  seats?: number;
  tieBreak?: { kind: string; seed?: string };
  decimals?: number;
  details?: Record<string, unknown>;
}

export async function getMember(q: Q, orgId: string, memberId: string) {
  const [m, councils] = await Promise.all([
    q
      .selectFrom('members')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', memberId)
      .executeTakeFirst(),
    q
      .selectFrom('memberships')
      .select('council_id')
      .where('org_id', '=', orgId)
      .where('member_id', '=', memberId)
      .execute(),
  ]);
  if (!m) return undefined;
  return {
    id: m.id,
    name: m.name,
    joinedAt: m.joined_at,
    baseCouncilIds: councils.map((c) => c.council_id),
  };
}

export async function getInvitation(q: Q, orgId: string, invitationId: string) {
  const r = await q
    .selectFrom('invitations')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', invitationId)
    .executeTakeFirst();
  return (
    r && {
      id: r.id,
      councilId: r.council_id,
      name: r.name,
      invitedBy: r.invited_by,
      usedBy: r.used_by,
    }
  );
}

export async function getCouncilName(q: Q, orgId: string, councilId: string): Promise<string | undefined> {
  const r = await q
    .selectFrom('councils')
    .select('name')
    .where('org_id', '=', orgId)
    .where('id', '=', councilId)
    .executeTakeFirst();
  return r?.name;
}
