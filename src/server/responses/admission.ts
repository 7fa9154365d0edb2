// Response schemas of admissions (src/server/routes/admission.ts; docs/PROCEDURE.md "Admission").
import { Type, type Static } from '@sinclair/typebox';
import { Count, Nullable, Obj, Time } from './common.ts';

const Named = Obj({ id: Type.String(), name: Type.String() });
const Act = Obj({ memberId: Type.String(), name: Type.String(), at: Time });

export const AdmissionStatus = Type.Union(
  ['awaiting_approvals', 'objection_period', 'in_vote', 'approved', 'admitted', 'refused'].map((s) =>
    Type.Literal(s),
  ),
);

export const Admission = Obj({
  invitationId: Type.String(),
  councilId: Type.String(),
  name: Type.String({ description: 'the name the invitation was issued to' }),
  by: Type.Union([Type.Literal('approvals'), Type.Literal('motion')]),
  status: AdmissionStatus,
  proposedBy: Named,
  proposedAt: Time,
  required: Count,
  approvals: Type.Array(Act),
  objectionEnds: Nullable(Time),
  objections: Type.Array(Obj({ ...Act.properties, text: Type.String() })),
  motionId: Nullable(Type.String()),
  memberId: Nullable(Type.String()),
  acceptedAt: Nullable(Time),
  admittedAt: Nullable(Time),
});
export type Admission = Static<typeof Admission>;

export const Admissions = Obj({ admissions: Type.Array(Admission) });
export type Admissions = Static<typeof Admissions>;
