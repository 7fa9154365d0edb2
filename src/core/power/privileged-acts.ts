// The privileged acts (docs/POWER.md): for each, how its content is checked when it is requested (and again
// when the last approval arrives), which council it concerns (the "subject" council that authorises it when the
// constitution says so), what carrying it out changes, and how a reversal restores what was there before.
import { parseVerifierKey } from '../../record/index.ts';
import { defaultWitnessPolicy, parseConstitution, type Constitution } from '../kernel/constitution.ts';
import type { ProjectionKey } from '../projections.ts';
import { InvalidCommand, reject, type Rejection } from '../kernel/errors.ts';
import { checkText, limits } from '../kernel/limits.ts';
import { powerRules, type PrivilegedRequest, type RequestKind } from './state.ts';
import { addDays } from '../kernel/time.ts';
import { isBaseCouncil } from '../organisation/membership.ts';
import type { OrgState } from '../model.ts';
import { checkEndpointAct, checkRegisterWebhook } from '../webhooks/endpoint.ts';
import type { WebhookEventType } from '../webhooks/types.ts';
import { deleteCouncil } from '../organisation/council-order.ts';

/** The acts about webhook endpoints (docs/NOTIFICATIONS.md "Webhooks"). */
export const webhookKinds: readonly RequestKind[] = [
  'register_webhook',
  'rotate_webhook_secret',
  'remove_webhook',
];

export interface CheckedAct {
  content: Record<string, unknown>;
  /** The council the act concerns. */
  subject: string;
  /** Members who may not approve (the member to be expelled). */
  excluded: string[];
}

/** Acts a council can undo after its committee did them; the others cannot be undone. */
export const reversibleKinds: readonly RequestKind[] = [
  'amend_constitution',
  'create_council',
  'change_seats',
  'expel_member',
  'change_witnesses',
  'appoint_trustees',
];

const idPattern = /^[A-Za-z0-9_-]{1,64}$/;

function field(content: unknown, name: string): unknown {
  if (typeof content !== 'object' || content === null || Array.isArray(content))
    throw new InvalidCommand('not_an_object', 'content');
  return (content as Record<string, unknown>)[name];
}

function idField(content: unknown, name: string): string {
  const v = field(content, name);
  if (typeof v !== 'string' || !idPattern.test(v)) throw new InvalidCommand('not_an_id', `content.${name}`);
  return v;
}

function idList(content: unknown, name: string, max: number): string[] {
  const v = field(content, name);
  if (!Array.isArray(v) || v.length > max || !v.every((x) => typeof x === 'string' && idPattern.test(x)))
    throw new InvalidCommand('id_list', `content.${name}`, { max });
  if (new Set(v).size !== v.length) throw new InvalidCommand('id_list_twice', `content.${name}`);
  return v as string[];
}

function baseCouncilOf(state: OrgState, memberId: string): string | undefined {
  return [...state.councils.values()].find((c) => c.memberIds.has(memberId))?.id;
}

