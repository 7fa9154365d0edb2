// apply(state, entry): the only way state changes. It trusts the entry (decide checked the command that made
// it); it returns which projection rows the entry touched so the store can write just those.
import type { ProjectionKey } from './projections.ts';
import { powerHandlers } from './power/apply.ts';
import { sealedHandlers } from './sealed/records.ts';
import { payHandlers } from './pay/decisions.ts';
import { admissionHandlers, linkAdmissionMotion } from './admission/apply.ts';
import { applyBoardPosted } from './secret/vote.ts';
import { addResultPart, joinResultParts } from './votes/result-parts.ts';
import type { CouncilSpec } from './organisation/types.ts';
import type { Entry, EntryOf, OrgState } from './model.ts';
import { councilMembers } from './organisation/membership.ts';
import { indexTouched } from './attention/attention-index.ts';
import { indexDue } from './schedule/due-index.ts';
import { applyDecryptionDue } from './secret/decryption.ts';

type Handler<A extends Entry['act']> = (s: OrgState, e: EntryOf<A>) => ProjectionKey[];
type Handlers = { [A in Entry['act']]: Handler<A> };

function motionOf(s: OrgState, id: string) {
  const m = s.motions.get(id);
  if (!m) throw new RangeError(`entry names unknown motion ${id}`);
  return m;
}

/** The councils of a founding entry; a parent is in this entry or an earlier one. */
function addCouncils(s: OrgState, councils: CouncilSpec[]): ProjectionKey[] {
  for (const c of councils) {
    if (s.councils.has(c.id)) throw new RangeError(`council ${c.id} is founded twice`);
    s.councils.set(c.id, { ...c, childIds: [], memberIds: new Set() });
  }
  for (const c of councils) {
    if (c.parentId === null) continue;
    const parent = s.councils.get(c.parentId);
    if (!parent) throw new RangeError(`council ${c.id} names an unknown parent ${c.parentId}`);
    parent.childIds.push(c.id);
  }
  return councils.map((c) => ({ table: 'councils' as const, key: c.id }));
}

