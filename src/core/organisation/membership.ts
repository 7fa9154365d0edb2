// Who sits where: the members of a council now, whether a mandate still confers rights, and the seats a council
// has left to fill in its parent. Read by the rules of every feature.
import type { Mandate } from '../mandates/types.ts';
import type { OrgState } from '../model.ts';
import type { Council } from './types.ts';

export function isBaseCouncil(c: Council): boolean {
  return c.childIds.length === 0;
}

/** A mandate confers rights only while it has not ended and its term has not run out. */
export function mandateActive(m: Mandate, now: string): boolean {
  return m.endedAt === null && m.termEnds > now;
}

export function activeMandates(state: OrgState, councilId: string, now: string): Mandate[] {
  return [...state.mandates.values()].filter((m) => m.councilId === councilId && mandateActive(m, now));
}

/** Members who may act in a council now: its people (base) or its sitting deputies (higher). */
export function councilMembers(state: OrgState, councilId: string, now: string): string[] {
  const c = state.councils.get(councilId);
  if (!c) return [];
  if (isBaseCouncil(c)) return [...c.memberIds];
  return [...new Set(activeMandates(state, councilId, now).map((m) => m.memberId))];
}

export function isCouncilMember(state: OrgState, councilId: string, memberId: string, now: string): boolean {
  const c = state.councils.get(councilId);
  if (!c) return false;
  if (isBaseCouncil(c)) return c.memberIds.has(memberId);
  return activeMandates(state, councilId, now).some((m) => m.memberId === memberId);
}

/** Seats of a child council in its parent not currently filled. */
export function openSeats(state: OrgState, childId: string, now: string): number {
  const child = state.councils.get(childId);
  if (!child || child.parentId === null) return 0;
  const filled = activeMandates(state, child.parentId, now).filter((m) => m.fromCouncilId === childId).length;
  return Math.max(0, child.seatsInParent - filled);
}