/** Checks a request's content against the state now; InvalidCommand for malformed content. */
export function checkAct(
  state: OrgState,
  kind: RequestKind,
  content: unknown,
  maxCommittee: number,
): CheckedAct | Rejection {
  const root = state.org!.rootCouncilId;
  const plain = { subject: root, excluded: [] as string[] };
  switch (kind) {
    case 'amend_constitution': {
      // The settings named replace the current ones; the others stay as they are.
      const given = field(content, 'constitution');
      if (typeof given !== 'object' || given === null || Array.isArray(given))
        throw new InvalidCommand('not_an_object', 'content.constitution');
      // Witnesses named by change_witnesses become the constitution's witness policy when it is amended.
      const current = { ...state.org!.constitution };
      if (!current.witnesses && state.power.witnesses.length > 0)
        current.witnesses = { keys: state.power.witnesses, required: defaultWitnessPolicy.required };
      const constitution = parseConstitution({ ...current, ...given });
      return { content: { constitution }, ...plain };
    }
    case 'create_council': {
      const id = idField(content, 'id');
      const parentId = idField(content, 'parentId');
      const name = checkText(field(content, 'name'), 'content.name', limits.name);
      const seats = field(content, 'seats');
      if (!Number.isSafeInteger(seats) || (seats as number) < 1 || (seats as number) > limits.seats)
        throw new InvalidCommand('seats_range', 'content.seats', { min: 1, max: limits.seats });
      if (state.councils.has(id)) return reject('already_exists', 'council_id_taken');
      const parent = state.councils.get(parentId);
      if (!parent) return reject('not_found', 'no_such_parent');
      if (isBaseCouncil(parent) && parent.memberIds.size > 0)
        return reject('not_allowed', 'base_cannot_be_higher');
      return { content: { id, parentId, name, seats }, subject: parentId, excluded: [] };
    }
    case 'merge_councils': {
      const from = idField(content, 'from');
      const into = idField(content, 'into');
      const a = state.councils.get(from);
      const b = state.councils.get(into);
      if (!a || !b) return reject('not_found', 'no_such_council');
      if (from === into || a.parentId !== b.parentId || a.parentId === null)
        return reject('not_allowed', 'merge_siblings_only');
      if (!isBaseCouncil(a) || !isBaseCouncil(b)) return reject('not_allowed', 'merge_base_only');
      return { content: { from, into }, subject: a.parentId, excluded: [] };
    }
    case 'dissolve_council': {
      const councilId = idField(content, 'councilId');
      const c = state.councils.get(councilId);
      if (!c) return reject('not_found', 'no_such_council');
      if (c.parentId === null || !isBaseCouncil(c)) return reject('not_allowed', 'dissolve_leaf_only');
      return { content: { councilId }, subject: c.parentId, excluded: [] };
    }
    case 'change_seats': {
      const councilId = idField(content, 'councilId');
      const seats = field(content, 'seats');
      if (!Number.isSafeInteger(seats) || (seats as number) < 1 || (seats as number) > limits.seats)
        throw new InvalidCommand('seats_range', 'content.seats', { min: 1, max: limits.seats });
      const c = state.councils.get(councilId);
      if (!c) return reject('not_found', 'no_such_council');
      if (c.parentId === null) return reject('not_allowed', 'root_sends_no_deputies');
      return { content: { councilId, seats }, subject: c.parentId, excluded: [] };
    }
    case 'expel_member': {
      const memberId = idField(content, 'memberId');
      const reason = checkText(field(content, 'reason'), 'content.reason', limits.text);
      const council = baseCouncilOf(state, memberId);
      if (!council) return reject('not_found', 'no_such_member_anywhere');
      return { content: { memberId, reason }, subject: council, excluded: [memberId] };
    }
    case 'reset_password': {
      // The member named does not approve their own reset (whoever holds their session might).
      const memberId = idField(content, 'memberId');
      const council = baseCouncilOf(state, memberId);
      if (!council) return reject('not_found', 'no_such_member_anywhere');
      return { content: { memberId }, subject: council, excluded: [memberId] };
    }
    case 'rotate_log_key': {
      const verifierKey = field(content, 'verifierKey');
      try {
        if (typeof verifierKey !== 'string') throw new Error();
        parseVerifierKey(verifierKey);
      } catch {
        throw new InvalidCommand('verifier_key', 'content.verifierKey');
      }
      return { content: { verifierKey }, ...plain };
    }
    case 'change_witnesses': {
      const w = field(content, 'witnesses');
      if (!Array.isArray(w) || w.length > 50 || !w.every((x) => typeof x === 'string' && x.length <= 512))
        throw new InvalidCommand('witnesses_too_many', 'content.witnesses', { max: 50 });
      return { content: { witnesses: w }, ...plain };
    }
    case 'unseal_entry': {
      const seq = field(content, 'seq');
      if (!Number.isSafeInteger(seq) || (seq as number) < 0)
        throw new InvalidCommand('entry_number', 'content.seq');
      if ((seq as number) >= state.size) return reject('not_found', 'no_such_entry');
      const reason = checkText(field(content, 'reason'), 'content.reason', limits.text);
      return { content: { seq, reason }, ...plain };
    }
    case 'appoint_trustees': {
      const trustees = idList(content, 'trustees', 100);
      if (!trustees.every((t) => state.members.has(t))) return reject('not_found', 'no_such_member');
      return { content: { trustees }, ...plain };
    }
    case 'elect_committee': {
      const councilId = idField(content, 'councilId');
      const memberIds = idList(content, 'memberIds', maxCommittee);
      if (memberIds.length === 0) throw new InvalidCommand('id_list_empty', 'content.memberIds');
      if (!state.councils.has(councilId)) return reject('not_found', 'no_such_council');
      return { content: { councilId, memberIds }, subject: councilId, excluded: [] };
    }
    case 'register_webhook':
    case 'rotate_webhook_secret':
    case 'remove_webhook': {
      const checked =
        kind === 'register_webhook' ? checkRegisterWebhook(state, content) : checkEndpointAct(state, content);
      return 'ok' in checked ? checked : { ...checked, excluded: [] };
    }
    case 'reinstate_member':
    case 'reverse_act': {
      const requestId = idField(content, 'requestId');
      const target = state.power.requests.get(requestId);
      if (!target) return reject('not_found', 'no_such_request');
      return { content: { requestId }, subject: target.councilId, excluded: [] };
    }
  }
}