const handlers: Handlers = {
  ...powerHandlers,
  ...sealedHandlers,
  ...payHandlers,
  ...admissionHandlers,
  org_founded(s, e) {
    const p = e.payload;
    const root = p.councils.find((c) => c.parentId === null)!;
    s.org = {
      id: p.orgId,
      name: p.name,
      constitution: p.constitution,
      rootCouncilId: root.id,
      foundedAt: e.time,
    };
    // Witnesses the founders named (the constitution's witness policy) are the ones whose cosignatures count.
    const witnesses = p.constitution.witnesses?.keys ?? [];
    s.power.witnesses = [...witnesses];
    const settings = witnesses.length > 0 ? [{ table: 'power_settings' as const, key: p.orgId }] : [];
    return [{ table: 'orgs', key: p.orgId }, ...settings, ...addCouncils(s, p.councils)];
  },
  councils_founded(s, e) {
    if (s.members.size > 0 || s.invitations.size > 0 || s.motions.size > 0)
      throw new RangeError('councils_founded belongs to the founding, before anyone joins');
    return addCouncils(s, e.payload.councils);
  },
  motion_moved(s, e) {
    const p = e.payload;
    const alternatives = p.alternatives ?? [{ id: 'a1', title: p.title, text: p.text }];
    s.motions.set(p.motionId, {
      id: p.motionId,
      councilId: p.councilId,
      kind: p.kind,
      title: p.title,
      text: p.text,
      moverId: e.actor,
      movedAt: e.time,
      debateOpenedAt: p.draft || p.seconders ? null : e.time,
      state: p.draft ? 'draft' : p.seconders ? 'seconding' : 'debate',
      decision: p.decision,
      alternatives: alternatives.map((a) => ({ ...a, proposedBy: e.actor, proposedAt: e.time })),
      comments: [],
      statements: [],
      seatCouncilId: p.seatCouncilId ?? null,
      mandateId: p.mandateId ?? null,
      voteId: null,
      adoptedAlternativeId: null,
      secondersNeeded: p.draft ? 0 : (p.seconders ?? 0),
      seconders: [],
      secondingSince: !p.draft && p.seconders ? e.time : null,
      closure: [],
      closureCarriedAt: null,
      emergency: p.emergency === true,
      endedAt: null,
    });
    return [
      { table: 'motions', key: p.motionId },
      ...alternatives.map((a) => ({ table: 'alternatives' as const, key: `${p.motionId}/${a.id}` })),
      ...(p.invitationId === undefined ? [] : linkAdmissionMotion(s, p.invitationId, p.motionId)),
    ];
  },
  debate_opened(s, e) {
    const m = motionOf(s, e.payload.motionId);
    if (e.payload.seconders) {
      m.state = 'seconding';
      m.secondersNeeded = e.payload.seconders;
      m.secondingSince = e.time;
    } else {
      m.state = 'debate';
      m.debateOpenedAt = e.time;
    }
    return [{ table: 'motions', key: m.id }];
  },
  motion_seconded(s, e) {
    const m = motionOf(s, e.payload.motionId);
    m.seconders.push(e.actor!);
    if (!e.payload.agenda) return [];
    m.state = 'debate';
    m.debateOpenedAt = e.time;
    return [{ table: 'motions', key: m.id }];
  },
  closure_supported(s, e) {
    const m = motionOf(s, e.payload.motionId);
    m.closure.push(e.actor!);
    if (e.payload.carried) m.closureCarriedAt = e.time;
    return [];
  },
  closure_support_withdrawn(s, e) {
    const m = motionOf(s, e.payload.motionId);
    m.closure = m.closure.filter((x) => x !== e.actor);
    return [];
  },
  motion_lapsed(s, e) {
    const m = motionOf(s, e.payload.motionId);
    m.state = 'lapsed';
    m.endedAt = e.time;
    return [{ table: 'motions', key: m.id }];
  },
  alternative_proposed(s, e) {
    const m = motionOf(s, e.payload.motionId);
    m.alternatives.push({ ...e.payload.alternative, proposedBy: e.actor, proposedAt: e.time });
    return [{ table: 'alternatives', key: `${m.id}/${e.payload.alternative.id}` }];
  },
  comment_posted(s, e) {
    const p = e.payload;
    const m = motionOf(s, p.motionId);
    m.comments.push({
      id: p.commentId,
      authorId: e.actor!,
      stance: p.stance,
      text: p.text,
      replyTo: p.replyTo ?? null,
      postedAt: e.time,
    });
    return [{ table: 'comments', key: `${m.id}/${p.commentId}` }];
  },
  motion_withdrawn(s, e) {
    const m = motionOf(s, e.payload.motionId);
    m.state = 'withdrawn';
    m.endedAt = e.time;
    return [{ table: 'motions', key: m.id }];
  },
  vote_opened(s, e) {
    const p = e.payload;
    const m = motionOf(s, p.motionId);
    // The electorate is frozen now: the council's members at this moment (older logs list it in the entry). It lives
    // in the state only, never as one row per elector (docs/SCALE.md "Opening a vote"): a vote of 100,000 electors
    // writes two rows.
    const electorate = new Map<string, bigint>();
    if (p.electorate) for (const x of p.electorate) electorate.set(x.memberId, BigInt(x.weight));
    else for (const memberId of councilMembers(s, m.councilId, e.time)) electorate.set(memberId, 1n);
    m.state = 'voting';
    m.voteId = p.voteId;
    m.endedAt = null;
    s.votes.set(p.voteId, {
      id: p.voteId,
      motionId: p.motionId,
      councilId: m.councilId,
      options: p.options,
      statusQuo: p.statusQuo,
      seats: p.seats,
      electorate,
      ballots: new Map(),
      openedAt: e.time,
      closesAt: p.closesAt,
      closedAt: null,
      result: null,
      outcome: null,
      winner: null,
      winners: [],
    });
    return [
      { table: 'motions', key: m.id },
      { table: 'votes', key: p.voteId },
    ];
  },
  ballot_cast(s, e) {
    const v = s.votes.get(e.payload.voteId)!;
    if (!v.ballots) throw new RangeError(`ballot cast in vote ${v.id}, closed at ${v.closedAt}`);
    v.ballots.set(e.actor!, { ballot: e.payload.ballot, castAt: e.time });
    return [{ table: 'ballots', key: `${v.id}/${e.actor}` }];
  },
  vote_result_part(s, e) {
    const v = s.votes.get(e.payload.voteId);
    if (!v) throw new RangeError(`entry names unknown vote ${e.payload.voteId}`);
    addResultPart(v, e.payload);
    return [];
  },
  vote_closed(s, e) {
    const p = e.payload;
    const v = s.votes.get(p.voteId)!;
    v.result = p.resultParts ? joinResultParts(v, p.resultParts) : p.result;
    v.closedAt = e.time;
    v.outcome = p.outcome;
    v.winner = p.winner;
    v.winners = p.winners;
    s.settling.push(v.id);
    return [{ table: 'votes', key: v.id }];
  },
  motion_decided(s, e) {
    const m = motionOf(s, e.payload.motionId);
    m.state = e.payload.adopted ? 'decided' : 'failed';
    m.endedAt = e.time;
    m.adoptedAlternativeId = e.payload.alternativeId;
    return [{ table: 'motions', key: m.id }];
  },
  mandate_started(s, e) {
    const p = e.payload;
    s.mandates.set(p.mandateId, {
      id: p.mandateId,
      memberId: p.memberId,
      councilId: p.councilId,
      fromCouncilId: p.fromCouncilId,
      startedAt: e.time,
      termEnds: p.termEnds,
      motionId: p.motionId,
      endedAt: null,
      endReason: null,
    });
    return [{ table: 'mandates', key: p.mandateId }];
  },
  mandate_ended(s, e) {
    const m = s.mandates.get(e.payload.mandateId)!;
    m.endedAt = e.time;
    m.endReason = e.payload.reason;
    return [{ table: 'mandates', key: m.id }];
  },
  minority_statement_attached(s, e) {
    const p = e.payload;
    const m = motionOf(s, p.motionId);
    m.statements.push({ id: p.statementId, authorId: e.actor!, text: p.text, attachedAt: e.time });
    return [{ table: 'statements', key: `${m.id}/${p.statementId}` }];
  },
  vote_failed(s, e) {
    const v = s.votes.get(e.payload.voteId)!;
    const m = motionOf(s, v.motionId);
    v.closedAt = e.time;
    v.outcome = 'failed';
    v.result = {
      method: m.decision.method,
      winners: [],
      rounds: [],
      details: {
        failed: e.payload.reason,
        ...(e.payload.notDecrypted ? { notDecrypted: e.payload.notDecrypted } : {}),
      },
      explanation: [
        `The vote failed: ${e.payload.reason}. The motion is back in debate; the council can vote again.`,
      ],
    };
    m.state = 'debate';
    s.settling.push(v.id);
    return [
      { table: 'votes', key: v.id },
      { table: 'motions', key: m.id },
    ];
  },
  decryption_due(s, e) {
    const v = s.votes.get(e.payload.voteId);
    if (!v) throw new RangeError(`entry names unknown vote ${e.payload.voteId}`);
    applyDecryptionDue(v, e.payload, e.time, e.seq);
    return [{ table: 'votes', key: v.id }];
  },
  board_posted(s, e) {
    const v = s.votes.get(e.payload.voteId);
    if (!v) throw new RangeError(`entry names unknown vote ${e.payload.voteId}`);
    applyBoardPosted(s.crypto.group, v, e.payload, e.time, e.seq, e.actor);
    return [{ table: 'votes', key: v.id }];
  },
};

/**
 * Applies one entry to the state, in place, and returns the projection rows it touched. Entries must come in
 * sequence: an entry out of order is corrupt input and throws.
 */
export function apply(state: OrgState, entry: Entry): ProjectionKey[] {
  if (entry.seq !== state.size) {
    throw new RangeError(`entry seq ${entry.seq} does not follow ${state.size - 1}`);
  }
  const handler = handlers[entry.act] as Handler<typeof entry.act> | undefined;
  if (!handler) throw new RangeError(`unknown act "${String(entry.act)}" at seq ${entry.seq}`);
  const touched = handler(state, entry as never);
  indexTouched(state, touched);
  indexDue(state, touched);
  state.size += 1;
  touched.push({ table: 'orgs', key: state.org!.id });
  return touched;
}
