// Mandates end by recall (decide-votes), by resignation, or when their term runs out.
import type { DecideContext } from '../kernel/command.ts';
import { accept } from '../kernel/decision.ts';
import { reject } from '../kernel/errors.ts';
import { type Command, type Decision, newEntry, type OrgState } from '../model.ts';

type MandateCommand = Extract<Command, { type: 'resign_mandate' | 'expire_mandates' }>;

export function decideMandateCommand(state: OrgState, c: MandateCommand, ctx: DecideContext): Decision {
  if (c.type === 'resign_mandate') {
    const m = state.mandates.get(c.mandateId);
    if (!m) return reject('not_found', 'no_such_mandate');
    if (m.memberId !== ctx.actor) return reject('not_allowed', 'only_deputy_resigns');
    if (m.endedAt !== null || m.termEnds <= ctx.now) return reject('wrong_state', 'mandate_ended');
    return accept(
      newEntry('mandate_ended', ctx.actor, ctx.now, { mandateId: m.id, reason: 'resigned', motionId: null }),
    );
  }
  // Terms run out by themselves (rights end at termEnds whatever the log says); this records it.
  return accept(
    ...dueTermEnds(state, ctx.now).map((mandateId) =>
      newEntry('mandate_ended', null, ctx.now, { mandateId, reason: 'expired', motionId: null }),
    ),
  );
}

/**
 * Mandates not ended whose term is over at `now`, in the order they started: read from the state's index of
 * mandates in force by the end of their term (src/core/schedule), not by walking every mandate ever held.
 */
export function dueTermEnds(state: OrgState, now: string): string[] {
  return state.due.mandates.due(now);
}

/** dueTermEnds by walking every mandate: the reference the index is checked against. */
export function dueTermEndsByScan(state: OrgState, now: string): string[] {
  return [...state.mandates.values()].filter((m) => m.endedAt === null && m.termEnds <= now).map((m) => m.id);
}
