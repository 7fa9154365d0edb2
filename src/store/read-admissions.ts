// Read models of admissions (docs/PROCEDURE.md "Admission"): who proposed each, who approved and objected, who
// accepted, and where it stands now, from the admissions projection (and the motion that decides it, if any).
// Names come from the members table, so members see people, not ids. An admission whose council was dissolved or
// merged away reads as refused (its row's ended_by), as the core decides it (statusOf). API-shaped objects; row
// types stay here.
import type { Kysely } from 'kysely';
import { objectionEnds, statusOf, type AdmissionStatus } from '../core/index.ts';
import { parseJson } from './read-repository.ts';
import type { AdmissionRow, Database } from './schema.ts';

type Q = Kysely<Database>;

export interface AdmissionView {
  invitationId: string;
  councilId: string;
  name: string;
  by: 'approvals' | 'motion';
  status: AdmissionStatus;
  proposedBy: { id: string; name: string };
  proposedAt: string;
  required: number;
  approvals: { memberId: string; name: string; at: string }[];
  objectionEnds: string | null;
  objections: { memberId: string; name: string; at: string; text: string }[];
  motionId: string | null;
  memberId: string | null;
  acceptedAt: string | null;
  admittedAt: string | null;
}

/** The organisation's admissions. */
function admissionRows(q: Q, orgId: string) {
  return q.selectFrom('admissions as a').selectAll('a').where('a.org_id', '=', orgId);
}

async function views(q: Q, orgId: string, rows: AdmissionRow[], now: string): Promise<AdmissionView[]> {
  if (rows.length === 0) return [];
  const motionIds = rows.flatMap((r) => r.motion_id ?? []);
  const motions = new Map(
    motionIds.length === 0
      ? []
      : (
          await q
            .selectFrom('motions')
            .select(['id', 'state'])
            .where('org_id', '=', orgId)
            .where('id', 'in', motionIds)
            .execute()
        ).map((m) => [m.id, m.state]),
  );
  const parsed = rows.map((r) => ({
    r,
    approvals: parseJson<{ memberId: string; at: string }[]>(r.approvals),
    objections: parseJson<{ memberId: string; at: string; text: string }[]>(r.objections),
  }));
  const ids = [
    ...new Set(
      parsed.flatMap((p) => [
        p.r.proposed_by,
        ...p.approvals.map((a) => a.memberId),
        ...p.objections.map((o) => o.memberId),
      ]),
    ),
  ];
  const names = new Map(
    (
      await q
        .selectFrom('members')
        .select(['id', 'name'])
        .where('org_id', '=', orgId)
        .where('id', 'in', ids)
        .execute()
    ).map((m) => [m.id, m.name]),
  );
  const named = (id: string) => names.get(id) ?? id;
  return parsed.map(({ r, approvals, objections }) => {
    const fields = {
      admittedAt: r.admitted_at,
      motionId: r.motion_id,
      approvedAt: r.approved_at,
      objectionMinutes: Number(r.objection_minutes),
      endedBy: r.ended_by,
    };
    return {
      invitationId: r.invitation_id,
      councilId: r.council_id,
      name: r.name,
      by: r.by,
      status: statusOf(fields, r.motion_id === null ? undefined : motions.get(r.motion_id), now),
      proposedBy: { id: r.proposed_by, name: named(r.proposed_by) },
      proposedAt: r.proposed_at,
      required: Number(r.required),
      approvals: approvals.map((a) => ({ ...a, name: named(a.memberId) })),
      objectionEnds: objectionEnds(fields),
      objections: objections.map((o) => ({ ...o, name: named(o.memberId) })),
      motionId: r.motion_id,
      memberId: r.member_id,
      acceptedAt: r.accepted_at,
      admittedAt: r.admitted_at,
    };
  });
}

/** A council's admissions, newest first; undefined if the organisation has no such council (now). */
export async function listAdmissions(
  q: Q,
  orgId: string,
  councilId: string,
  now: string,
): Promise<AdmissionView[] | undefined> {
  const council = await q
    .selectFrom('councils')
    .select('id')
    .where('org_id', '=', orgId)
    .where('id', '=', councilId)
    .executeTakeFirst();
  if (!council) return undefined;
  // a council created with the id of a removed one lists that one's admissions too, refused (ended_by)
  const rows = await admissionRows(q, orgId)
    .where('a.council_id', '=', councilId)
    .orderBy('a.proposed_at', 'desc')
    .orderBy('a.invitation_id')
    .execute();
  return views(q, orgId, rows, now);
}

export async function getAdmission(q: Q, orgId: string, invitationId: string, now: string) {
  const rows = await admissionRows(q, orgId).where('a.invitation_id', '=', invitationId).execute();
  return (await views(q, orgId, rows, now))[0];
}

/** The admission a person who accepted but is not yet admitted waits on. */
export async function pendingAdmissionOf(q: Q, orgId: string, memberId: string, now: string) {
  const rows = await admissionRows(q, orgId)
    .where('a.member_id', '=', memberId)
    .where('a.admitted_at', 'is', null)
    .execute();
  return (await views(q, orgId, rows, now))[0];
}
