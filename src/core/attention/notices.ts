// Which entries tell whom of what (docs/NOTIFICATIONS.md "Events"): the entries that start an item of someone's
// attention inbox, and for each the members it concerns. The store records the seq of every such entry in the
// transaction that appends it (the outbox); e-mail and webhooks are made from it afterwards, in the background,
// so a vote of 100,000 electors adds one row to its opening, not 100,000.
import type { Entry, OrgState } from '../model.ts';
import { councilMembers } from '../organisation/membership.ts';
import type { AttentionKind } from './inbox.ts';
import { votersOf } from '../votes/settled.ts';
import { addDays } from '../kernel/time.ts';
import { attentionDays } from './attention-index.ts';

/**
 * Whether an expiry is recorded so long after its deadline that telling anyone would be news of nothing: the first
 * pass of a server that records expiries over a record kept before it did (every petition and request that ran
 * out of time then) tells nobody of those.
 */
const stale = (deadline: string, recorded: string) => addDays(deadline, attentionDays) < recorded;

/** The acts that may start an inbox item: the outbox records their entries. */
export const noticeActs: ReadonlySet<string> = new Set([
  'motion_moved',
  'debate_opened',
  'vote_opened',
  'vote_closed',
  'vote_failed',
  'decryption_due',
  'motion_lapsed',
  'petition_opened',
  'petition_expired',
  'privileged_act_requested',
  'privileged_act_expired',
  'record_revealed',
]);

/**
 * What a notice is about: an inbox item's kind, or a notice with no inbox item of its own (a motion of yours
 * lapsed, a petition or request you made or signed expired: it is over, so nothing waits in the inbox, but those
 * who started or backed it are told).
 */
export type NoticeKind = AttentionKind | 'motion_lapsed' | 'petition_expired' | 'request_expired';

export interface Notice {
  kind: NoticeKind;
  /** Who it concerns, in a stable order. */
  memberIds: string[];
  title: string;
  /** The web app's page of it, e.g. "/motions/motion_…". */
  path: string;
  councilId: string;
  /** A decryption duty's deadline (ISO 8601), told in its message. */
  deadline?: string;
}

const payloadOf = (e: Entry) => e.payload as unknown as Record<string, unknown>;

/**
 * The notices an entry makes, from the state after it (or later: an electorate is fixed when its vote opens,
 * a council's membership is read as of `now`). An entry whose subject is gone makes none.
 */