/** The fields of every kind's content, as checkAct left them. */
interface ActContent {
  constitution: Constitution;
  id: string;
  parentId: string;
  name: string;
  seats: number;
  from: string;
  into: string;
  councilId: string;
  memberId: string;
  verifierKey: string;
  witnesses: string[];
  seq: number;
  trustees: string[];
  memberIds: string[];
  requestId: string;
  endpointId: string;
  url: string;
  events: WebhookEventType[];
}

const councilKeys = (s: OrgState): ProjectionKey[] =>
  [...s.councils.keys()].map((key) => ({ table: 'councils' as const, key }));
const membershipKeys = (councilId: string, members: Iterable<string>): ProjectionKey[] =>
  [...members].map((m) => ({ table: 'memberships' as const, key: `${councilId}/${m}` }));

/**
 * Removes a council (dissolved, merged away, or its creation reversed). Its admissions not yet made end with it, a
 * fact of the state (`endedBy`: refused, as the council is gone, whatever council takes its id later); their keys
 * are returned so that their rows and the due index follow.
 */
function removeCouncil(s: OrgState, id: string): ProjectionKey[] {
  const c = s.councils.get(id)!;
  const touched = [...councilKeys(s), ...membershipKeys(id, c.memberIds)];
  const parent = s.councils.get(c.parentId!)!;
  parent.childIds = parent.childIds.filter((x) => x !== id);
  deleteCouncil(s.councils, id);
  // The council's admissions neither made nor ended (s.openAdmissions), not every admission of the organisation.
  for (const invitationId of s.openAdmissions.get(id) ?? []) {
    s.admissions.get(invitationId)!.endedBy = 'council_removed';
    touched.push({ table: 'admissions', key: invitationId });
  }
  s.openAdmissions.delete(id);
  return touched;
}

/** The listed witnesses are one list: the power settings', and the constitution's witness policy when it has one. */
function setWitnesses(s: OrgState, keys: string[]): void {
  s.power.witnesses = keys;
  const c = s.org!.constitution;
  if (c.witnesses) s.org!.constitution = { ...c, witnesses: { ...c.witnesses, keys: [...keys] } };
}

