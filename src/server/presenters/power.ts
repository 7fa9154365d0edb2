// Presenters of power from below, collective authority and the record's sealed entries (see organisation.ts).
import { approvalMessage, type Entry, type TransparencyPage } from '../../core/index.ts';
import type {
  getPetition,
  getPowerSettings,
  getRequest,
  listCommittees,
  listMemberKeys,
  listPetitions,
  listRequests,
} from '../../store/read-power.ts';
import type { listSealedRecords } from '../../store/sealed-secrets.ts';
import type {
  Committees,
  MemberKeys,
  Petition,
  PetitionOpened,
  Petitions,
  PowerSettings,
  PrivilegedRequests,
  RequestDetail,
  RequestMade,
  TransparencyReport as TransparencyReply,
} from '../responses/power.ts';
import type { SealedRecords } from '../responses/record.ts';
import type { Static } from '@sinclair/typebox';
import { presentWritten } from './organisation.ts';

type Result<F extends (...args: never[]) => unknown> = NonNullable<Awaited<ReturnType<F>>>;

/** `signed`: the petitions the reader has signed (a list carries no signatures of its own). */
export const presentPetitions = (
  page: Result<typeof listPetitions>,
  signed: ReadonlySet<string>,
): Static<typeof Petitions> => ({
  petitions: page.petitions.map((p) => ({ ...p, signedByMe: signed.has(p.id) })),
  next: page.next,
});
export const presentPetition = (p: Result<typeof getPetition>, signedByMe: boolean): Petition => ({
  ...p,
  signedByMe,
});
export const presentMemberKeys = (keys: Result<typeof listMemberKeys>): Static<typeof MemberKeys> => ({
  keys,
});
export const presentRequests = (page: Result<typeof listRequests>): Static<typeof PrivilegedRequests> => page;
export const presentCommittees = (page: Result<typeof listCommittees>): Static<typeof Committees> => page;
export const presentPowerSettings = (s: Result<typeof getPowerSettings>): PowerSettings => s;

/** The id a write's entry of this act carries in this payload field ('' when there is none). */
function payloadId(entries: readonly Entry[], act: Entry['act'], field: string): string {
  const e = entries.find((x) => x.act === act);
  const value: unknown = e ? new Map(Object.entries(e.payload)).get(field) : undefined;
  return typeof value === 'string' ? value : '';
}

export function presentPetitionOpened(entries: readonly Entry[]): Static<typeof PetitionOpened> {
  return { petitionId: payloadId(entries, 'petition_opened', 'petitionId'), ...presentWritten(entries) };
}

export function presentRequestMade(entries: readonly Entry[]): Static<typeof RequestMade> {
  return {
    requestId: payloadId(entries, 'privileged_act_requested', 'requestId'),
    ...presentWritten(entries),
  };
}

/** A request with the exact message this member would sign to approve it (their next round). */
export function presentRequest(r: Result<typeof getRequest>, orgId: string, memberId: string): RequestDetail {
  const round = r.approvals.filter((a) => a.memberId === memberId).length;
  const message = new TextDecoder().decode(approvalMessage(orgId, r.id, r.contentHash, round));
  return { ...r, signing: { orgId, requestId: r.id, contentHash: r.contentHash, round, message } };
}

export function presentSealedRecords(
  records: Result<typeof listSealedRecords>,
): Static<typeof SealedRecords> {
  return { sealed: records.length, revealed: records.filter((r) => r.revealedAt !== null).length, records };
}

/** A page of the transparency report (the organisation's figures whole, a page of the councils' rows). */
export const presentTransparency = (page: TransparencyPage): TransparencyReply => page;