export function noticesOf(state: OrgState, entry: Entry, now: string): Notice[] {
  const p = payloadOf(entry);
  const str = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : '');
  const others = (ids: Iterable<string>) => [...new Set(ids)].filter((id) => id !== entry.actor).sort();
  switch (entry.act) {
    case 'motion_moved':
    case 'debate_opened': {
      const m = state.motions.get(str('motionId'));
      if (!m || (entry.act === 'motion_moved' && p.draft === true)) return [];
      const base = { title: m.title, path: `/motions/${m.id}`, councilId: m.councilId };
      const about =
        m.kind === 'recall' && m.mandateId ? state.mandates.get(m.mandateId)?.memberId : undefined;
      const notices: Notice[] = [];
      if (about) notices.push({ ...base, kind: 'recall_motion', memberIds: [about] });
      const members = others(councilMembers(state, m.councilId, now)).filter((id) => id !== about);
      notices.push({ ...base, kind: 'motion_debate', memberIds: members });
      return notices;
    }
    case 'vote_opened': {
      const v = state.votes.get(str('voteId'));
      const m = v && state.motions.get(v.motionId);
      if (!v || !m) return [];
      const base = { title: m.title, path: `/motions/${m.id}`, councilId: v.councilId };
      const notices: Notice[] = [{ ...base, kind: 'vote_open', memberIds: [...v.electorate.keys()].sort() }];
      if (v.secret) notices.push({ ...base, kind: 'trustee_keys', memberIds: [...v.secret.trustees] });
      return notices;
    }
    case 'vote_closed':
    case 'vote_failed': {
      const v = state.votes.get(str('voteId'));
      const m = v && state.motions.get(v.motionId);
      if (!v || !m) return [];
      const took = v.secret ? v.secret.issued.map((i) => i.member) : votersOf(v);
      return [
        {
          kind: 'vote_result',
          memberIds: [...new Set(took)].sort(),
          title: m.title,
          path: `/motions/${m.id}`,
          councilId: v.councilId,
        },
      ];
    }
    case 'decryption_due': {
      // the trustees called to decrypt, with the deadline (src/core/secret/decryption.ts)
      const v = state.votes.get(str('voteId'));
      const m = v && state.motions.get(v.motionId);
      const awaited = Array.isArray(p.awaited) ? (p.awaited as string[]) : [];
      if (!v || !m || awaited.length === 0) return [];
      return [
        {
          kind: 'trustee_decryption',
          memberIds: [...awaited],
          title: m.title,
          path: `/motions/${m.id}`,
          councilId: v.councilId,
          ...(typeof p.decryptBy === 'string' ? { deadline: p.decryptBy } : {}),
        },
      ];
    }
    case 'motion_lapsed': {
      // the organisation's act: its mover is told (a moverless motion has nobody to tell)
      const m = state.motions.get(str('motionId'));
      if (!m?.moverId) return [];
      return [
        {
          kind: 'motion_lapsed',
          memberIds: [m.moverId],
          title: m.title,
          path: `/motions/${m.id}`,
          councilId: m.councilId,
        },
      ];
    }
    case 'petition_opened': {
      const pt = state.power.petitions.get(str('petitionId'));
      if (!pt) return [];
      const base = { title: pt.title, path: `/petitions/${pt.id}`, councilId: pt.councilId };
      const about =
        pt.kind === 'recall' && pt.mandateId ? state.mandates.get(pt.mandateId)?.memberId : undefined;
      const signers = others(Object.keys(pt.required).flatMap((c) => councilMembers(state, c, now)));
      const notices: Notice[] = [];
      if (about) notices.push({ ...base, kind: 'recall_petition', memberIds: [about] });
      notices.push({ ...base, kind: 'petition', memberIds: signers.filter((id) => id !== about) });
      return notices;
    }
    case 'petition_expired': {
      // its opener and signers, and the deputy a recall petition was about (told when it opened)
      const pt = state.power.petitions.get(str('petitionId'));
      if (!pt || stale(pt.deadline, entry.time)) return [];
      const about =
        pt.kind === 'recall' && pt.mandateId ? state.mandates.get(pt.mandateId)?.memberId : undefined;
      const ids = [pt.openedBy, ...pt.signatures.keys(), ...(about === undefined ? [] : [about])];
      return [
        {
          kind: 'petition_expired',
          memberIds: [...new Set(ids)].sort(),
          title: pt.title,
          path: `/petitions/${pt.id}`,
          councilId: pt.councilId,
        },
      ];
    }
    case 'privileged_act_expired': {
      // who asked for it and who approved it (an approval withdrawn or lapsed was given all the same)
      const r = state.power.requests.get(str('requestId'));
      if (!r || stale(r.expiresAt, entry.time)) return [];
      const ids = [r.requestedBy, ...r.approvals.map((a) => a.memberId)];
      return [
        {
          kind: 'request_expired',
          memberIds: [...new Set(ids)].sort(),
          title: r.kind,
          path: `/requests/${r.id}`,
          councilId: r.councilId,
        },
      ];
    }
    case 'privileged_act_requested': {
      const r = state.power.requests.get(str('requestId'));
      if (!r) return [];
      return [
        {
          kind: 'approval',
          memberIds: others(r.approvers),
          title: r.kind,
          path: `/requests/${r.id}`,
          councilId: r.councilId,
        },
      ];
    }
    case 'record_revealed': {
      const s = state.sealed.get(Number(p.sealedSeq));
      if (!s) return [];
      return [
        {
          kind: 'sealed_released',
          memberIds: others(councilMembers(state, s.councilId, now)),
          title: s.label,
          path: '/record',
          councilId: s.councilId,
        },
      ];
    }
    default:
      return [];
  }
}
