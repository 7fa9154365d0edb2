// The tables of the store are projections of the state: each row is a pure function of the state and its key.
// apply() says which keys an entry touched; rebuild writes every row of a freshly replayed state. Because both
// use the same functions, a rebuilt table equals the live one by construction, and a test checks it.
import canonicalize from 'canonicalize';
import { powerKeys, powerTables, projectPowerRow } from './power/projections.ts';
import { projectSealedRow, sealedKeys, sealedTables } from './sealed/records.ts';
import { payKeys, payTables, projectPayRow } from './pay/decisions.ts';
import type { OrgState } from './model.ts';
import { admissionKeys, admissionTables, projectAdmissionRow } from './admission/projections.ts';
import { councilPosition } from './organisation/council-order.ts';
import { searchKey } from './organisation/search-key.ts';

export type Cell = string | number | null;
export type Row = Record<string, Cell>;

/** Column order of every projection table; the first `keyColumns` columns form the primary key. */
export const projectionTables = {
  orgs: {
    columns: [
      'id',
      'name',
      'constitution',
      'root_council_id',
      'founded_at',
      'size',
      'member_count',
      'council_count',
    ],
    keyColumns: 1,
  },
  councils: {
    columns: ['id', 'org_id', 'name', 'parent_id', 'seats_in_parent', 'position', 'name_key'],
    keyColumns: 1,
  },
  members: { columns: ['id', 'org_id', 'name', 'joined_at', 'name_key'], keyColumns: 1 },
  memberships: { columns: ['council_id', 'member_id', 'org_id', 'name_key'], keyColumns: 2 },
  invitations: {
    columns: ['id', 'org_id', 'council_id', 'name', 'invited_by', 'issued_at', 'used_by'],
    keyColumns: 1,
  },
  mandates: {
    columns: [
      'id',
      'org_id',
      'member_id',
      'council_id',
      'from_council_id',
      'started_at',
      'term_ends',
      'motion_id',
      'ended_at',
      'end_reason',
    ],
    keyColumns: 1,
  },
  motions: {
    columns: [
      'id',
      'org_id',
      'council_id',
      'kind',
      'title',
      'text',
      'mover_id',
      'moved_at',
      'debate_opened_at',
      'state',
      'decision',
      'seat_council_id',
      'mandate_id',
      'vote_id',
      'adopted_alternative_id',
    ],
    keyColumns: 1,
  },
  alternatives: {
    columns: [
      'motion_id',
      'id',
      'org_id',
      'position',
      'title',
      'text',
      'amends',
      'candidate_id',
      'proposed_by',
      'proposed_at',
    ],
    keyColumns: 2,
  },
  comments: {
    columns: [
      'motion_id',
      'id',
      'org_id',
      'position',
      'author_id',
      'stance',
      'text',
      'reply_to',
      'posted_at',
    ],
    keyColumns: 2,
  },
  statements: { columns: ['motion_id', 'id', 'org_id', 'author_id', 'text', 'attached_at'], keyColumns: 2 },
  votes: {
    columns: [
      'id',
      'org_id',
      'motion_id',
      'council_id',
      'options',
      'status_quo',
      'seats',
      'opened_at',
      'closes_at',
      'closed_at',
      'result',
      'outcome',
      'winner',
      'winners',
    ],
    keyColumns: 1,
  },
  ballots: { columns: ['vote_id', 'member_id', 'org_id', 'ballot', 'cast_at'], keyColumns: 2 },
  ...powerTables,
  ...sealedTables,
  ...payTables,
  ...admissionTables,
} as const;

export type ProjectionTable = keyof typeof projectionTables;

export interface ProjectionKey {
  table: ProjectionTable;
  /** The primary key values joined by "/". */
  key: string;
}

// Canonical (RFC 8785) so a row reads the same whether its state came from commands or from a replayed log.
const json = (v: unknown): string => canonicalize(v)!;

// Positions in append-only lists (comments) by id, without scanning the list for every row: O(1) amortised.
const positions = new WeakMap<readonly { id: string }[], Map<string, number>>();
function positionIn(list: readonly { id: string }[], id: string): number {
  let index = positions.get(list);
  if (!index) positions.set(list, (index = new Map()));
  for (let i = index.size; i < list.length; i++) index.set(list[i]!.id, i);
  return index.get(id) ?? -1;
}