/** Carries out a request whose approvals are complete; keeps what it replaced in `r.before`. */
export function carryOut(s: OrgState, r: PrivilegedRequest, time: string): ProjectionKey[] {
  const c = r.content as unknown as ActContent;
  const settings: ProjectionKey = { table: 'power_settings', key: s.org!.id };
  switch (r.kind) {
    case 'amend_constitution': {
      r.before = { constitution: s.org!.constitution, witnesses: s.power.witnesses };
      const amended = c.constitution as Constitution;
      s.org!.constitution = amended;
      if (amended.witnesses) s.power.witnesses = [...amended.witnesses.keys];
      return [{ table: 'orgs', key: s.org!.id }, settings];
    }
    case 'create_council': {
      s.councils.set(c.id, {
        id: c.id,
        name: c.name,
        parentId: c.parentId,
        seatsInParent: c.seats,
        childIds: [],
        memberIds: new Set(),
      });
      s.councils.get(c.parentId)!.childIds.push(c.id);
      return councilKeys(s);
    }
    case 'merge_councils': {
      const into = s.councils.get(c.into)!;
      const moved = [...s.councils.get(c.from)!.memberIds];
      for (const m of moved) into.memberIds.add(m);
      return [...removeCouncil(s, c.from), ...membershipKeys(c.into, moved)];
    }
    case 'dissolve_council':
      return removeCouncil(s, c.councilId);
    case 'change_seats': {
      const council = s.councils.get(c.councilId)!;
      r.before = council.seatsInParent;
      council.seatsInParent = c.seats;
      return [{ table: 'councils', key: council.id }];
    }
    case 'expel_member': {
      const from = [...s.councils.values()].filter((x) => x.memberIds.has(c.memberId));
      r.before = from.map((x) => x.id);
      for (const x of from) x.memberIds.delete(c.memberId);
      return from.flatMap((x) => membershipKeys(x.id, [c.memberId]));
    }
    case 'reinstate_member': {
      const expulsion = s.power.requests.get(c.requestId)!;
      expulsion.state = 'reversed';
      expulsion.reversedAt = time;
      return [...undo(s, expulsion), { table: 'privileged_requests', key: expulsion.id }];
    }
    case 'rotate_log_key':
      r.before = s.power.logKey;
      s.power.logKey = c.verifierKey;
      return [settings];
    case 'change_witnesses':
      r.before = s.power.witnesses;
      setWitnesses(s, c.witnesses);
      return [settings, { table: 'orgs', key: s.org!.id }];
    case 'unseal_entry':
      s.power.unsealed.push(c.seq);
      return [settings];
    case 'appoint_trustees':
      r.before = s.power.trustees;
      s.power.trustees = c.trustees;
      return [settings];
    case 'elect_committee': {
      r.before = s.power.committees.get(c.councilId) ?? null;
      const committee = {
        councilId: c.councilId,
        memberIds: c.memberIds,
        electedAt: time,
        termEnds: addDays(time, powerRules(s).committees.termDays),
        requestId: r.id,
      };
      s.power.committees.set(c.councilId, committee);
      s.power.committeeHistory.push(committee);
      return [{ table: 'committees', key: `${s.org!.id}/${c.councilId}` }];
    }
    case 'register_webhook':
      s.power.webhooks.set(c.endpointId, {
        id: c.endpointId,
        url: c.url,
        events: c.events,
        councilId: (r.content.councilId as string | null) ?? null,
        requestId: r.id,
        registeredAt: time,
        secretRequestId: r.id,
        previousSecretRequestId: null,
        rotatedAt: null,
        removedAt: null,
      });
      return [];
    case 'rotate_webhook_secret': {
      // The request's own secret (kept by the server under its id) signs from now; the old one beside it a while.
      const e = s.power.webhooks.get(c.endpointId)!;
      e.previousSecretRequestId = e.secretRequestId;
      e.secretRequestId = r.id;
      e.rotatedAt = time;
      return [];
    }
    case 'remove_webhook':
      s.power.webhooks.get(c.endpointId)!.removedAt = time;
      return [];
    case 'reverse_act':
    case 'reset_password': // the server issues the one-time link in the same transaction (src/server/accounts.ts)
      return [];
  }
}

/** Restores what a carried-out act replaced (reversible kinds only). */
export function undo(s: OrgState, r: PrivilegedRequest): ProjectionKey[] {
  const c = r.content as unknown as ActContent;
  const settings: ProjectionKey = { table: 'power_settings', key: s.org!.id };
  switch (r.kind) {
    case 'amend_constitution': {
      const before = r.before as { constitution: Constitution; witnesses: string[] };
      s.org!.constitution = before.constitution;
      s.power.witnesses = before.witnesses;
      return [{ table: 'orgs', key: s.org!.id }, settings];
    }
    case 'create_council':
      return s.councils.has(c.id) ? removeCouncil(s, c.id) : [];
    case 'change_seats': {
      const council = s.councils.get(c.councilId);
      if (council) council.seatsInParent = r.before as number;
      return council ? [{ table: 'councils', key: council.id }] : [];
    }
    case 'expel_member': {
      const back = (r.before as string[]).filter((id) => s.councils.has(id));
      for (const id of back) s.councils.get(id)!.memberIds.add(c.memberId);
      return back.flatMap((id) => membershipKeys(id, [c.memberId]));
    }
    case 'change_witnesses':
      setWitnesses(s, r.before as string[]);
      return [settings, { table: 'orgs', key: s.org!.id }];
    case 'appoint_trustees':
      s.power.trustees = r.before as string[];
      return [settings];
    default:
      return [];
  }
}
