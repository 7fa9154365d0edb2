// Test data in one place: the founding of an organisation, its councils and members, and motions. Tests say only
// what matters to them (`organisation({ councils: [...], founders: members('north', 'Ana', 'Ben') })`); the
// command's shape lives here, so a change to it is made once.
import type { Command } from '../../src/core/index.ts';

export type Founding = Extract<Command, { type: 'found_organisation' }>;
export type CouncilSpec = Founding['councils'][number];
export type Founder = Founding['founders'][number];
export type MoveMotion = Extract<Command, { type: 'move_motion' }>;

/**
 * The procedure of test organisations that are not about it (docs/PROCEDURE.md): no seconders, no minimum
 * debate, votes as short as a minute, no cooling-off. The mover still opens the vote. A new organisation gets the
 * default procedure; tests of the procedure found theirs with `constitution: { procedure: … }` or `{}`.
 */
export const instantProcedure = {
  seconders: { kind: 'absolute', count: 0 },
  debateMinimumMinutes: 0,
  votingMinimumMinutes: 1,
  coolingOffDays: 0,
} as const;

/**
 * The command that founds an organisation. Councils default to one root council, `all`; founders to none
 * (members then join by the founding's invitations). The constitution is `instantProcedure` with whatever the
 * spec's constitution names (its own `procedure` replaces it).
 */
export function organisation<S extends Omit<Founding, 'type' | 'councils' | 'founders'> & Partial<Founding>>(
  spec: S,
): Founding & S {
  return {
    type: 'found_organisation',
    councils: [council('all', 'All')],
    founders: [],
    ...spec,
    constitution: withInstantProcedure(spec.constitution),
  };
}

/** A founders' constitution with `instantProcedure` unless it names its own procedure. */
export function withInstantProcedure(constitution: unknown): Record<string, unknown> {
  return { procedure: instantProcedure, ...(constitution as Record<string, unknown> | undefined) };
}

/** A council; a root when it names no parent. */
export function council(
  id: string,
  name: string,
  parentId: string | null = null,
  seatsInParent = 0,
): CouncilSpec {
  return { id, name, parentId, seatsInParent };
}

/** Founding members of one council, their ids the names in lower case ("Ana" → "ana"). */
export function members(councilId: string, ...names: string[]): Founder[] {
  return names.map((name) => ({ memberId: name.toLowerCase(), name, councilId }));
}

/** Invitations into one council, issued by the founding. */
export function invitations(councilId: string, ...names: string[]): { name: string; councilId: string }[] {
  return names.map((name) => ({ name, councilId }));
}

/** Federation (root) ← North, South (base councils, one deputy each). */
export const federationCouncils: CouncilSpec[] = [
  council('fed', 'Federation Council'),
  council('north', 'North', 'fed', 1),
  council('south', 'South', 'fed', 1),
];

/** A motion moved in a council: a title and an empty text unless given. */
export function motion(
  councilId: string,
  fields: Partial<Omit<MoveMotion, 'type' | 'councilId'>> = {},
): MoveMotion {
  return { type: 'move_motion', councilId, title: 'A motion', text: '', ...fields };
}
