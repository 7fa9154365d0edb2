// `councils verify` for power from below and collective authority: each member's act is rebuilt as a command
// and decided again (an approval's signature is verified again against the key registered in the log), and
// each of the organisation's own acts must follow from what came before: a motion nobody moved must be the
// item of a petition that reached its threshold; a privileged act carried out must have its k approvals.
import { duePetitionMotions } from './petitions.ts';
import { expiryProblem } from './expiry.ts';
import type { PowerPayloads } from './entries.ts';
import { countingApprovals, type Petition } from './state.ts';
import type { Command, Entry, OrgState } from '../model.ts';
import { recallReplyMinutes } from '../kernel/procedure-rules.ts';

const powerActs = new Set<string>([
  'petition_opened',
  'petition_signed',
  'petition_passed',
  'petition_succeeded',
  'petition_expired',
  'member_key_registered',
  'privileged_act_requested',
  'approval_given',
  'approval_withdrawn',
  'privileged_act_done',
  'privileged_act_reversed',
  'privileged_act_expired',
] satisfies (keyof PowerPayloads)[]);

/** Entries this file rebuilds commands for: the power acts, and the motions and votes petitions open. */
export function isPowerEntry(e: Entry): boolean {
  return powerActs.has(e.act) || (e.actor === null && (e.act === 'motion_moved' || e.act === 'vote_opened'));
}

export function powerCommandOf(e: Entry): Command | undefined {
  if (e.actor === null) return undefined;
  switch (e.act) {
    case 'petition_opened': {
      const p = e.payload;
      if (p.kind === 'recall')
        return { type: 'open_petition', kind: 'recall', mandateId: p.mandateId!, text: p.text };
      return {
        type: 'open_petition',
        kind: p.kind,
        councilId: p.councilId,
        title: p.title,
        text: p.text,
        ...(p.targetCouncilId !== null ? { targetCouncilId: p.targetCouncilId } : {}),
      };
    }
    case 'petition_signed':
      return { type: 'sign_petition', petitionId: e.payload.petitionId };
    case 'member_key_registered':
      return { type: 'register_key', publicKey: e.payload.publicKey, proof: e.payload.proof };
    case 'privileged_act_requested':
      return e.payload.kind === 'reinstate_member'
        ? { type: 'appeal_expulsion', requestId: e.payload.content.requestId as string }
        : { type: 'request_act', kind: e.payload.kind, content: e.payload.content };
    case 'approval_given':
      return { type: 'approve_request', requestId: e.payload.requestId, signature: e.payload.signature };
    case 'approval_withdrawn':
      return { type: 'withdraw_approval', requestId: e.payload.requestId };
    default:
      return undefined;
  }
}

/** Not recorded expired, and before its deadline at `time` (a petition's consequences come no later). */
const openAt = (p: Petition, time: string) => p.expiredAt === null && time < p.deadline;

/** Why an entry the organisation made itself (actor null) does not follow from the state before it, if so. */
export function consequenceProblem(state: OrgState, e: Entry): string | null {
  const petitions = [...state.power.petitions.values()];
  switch (e.act) {
    case 'petition_passed': {
      const p = state.power.petitions.get(e.payload.petitionId);
      const n = p?.signedIn.get(e.payload.councilId) ?? 0;
      if (p && !openAt(p, e.time)) return `petition ${p.id} passed after it expired`;
      return p && n >= (p.required[e.payload.councilId] ?? Infinity)
        ? null
        : 'a petition passed without its signatures';
    }
    case 'petition_succeeded': {
      const p = state.power.petitions.get(e.payload.petitionId);
      if (!p || p.succeededAt !== null) return 'a petition succeeded that was not open';
      if (!openAt(p, e.time)) return `petition ${p.id} succeeded after it expired`;
      const enough =
        p.targetCouncilId !== null
          ? p.passedIn.length >= p.councilsRequired
          : p.signatures.size >= (p.required[p.councilId] ?? Infinity);
      return enough ? null : 'a petition succeeded without enough signatures';
    }
    case 'motion_moved':
      // An admission motion moved on an objection is checked by the admission replay.
      if (e.actor !== null || e.payload.kind === 'admission') return null;
      return petitions.some((p) => p.motionId === e.payload.motionId && p.succeededAt === e.time)
        ? null
        : 'a motion moved by nobody that no petition opened';
    case 'vote_opened': {
      if (e.actor !== null) return null;
      const m = state.motions.get(e.payload.motionId);
      const born = petitions.some((p) => p.motionId === e.payload.motionId);
      // Before the right of reply (a constitution without it), a recall's vote opened at once.
      const recallNow =
        m?.kind === 'recall' &&
        m.movedAt === e.time &&
        recallReplyMinutes(state.org!.constitution) === undefined;
      return born && (recallNow || duePetitionMotions(state, e.time).includes(e.payload.motionId))
        ? null
        : 'a vote opened by nobody before a petition made it due';
    }
    case 'privileged_act_done': {
      const r = state.power.requests.get(e.payload.requestId);
      if (r && (r.expiredAt !== null || r.expiresAt <= e.time))
        return `request ${r.id} carried out after it expired`;
      return r && r.state === 'pending' && countingApprovals(r, e.time).length >= r.required
        ? null
        : 'a privileged act carried out without its approvals';
    }
    case 'privileged_act_reversed': {
      const by = state.power.requests.get(e.payload.byRequestId);
      return by?.kind === 'reverse_act' && by.state === 'done' && by.content.requestId === e.payload.requestId
        ? null
        : 'an act reversed without the council authorising it';
    }
    case 'petition_expired':
    case 'privileged_act_expired':
      return expiryProblem(state, e);
    default:
      return null;
  }
}
