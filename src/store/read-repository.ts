// Read models for the API, from the projection tables. Each function returns plain API-shaped objects
// (camelCase); row types stay in this folder. Rows are typed from the core's table definitions (schema.ts), so a
// column renamed there fails to compile here.
import type { Kysely } from 'kysely';
import type { DecisionSpec } from '../core/index.ts';
import type { AlternativeRow, CommentRow, Database, MandateRow, MotionRow, StatementRow } from './schema.ts';

type Q = Kysely<Database>;

/** A JSON column's document (the core writes canonical JSON, RFC 8785). */
export function parseJson<T>(text: string): T {
  return JSON.parse(text);
}

/** An open ballot's choice for ballots of one choice (majority, plurality); null for others and to abstain. */
function choiceOf(ballot: string): string | null {
  const content: { choice?: unknown } = parseJson(ballot);
  return typeof content.choice === 'string' ? content.choice : null;
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
  if (!o) return undefined;
  return {
    id: o.id,
    name: o.name,
    constitution: parseJson<Record<string, unknown>>(o.constitution),
    rootCouncilId: o.root_council_id,
    foundedAt: o.founded_at,
    entries: Number(o.size),
  };
}

export async function listOrgs(q: Q) {
  return q.selectFrom('orgs').select(['id', 'name']).orderBy('name').execute();
}

function mandateView(r: MandateRow, names: Map<string, string>) {
  return {
    id: r.id,
    memberId: r.member_id,
    memberName: names.get(r.member_id) ?? '',
    councilId: r.council_id,
    fromCouncilId: r.from_council_id,
    startedAt: r.started_at,
    termEnds: r.term_ends,
    endedAt: r.ended_at,
    endReason: r.end_reason,
  };
}

async function memberNames(q: Q, orgId: string): Promise<Map<string, string>> {
  const rows = await q.selectFrom('members').select(['id', 'name']).where('org_id', '=', orgId).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The council tree: every council with its seats, its sitting deputies and when their terms end. */
export async function getCouncilTree(q: Q, orgId: string, now: string) {
  const councils = await q
    .selectFrom('councils')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('position')
    .execute();
  const names = await memberNames(q, orgId);
  const mandates = await q
    .selectFrom('mandates')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('ended_at', 'is', null)
    .where('term_ends', '>', now)
    .execute();
  const memberships = await q
    .selectFrom('memberships')
    .select(['council_id'])
    .where('org_id', '=', orgId)
    .execute();
  return councils.map((c) => {
    const id = c.id;
    const isBase = !councils.some((x) => x.parent_id === id);
    const sitting = mandates.filter((m) => m.council_id === id).map((m) => mandateView(m, names));
    const sent = mandates.filter((m) => m.from_council_id === id).map((m) => mandateView(m, names));
    return {
      id,
      name: c.name,
      parentId: c.parent_id,
      childIds: councils.filter((y) => y.parent_id === id).map((y) => y.id),
      kind: isBase ? ('base' as const) : ('higher' as const),
      seatsInParent: Number(c.seats_in_parent),
      memberCount: isBase ? memberships.filter((m) => m.council_id === id).length : sitting.length,
      deputies: sitting,
      sentDeputies: sent,
    };
  });
}

export async function getCouncilMembers(q: Q, orgId: string, councilId: string) {
  const rows = await q
    .selectFrom('memberships')
    .innerJoin('members', (join) =>
      join
        .onRef('members.id', '=', 'memberships.member_id')
        .onRef('members.org_id', '=', 'memberships.org_id'),
    )
    .select(['members.id as id', 'members.name as name', 'members.joined_at as joined_at'])
    .where('memberships.council_id', '=', councilId)
    .where('memberships.org_id', '=', orgId)
    .orderBy('members.name')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, joinedAt: r.joined_at }));
}

