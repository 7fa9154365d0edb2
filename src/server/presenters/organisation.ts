// Presenters: repository results and log entries into the API's shapes (src/server/responses). Each returns the
// Static type of its route's response schema, so a field renamed in the store or in a schema fails to compile
// here, and the web app, which imports the same types, fails to compile with it.
import type { Entry } from '../../core/index.ts';
import type { CouncilNode, getCouncilMembers } from '../../store/read-councils.ts';
import type {
  getInvitation,
  getMandate,
  getMotion,
  getOrg,
  getVote,
  listMandates,
  listMotions,
  listPastMotions,
} from '../../store/read-repository.ts';
import type { getMe } from '../../store/read-landing.ts';
import type { Moved, Written } from '../responses/common.ts';
import type { Council, InvitationView, Mandate, Me, Motion, Org, Vote } from '../responses/organisation.ts';
import type { Principal } from '../service.ts';
import type { Static } from '@sinclair/typebox';

type Result<F extends (...args: never[]) => unknown> = NonNullable<Awaited<ReturnType<F>>>;

/** The entries a command appended: the first seq, the acts, the entries. */
export function presentWritten(entries: readonly Entry[]): Written {
  return {
    seq: entries[0]?.seq ?? null,
    acts: entries.map((e) => e.act),
    entries: entries.map(presentEntry),
  };
}

export function presentEntry(e: Entry): Written['entries'][number] {
  return { seq: e.seq, act: e.act, actor: e.actor, time: e.time, payload: { ...e.payload } };
}

/** A motion moved (a motion, an election, a recall): its id and its first entry's seq. */
export function presentMoved(entries: readonly Entry[]): Moved {
  const e = entries.find((x) => x.act === 'motion_moved');
  if (e?.act !== 'motion_moved') throw new Error('no motion_moved entry');
  return { motionId: e.payload.motionId, seq: entries[0]!.seq };
}

export function presentOrg(
  org: Result<typeof getOrg>,
  mine: Pick<Org, 'councilCount' | 'memberCount' | 'myCouncilIds' | 'councils'>,
): Org {
  return { ...org, ...mine };
}

/** A higher council's members: its sitting deputies (a few, never paged). */
export function deputiesAsMembers(council: CouncilNode): Council['members'] {
  return council.deputies.map((d) => ({ id: d.memberId, name: d.memberName, joinedAt: d.startedAt }));
}

/** A council's page: a base council's first page of members, a higher council's deputies as its members. */
export function presentCouncil(
  council: CouncilNode,
  members: Result<typeof getCouncilMembers> | null,
  councilNames: ReadonlyMap<string, string>,
  mandates: Result<typeof listMandates>,
  motions: Result<typeof listMotions>,
  past: Result<typeof listPastMotions>,
): Council {
  return {
    ...council,
    members: members?.members ?? deputiesAsMembers(council),
    membersNext: members?.next ?? null,
    councilNames: Object.fromEntries(councilNames),
    mandates,
    motions,
    pastMotions: past.motions,
    pastMotionsNext: past.next,
  };
}

export const presentMandate = (m: Result<typeof getMandate>): Mandate => m;
export const presentMotion = (
  m: Result<typeof getMotion>,
  petition?: Motion['petition'],
  deputyId?: string,
): Motion => ({
  ...m,
  ...(petition ? { petition } : {}),
  ...(deputyId !== undefined ? { deputyId } : {}),
});
export const presentVote = (v: Result<typeof getVote>): Vote => v;

export function presentMe(
  p: Principal,
  { member, org, mandates, locale, admission, recalls }: Result<typeof getMe>,
): Me {
  return {
    ...(admission ? { admission } : {}),
    ...(recalls.length > 0 ? { recalls } : {}),
    member,
    organisation: { id: org.id, name: org.name },
    mandates,
    csrfToken: p.csrfToken ?? null,
    authenticatedBy: p.via,
    locale: locale ?? null,
  };
}

export function presentInvitation(
  org: Result<typeof getOrg>,
  invitation: Result<typeof getInvitation>,
  councilName: string | undefined,
  expiresAt: string,
): Static<typeof InvitationView> {
  return {
    organisation: { id: org.id, name: org.name },
    council: { id: invitation.councilId, ...(councilName === undefined ? {} : { name: councilName }) },
    name: invitation.name,
    expiresAt,
  };
}
