// Read models for the API, from the projection tables. Each function returns plain API-shaped objects
// (camelCase); row types stay in this folder.
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

type Q = Kysely<Database>;
type R = Record<string, string | number | null>;

const parse = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : null);
const str = (v: unknown): string => String(v);
const opt = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export async function getOrg(q: Q, orgId: string) {
  const o = (await q.selectFrom('orgs').selectAll().where('id', '=', orgId).executeTakeFirst()) as
    R | undefined;
  if (!o) return undefined;
  return {
    id: str(o.id),
    name: str(o.name),
    constitution: parse(o.constitution),
    rootCouncilId: str(o.root_council_id),
    foundedAt: str(o.founded_at),
    entries: Number(o.size),
  };
}

export async function listOrgs(q: Q) {
  const rows = (await q.selectFrom('orgs').select(['id', 'name']).orderBy('name').execute()) as R[];
  return rows.map((r) => ({ id: str(r.id), name: str(r.name) }));
}

function mandateView(r: R, names: Map<string, string>) {
  return {
    id: str(r.id),
    memberId: str(r.member_id),
    memberName: names.get(str(r.member_id)) ?? '',
    councilId: str(r.council_id),
    fromCouncilId: str(r.from_council_id),
    startedAt: str(r.started_at),
    termEnds: str(r.term_ends),
    endedAt: opt(r.ended_at),
    endReason: opt(r.end_reason),
  };
}

async function memberNames(q: Q, orgId: string): Promise<Map<string, string>> {
  const rows = (await q
    .selectFrom('members')
    .select(['id', 'name'])
    .where('org_id', '=', orgId)
    .execute()) as R[];
  return new Map(rows.map((r) => [str(r.id), str(r.name)]));
}

/** The council tree: every council with its seats, its sitting deputies and when their terms end. */
export async function getCouncilTree(q: Q, orgId: string, now: string) {
  const councils = (await q
    .selectFrom('councils')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('position')
    .execute()) as R[];
  const names = await memberNames(q, orgId);
  const mandates = (await q
    .selectFrom('mandates')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('ended_at', 'is', null)
    .where('term_ends', '>', now)
    .execute()) as R[];
  const memberships = (await q
    .selectFrom('memberships')
    .select(['council_id'])
    .where('org_id', '=', orgId)
    .execute()) as R[];
  const ids = councils.map((c) => str(c.id));
  return councils.map((c) => {
    const id = str(c.id);
    const isBase = !councils.some((x) => x.parent_id === id);
    const sitting = mandates.filter((m) => m.council_id === id).map((m) => mandateView(m, names));
    const sent = mandates.filter((m) => m.from_council_id === id).map((m) => mandateView(m, names));
    return {
      id,
      name: str(c.name),
      parentId: opt(c.parent_id),
      childIds: ids.filter((x) => councils.find((y) => y.id === x)!.parent_id === id),
      kind: isBase ? ('base' as const) : ('higher' as const),
      seatsInParent: Number(c.seats_in_parent),
      memberCount: isBase ? memberships.filter((m) => m.council_id === id).length : sitting.length,
      deputies: sitting,
      sentDeputies: sent,
    };
  });
}

export async function getCouncilMembers(q: Q, orgId: string, councilId: string) {
  const rows = (await q
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
    .execute()) as R[];
  return rows.map((r) => ({ id: str(r.id), name: str(r.name), joinedAt: str(r.joined_at) }));
}

export async function listMandates(q: Q, orgId: string, filter: { councilId?: string; memberId?: string }) {
  let query = q.selectFrom('mandates').selectAll().where('org_id', '=', orgId);
  if (filter.councilId) {
    query = query.where((eb) =>
      eb.or([eb('council_id', '=', filter.councilId!), eb('from_council_id', '=', filter.councilId!)]),
    );
  }
  if (filter.memberId) query = query.where('member_id', '=', filter.memberId);
  const rows = (await query.orderBy('started_at').execute()) as R[];
  const names = await memberNames(q, orgId);
  return rows.map((r) => mandateView(r, names));
}

export async function getMandate(q: Q, orgId: string, id: string) {
  const r = (await q
    .selectFrom('mandates')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst()) as R | undefined;
  return r && mandateView(r, await memberNames(q, orgId));
}

function motionSummary(r: R) {
  return {
    id: str(r.id),
    councilId: str(r.council_id),
    kind: str(r.kind),
    title: str(r.title),
    state: str(r.state),
    moverId: opt(r.mover_id),
    movedAt: str(r.moved_at),
    voteId: opt(r.vote_id),
    adoptedAlternativeId: opt(r.adopted_alternative_id),
  };
}

export async function listMotions(q: Q, orgId: string, councilId: string) {
  const rows = (await q
    .selectFrom('motions')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('council_id', '=', councilId)
    .orderBy('moved_at', 'desc')
    .execute()) as R[];
  return rows.map(motionSummary);
}