export async function listMandates(q: Q, orgId: string, filter: { councilId?: string; memberId?: string }) {
  let query = q.selectFrom('mandates').selectAll().where('org_id', '=', orgId);
  const { councilId, memberId } = filter;
  if (councilId) {
    query = query.where((eb) =>
      eb.or([eb('council_id', '=', councilId), eb('from_council_id', '=', councilId)]),
    );
  }
  if (memberId) query = query.where('member_id', '=', memberId);
  const rows = await query.orderBy('started_at').execute();
  const names = await memberNames(q, orgId);
  return rows.map((r) => mandateView(r, names));
}

export async function getMandate(q: Q, orgId: string, id: string) {
  const r = await q
    .selectFrom('mandates')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r && mandateView(r, await memberNames(q, orgId));
}

function motionSummary(r: MotionRow) {
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

export async function listMotions(q: Q, orgId: string, councilId: string) {
  const rows = await q
    .selectFrom('motions')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('council_id', '=', councilId)
    .orderBy('moved_at', 'desc')
    .execute();
  return rows.map(motionSummary);
}

export async function getMotion(q: Q, orgId: string, motionId: string) {
  const m = await q
    .selectFrom('motions')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', motionId)
    .executeTakeFirst();
  if (!m) return undefined;
  const names = await memberNames(q, orgId);
  const name = (id: string | null) => (id === null ? null : (names.get(id) ?? null));
  const alternatives = await q
    .selectFrom('alternatives')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('motion_id', '=', motionId)
    .orderBy('position')
    .execute();
  const comments = await q
    .selectFrom('comments')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('motion_id', '=', motionId)
    .orderBy('position')
    .execute();
  const statements = await q
    .selectFrom('statements')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('motion_id', '=', motionId)
    .orderBy('attached_at')
    .execute();
  return {
    ...motionSummary(m),
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
    comments: comments.map((c: CommentRow) => ({
      id: c.id,
      authorId: c.author_id,
      authorName: name(c.author_id),
      stance: stanceOf(c.stance),
      text: c.text,
      replyTo: c.reply_to,
      postedAt: c.posted_at,
    })),
    minorityStatements: statements.map((s: StatementRow) => ({
      id: s.id,
      authorId: s.author_id,
      authorName: name(s.author_id),
      text: s.text,
      attachedAt: s.attached_at,
    })),
    vote: m.vote_id === null ? null : ((await getVote(q, orgId, m.vote_id)) ?? null),
  };
}

/** A roll-call vote: who may vote, who voted what (open ballots are named), and the result once closed. */
export async function getVote(q: Q, orgId: string, voteId: string) {
  const v = await q
    .selectFrom('votes')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', voteId)
    .executeTakeFirst();
  if (!v) return undefined;
  const names = await memberNames(q, orgId);
  const electors = await q
    .selectFrom('electors')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('vote_id', '=', voteId)
    .execute();
  const ballots = await q
    .selectFrom('ballots')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('vote_id', '=', voteId)
    .orderBy('cast_at')
    .execute();
  const motion = await q
    .selectFrom('motions')
    .select('decision')
    .where('org_id', '=', orgId)
    .where('id', '=', v.motion_id)
    .executeTakeFirst();
  const decision = motion ? parseJson<DecisionView>(motion.decision) : null;
  return {
    id: v.id,
    motionId: v.motion_id,
    councilId: v.council_id,
    secret: Boolean(decision?.secret),
    options: parseJson<string[]>(v.options),
    openedAt: v.opened_at,
    closesAt: v.closes_at,
    closedAt: v.closed_at,
    electorate: electors
      .map((e) => ({ memberId: e.member_id, name: names.get(e.member_id) ?? '', weight: e.weight }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    ballots: ballots.map((b) => ({
      memberId: b.member_id,
      name: names.get(b.member_id) ?? '',
      choice: choiceOf(b.ballot),
      castAt: b.cast_at,
    })),
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
  const m = await q
    .selectFrom('members')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', memberId)
    .executeTakeFirst();
  if (!m) return undefined;
  const councils = await q
    .selectFrom('memberships')
    .select('council_id')
    .where('org_id', '=', orgId)
    .where('member_id', '=', memberId)
    .execute();
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