function split(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

/** The row a key names, or null when the state holds no such thing (the store then deletes it). */
export function projectRow(s: OrgState, table: ProjectionTable, key: string): Row | null {
  const org = s.org?.id ?? null;
  switch (table) {
    case 'orgs':
      return s.org && s.org.id === key
        ? {
            id: org,
            name: s.org.name,
            constitution: json(s.org.constitution),
            root_council_id: s.org.rootCouncilId,
            founded_at: s.org.foundedAt,
            size: s.size,
            member_count: s.members.size,
            council_count: s.councils.size,
          }
        : null;
    case 'councils': {
      const c = s.councils.get(key);
      if (!c) return null;
      const position = councilPosition(s.councils, key);
      return {
        id: c.id,
        org_id: org,
        name: c.name,
        parent_id: c.parentId,
        seats_in_parent: c.seatsInParent,
        position,
        name_key: searchKey(c.name),
      };
    }
    case 'members': {
      const m = s.members.get(key);
      return m
        ? { id: m.id, org_id: org, name: m.name, joined_at: m.joinedAt, name_key: searchKey(m.name) }
        : null;
    }
    case 'memberships': {
      const [councilId, memberId] = split(key);
      // the member's name key beside the membership: a council's members searched by name are an index range of
      // the council's rows, not of the organisation's (docs/SCALE.md, "Searching for a member or a council")
      return s.councils.get(councilId)?.memberIds.has(memberId)
        ? {
            council_id: councilId,
            member_id: memberId,
            org_id: org,
            name_key: searchKey(s.members.get(memberId)?.name ?? ''),
          }
        : null;
    }
    case 'invitations': {
      const i = s.invitations.get(key);
      return i
        ? {
            id: i.id,
            org_id: org,
            council_id: i.councilId,
            name: i.name,
            invited_by: i.invitedBy,
            issued_at: i.issuedAt,
            used_by: i.usedBy,
          }
        : null;
    }
    case 'mandates': {
      const m = s.mandates.get(key);
      return m
        ? {
            id: m.id,
            org_id: org,
            member_id: m.memberId,
            council_id: m.councilId,
            from_council_id: m.fromCouncilId,
            started_at: m.startedAt,
            term_ends: m.termEnds,
            motion_id: m.motionId,
            ended_at: m.endedAt,
            end_reason: m.endReason,
          }
        : null;
    }
    case 'motions': {
      const m = s.motions.get(key);
      return m
        ? {
            id: m.id,
            org_id: org,
            council_id: m.councilId,
            kind: m.kind,
            title: m.title,
            text: m.text,
            mover_id: m.moverId,
            moved_at: m.movedAt,
            debate_opened_at: m.debateOpenedAt,
            state: m.state,
            decision: json(m.decision),
            seat_council_id: m.seatCouncilId,
            mandate_id: m.mandateId,
            vote_id: m.voteId,
            adopted_alternative_id: m.adoptedAlternativeId,
          }
        : null;
    }
    case 'alternatives': {
      const [motionId, id] = split(key);
      const list = s.motions.get(motionId)?.alternatives ?? [];
      const position = list.findIndex((a) => a.id === id);
      const a = list[position];
      return a
        ? {
            motion_id: motionId,
            id,
            org_id: org,
            position,
            title: a.title,
            text: a.text,
            amends: a.amends ?? null,
            candidate_id: a.candidateId ?? null,
            proposed_by: a.proposedBy,
            proposed_at: a.proposedAt,
          }
        : null;
    }
    case 'comments': {
      const [motionId, id] = split(key);
      const list = s.motions.get(motionId)?.comments ?? [];
      const position = positionIn(list, id);
      const c = list[position];
      return c
        ? {
            motion_id: motionId,
            id,
            org_id: org,
            position,
            author_id: c.authorId,
            stance: c.stance,
            text: c.text,
            reply_to: c.replyTo,
            posted_at: c.postedAt,
          }
        : null;
    }
    case 'statements': {
      const [motionId, id] = split(key);
      const st = s.motions.get(motionId)?.statements.find((x) => x.id === id);
      return st
        ? {
            motion_id: motionId,
            id,
            org_id: org,
            author_id: st.authorId,
            text: st.text,
            attached_at: st.attachedAt,
          }
        : null;
    }
    case 'votes': {
      const v = s.votes.get(key);
      return v
        ? {
            id: v.id,
            org_id: org,
            motion_id: v.motionId,
            council_id: v.councilId,
            options: json(v.options),
            status_quo: v.statusQuo ? 1 : 0,
            seats: v.seats,
            opened_at: v.openedAt,
            closes_at: v.closesAt,
            closed_at: v.closedAt,
            result: v.result === null ? null : json(v.result),
            outcome: v.outcome,
            winner: v.winner,
            winners: json(v.winners),
          }
        : null;
    }
    case 'ballots': {
      const [voteId, memberId] = split(key);
      const v = s.votes.get(voteId);
      // A settled vote's ballot rows were written before it was settled and never change (votes/settled.ts):
      // projecting one from a state that no longer holds it would delete it.
      if (v?.ballots === null) throw new RangeError(`ballot ${key}: its vote is settled`);
      const b = v?.ballots.get(memberId);
      return b
        ? { vote_id: voteId, member_id: memberId, org_id: org, ballot: json(b.ballot), cast_at: b.castAt }
        : null;
    }
    case 'sealed_records':
      return projectSealedRow(s, key);
    case 'admissions':
      return projectAdmissionRow(s, key);
    case 'pay_schemes':
    case 'pay_workforce_imports':
      return projectPayRow(s, table, key);
    default:
      return projectPowerRow(s, table, key);
  }
}

/** Every key of every table the state holds: what a rebuild writes. */
export function allKeys(s: OrgState): ProjectionKey[] {
  const keys: ProjectionKey[] = [];
  const add = (table: ProjectionTable, key: string) => keys.push({ table, key });
  if (s.org) add('orgs', s.org.id);
  for (const c of s.councils.values()) {
    add('councils', c.id);
    for (const m of c.memberIds) add('memberships', `${c.id}/${m}`);
  }
  for (const id of s.members.keys()) add('members', id);
  for (const id of s.invitations.keys()) add('invitations', id);
  for (const id of s.mandates.keys()) add('mandates', id);
  for (const m of s.motions.values()) {
    add('motions', m.id);
    for (const a of m.alternatives) add('alternatives', `${m.id}/${a.id}`);
    for (const c of m.comments) add('comments', `${m.id}/${c.id}`);
    for (const st of m.statements) add('statements', `${m.id}/${st.id}`);
  }
  for (const v of s.votes.values()) {
    add('votes', v.id);
    // A settled vote's ballot rows are written before it is settled (a rebuild does so as it reads the log).
    for (const mid of v.ballots?.keys() ?? []) add('ballots', `${v.id}/${mid}`);
  }
  keys.push(...powerKeys(s));
  keys.push(...sealedKeys(s));
  keys.push(...payKeys(s));
  keys.push(...admissionKeys(s));
  return keys;
}
