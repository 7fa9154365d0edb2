// What an open ballot says, in the shape its vote's method needs (src/count decides the shapes), checked
// against the vote's options before it is accepted.
import { AGAINST, ballotShape, type MethodId } from '../../count/index.ts';
import { InvalidCommand } from '../kernel/errors.ts';
import type { ReasonId, ReasonParams } from '../kernel/reasons.ts';

export type BallotContent =
  | { choice: string | null }
  | { approve: string[] }
  | { ranking: string[][] }
  | { scores: Record<string, number> };

export interface BallotRules {
  method: MethodId;
  /** The vote's options (alternatives or candidates), plus AGAINST when the status quo is on the ballot. */
  options: readonly string[];
  maxScore?: number;
}

/** Why a ballot does not fit its vote: a reason id of src/core/kernel/reasons.ts and its parameters. */
export interface BallotMisfit {
  reason: Extract<ReasonId, `ballot_${string}`>;
  params?: ReasonParams;
}

/** Null when the ballot fits the rules, else why. Throws InvalidCommand when it is not a ballot at all. */
export function ballotProblem(ballot: unknown, rules: BallotRules): BallotMisfit | null {
  if (typeof ballot !== 'object' || ballot === null || Array.isArray(ballot)) {
    throw new InvalidCommand('not_an_object', 'ballot');
  }
  const shape = ballotShape(rules.method);
  const keys = Object.keys(ballot);
  if (keys.length !== 1 || keys[0] !== shape) return { reason: 'ballot_form', params: { shape } };
  const given = new Set(rules.options);
  const known = (o: unknown) => typeof o === 'string' && given.has(o);
  const options = { options: [...rules.options].join(', ') };
  const b = ballot as Record<string, unknown>;
  switch (shape) {
    case 'choice':
      return b.choice === null || known(b.choice) ? null : { reason: 'ballot_choose_one', params: options };
    case 'approve': {
      const a = b.approve;
      if (!Array.isArray(a) || !a.every(known)) return { reason: 'ballot_approve_list', params: options };
      return new Set(a).size === a.length ? null : { reason: 'ballot_approve_twice' };
    }
    case 'ranking': {
      const r = b.ranking;
      if (!Array.isArray(r) || !r.every((g) => Array.isArray(g) && g.length > 0 && g.every(known))) {
        return { reason: 'ballot_ranking_form', params: options };
      }
      const flat = r.flat();
      return new Set(flat).size === flat.length ? null : { reason: 'ballot_rank_twice' };
    }
    case 'scores': {
      const s = b.scores;
      const max = rules.maxScore ?? 0;
      if (typeof s !== 'object' || s === null || Array.isArray(s)) return { reason: 'ballot_scores_map' };
      for (const [o, v] of Object.entries(s)) {
        if (!known(o)) return { reason: 'ballot_score_unknown', params: { option: o } };
        if (!Number.isSafeInteger(v) || (v as number) < 0 || (v as number) > max) {
          return { reason: 'ballot_score_range', params: { max } };
        }
      }
      return null;
    }
  }
}

/** Whether a ballot is an abstention: it expresses no preference at all. */
export function isAbstention(b: BallotContent): boolean {
  if ('choice' in b) return b.choice === null;
  if ('approve' in b) return b.approve.length === 0;
  if ('ranking' in b) return b.ranking.length === 0;
  return Object.keys(b.scores).length === 0;
}

/** Whether a ballot supported an outcome: chose it, approved it, ranked it first, or gave it its top score. */
export function supports(b: BallotContent, option: string): boolean {
  if ('choice' in b) return b.choice === option;
  if ('approve' in b) return b.approve.includes(option);
  if ('ranking' in b) return b.ranking[0]?.includes(option) ?? false;
  const scores = Object.values(b.scores);
  return scores.length > 0 && b.scores[option] === Math.max(...scores);
}

export { AGAINST };