export async function getMotion(q: Q, orgId: string, motionId: string) {
  const m = (await q
    .selectFrom('motions')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', motionId)
    .executeTakeFirst()) as R | undefined;
  if (!m) return undefined;
  const names = await memberNames(q, orgId);
  const name = (id: unknown) => (id === null ? null : (names.get(str(id)) ?? null));
  const alternatives = (await q
    .selectFrom('alternatives')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('motion_id', '=', motionId)
    .orderBy('position')
    .execute()) as R[];
  const comments = (await q
    .selectFrom('comments')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('motion_id', '=', motionId)
    .orderBy('position')
    .execute()) as R[];
  const statements = (await q
    .selectFrom('statements')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('motion_id', '=', motionId)
    .orderBy('attached_at')
    .execute()) as R[];
  return {
    ...motionSummary(m),
    text: str(m.text),
    moverName: name(m.mover_id),
    debateOpenedAt: opt(m.debate_opened_at),
    decision: parse(m.decision),
    seatCouncilId: opt(m.seat_council_id),
    mandateId: opt(m.mandate_id),
    alternatives: alternatives.map((a) => ({
      id: str(a.id),
      title: str(a.title),
      text: str(a.text),
      amends: opt(a.amends),
      candidateId: opt(a.candidate_id),
      candidateName: name(a.candidate_id),
      proposedBy: opt(a.proposed_by),
      proposedAt: str(a.proposed_at),
    })),
    comments: comments.map((c) => ({
      id: str(c.id),
      authorId: str(c.author_id),
      authorName: name(c.author_id),
      stance: str(c.stance),
      text: str(c.text),
      replyTo: opt(c.reply_to),
      postedAt: str(c.posted_at),
    })),
    minorityStatements: statements.map((s) => ({
      id: str(s.id),
      authorId: str(s.author_id),
      authorName: name(s.author_id),
      text: str(s.text),
      attachedAt: str(s.attached_at),
    })),
    vote: m.vote_id === null ? null : await getVote(q, orgId, str(m.vote_id)),
  };
}

/** A roll-call vote: who may vote, who voted what (open ballots are named), and the result once closed. */
export async function getVote(q: Q, orgId: string, voteId: string) {
  const v = (await q
    .selectFrom('votes')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', voteId)
    .executeTakeFirst()) as R | undefined;
  if (!v) return undefined;
  const names = await memberNames(q, orgId);
  const electors = (await q
    .selectFrom('electors')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('vote_id', '=', voteId)
    .execute()) as R[];
  const ballots = (await q
    .selectFrom('ballots')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('vote_id', '=', voteId)
    .orderBy('cast_at')
    .execute()) as R[];
  const motion = (await q
    .selectFrom('motions')
    .select('decision')
    .where('org_id', '=', orgId)
    .where('id', '=', str(v.motion_id))
    .executeTakeFirst()) as R | undefined;
  const decision = parse(motion?.decision) as { secret?: unknown } | null;
  return {
    id: str(v.id),
    motionId: str(v.motion_id),
    councilId: str(v.council_id),
    secret: Boolean(decision?.secret),
    options: parse(v.options) as string[],
    openedAt: str(v.opened_at),
    closesAt: str(v.closes_at),
    closedAt: opt(v.closed_at),
    electorate: electors
      .map((e) => ({
        memberId: str(e.member_id),
        name: names.get(str(e.member_id)) ?? '',
        weight: str(e.weight),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    ballots: ballots.map((b) => ({
      memberId: str(b.member_id),
      name: names.get(str(b.member_id)) ?? '',
      choice: opt(b.choice),
      castAt: str(b.cast_at),
    })),
    result: parse(v.result),
    outcome: opt(v.outcome),
    winner: opt(v.winner),
  };
}

export async function getMember(q: Q, orgId: string, memberId: string) {
  const m = (await q
    .selectFrom('members')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', memberId)
    .executeTakeFirst()) as R | undefined;
  if (!m) return undefined;
  const councils = (await q
    .selectFrom('memberships')
    .select('council_id')
    .where('org_id', '=', orgId)
    .where('member_id', '=', memberId)
    .execute()) as R[];
  return {
    id: str(m.id),
    name: str(m.name),
    joinedAt: str(m.joined_at),
    baseCouncilIds: councils.map((c) => str(c.council_id)),
  };
}

export async function getInvitation(q: Q, orgId: string, invitationId: string) {
  const r = (await q
    .selectFrom('invitations')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', invitationId)
    .executeTakeFirst()) as R | undefined;
  return (
    r && {
      id: str(r.id),
      councilId: str(r.council_id),
      name: str(r.name),
      invitedBy: opt(r.invited_by),
      usedBy: opt(r.used_by),
    }
  );
}

export async function getCouncilName(q: Q, orgId: string, councilId: string): Promise<string | undefined> {
  const r = (await q
    .selectFrom('councils')
    .select('name')
    .where('org_id', '=', orgId)
    .where('id', '=', councilId)
    .executeTakeFirst()) as R | undefined;
  return r ? str(r.name) : undefined;
}
