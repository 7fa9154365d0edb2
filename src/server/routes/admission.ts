// Collective admission over HTTP (docs/PROCEDURE.md "Admission"): a council's admissions with who proposed,
// approved and objected; approving; objecting (which sends the admission to an admission motion). Every write is
// one command of the core.
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { limits } from '../../core/index.ts';
import { getAdmission, listAdmissions } from '../../store/read-admissions.ts';
import { requireOrgMember } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { CouncilParams, Id } from '../schemas.ts';
import type { CouncilsService } from '../service.ts';
import { Admission, Admissions } from '../responses/admission.ts';

const AdmissionParams = Type.Object({ org: Id, invitation: Id });
const ObjectionBody = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: limits.comment }) },
  { additionalProperties: false },
);

export function admissionRoutes(app: FastifyInstance, service: CouncilsService): void {
  const q = service.db.kysely;

  app.get<{ Params: Static<typeof CouncilParams> }>(
    '/orgs/:org/councils/:council/admissions',
    {
      schema: {
        tags: ['councils'],
        summary:
          "The council's admissions, newest first: who proposed, approved and objected, and where each stands",
        params: CouncilParams,
        response: { 200: Admissions },
      },
    },
    async (request) => {
      const { org, council } = request.params;
      requireOrgMember(request, org);
      const admissions = await listAdmissions(q, org, council, service.now());
      if (!admissions) throw new ApiError('not_found', 'no such council');
      return { admissions };
    },
  );

  const act = (
    path: string,
    summary: string,
    body: typeof ObjectionBody | undefined,
    command: (invitationId: string, b: unknown) => Parameters<CouncilsService['run']>[2],
  ) =>
    app.post<{ Params: Static<typeof AdmissionParams>; Body: unknown }>(
      `/orgs/:org/admissions/:invitation/${path}`,
      {
        schema: {
          tags: ['councils'],
          summary,
          params: AdmissionParams,
          ...(body ? { body } : {}),
          response: { 201: Admission },
        },
      },
      async (request, reply) => {
        const p = requireOrgMember(request, request.params.org);
        await service.run(p.orgId, p.memberId, command(request.params.invitation, request.body));
        const a = await getAdmission(q, p.orgId, request.params.invitation, service.now());
        if (!a) throw new ApiError('not_found', 'no such admission');
        return reply.status(201).send(a);
      },
    );

  act(
    'approvals',
    'Approve an admission (a member of the council other than the proposer); the objection period starts when enough have',
    undefined,
    (invitationId) => ({ type: 'approve_admission', invitationId }),
  );
  act(
    'objections',
    'Object to an admission: the council then decides it by an admission motion',
    ObjectionBody,
    (invitationId, b) => ({ type: 'object_to_admission', invitationId, text: (b as { text: string }).text }),
  );
}
