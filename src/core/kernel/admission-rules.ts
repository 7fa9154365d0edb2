// The constitution's rules of admission (docs/PROCEDURE.md "Admission"): an invitation issued by a member is a
// proposal to admit; the person becomes a member (an elector, part of the quorum) only when the council admits
// them. Kept under `constitution.admission`; a constitution written before these rules existed has no such block,
// and its invitations admit on acceptance, as they did then.
import { InvalidCommand } from './errors.ts';
import { requiredOf, type Threshold } from './power-rules.ts';

export interface AdmissionRules {
  /**
   * 'approvals': enough members besides the proposer approve, then an objection period runs, and an objection
   * sends the admission to a vote; 'motion': every admission is an admission motion, decided by vote.
   */
  by: 'approvals' | 'motion';
  /** Members of the council, besides the proposer, who must approve: a share (rounded up) or a number. */
  approvals: Threshold;
  /** Minutes after the last approval needed during which any member may object. */
  objectionMinutes: number;
}

/**
 * A fifth of the other members (at least one) is the default petition threshold too: bringing in an elector
 * takes as much support as putting an item on the agenda. The objection period is as long as the default vote,
 * so the quiet path is never quicker to slip past the council than the vote it replaces.
 */
export const defaultAdmissionRules: AdmissionRules = {
  by: 'approvals',
  approvals: { kind: 'fraction', num: 1, den: 5 },
  objectionMinutes: 7 * 24 * 60,
};

/**
 * Approvals an admission proposed now needs, of `others` members besides the proposer: never fewer than one
 * while anyone else sits in the council, never more than can be given (a council of one admits alone, after
 * the objection period).
 */
export function admissionApprovalsRequired(rules: AdmissionRules, others: number): number {
  return Math.min(requiredOf(rules.approvals, others), others);
}

/** Validates `constitution.admission` and fills in defaults; throws InvalidCommand naming the field. */
export function parseAdmissionRules(input: unknown): AdmissionRules {
  const d = defaultAdmissionRules;
  if (input === undefined) return structuredClone(d);
  const path = 'constitution.admission';
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new InvalidCommand('not_an_object', path);
  const a = input as Record<string, unknown>;
  for (const k of Object.keys(a)) if (!(k in d)) throw new InvalidCommand('unknown_setting', `${path}.${k}`);
  const by = a.by ?? d.by;
  if (by !== 'approvals' && by !== 'motion') throw new InvalidCommand('admission_by', `${path}.by`);
  const minutes = a.objectionMinutes ?? d.objectionMinutes;
  if (!Number.isSafeInteger(minutes) || (minutes as number) < 0)
    throw new InvalidCommand('integer_min', `${path}.objectionMinutes`, { min: 0 });
  return {
    by,
    approvals: approvalsThreshold(a.approvals, `${path}.approvals`),
    objectionMinutes: minutes as number,
  };
}

function approvalsThreshold(v: unknown, path: string): Threshold {
  if (v === undefined) return { ...defaultAdmissionRules.approvals };
  const t = v as { kind?: unknown; num?: unknown; den?: unknown; count?: unknown };
  if (t?.kind === 'absolute' && Number.isSafeInteger(t.count) && (t.count as number) >= 1)
    return { kind: 'absolute', count: t.count as number };
  if (
    t?.kind === 'fraction' &&
    Number.isSafeInteger(t.num) &&
    Number.isSafeInteger(t.den) &&
    (t.den as number) > 0 &&
    (t.num as number) >= 1 &&
    (t.num as number) <= (t.den as number)
  )
    return { kind: 'fraction', num: t.num as number, den: t.den as number };
  // At least one approval besides the proposer's: no member admits an elector alone.
  throw new InvalidCommand('approvals_kind', path);
}
