// Sealed records over HTTP: deposit one in a council (its existence is public at once), list them with their
// release dates and, once revealed, their content.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { listSealedRecords } from '../../store/sealed-secrets.ts';
import { requireOrgMember } from '../auth.ts';
import { CouncilParams, OrgParams, Title } from '../schemas.ts';
import { sealRecord } from '../sealed-records.ts';
import type { CouncilsService } from '../service.ts';
import { Sealed, SealedRecords } from '../responses/record.ts';
import { presentSealedRecords } from '../presenters/power.ts';

const SealBody = Type.Object(
  {
    label: Title,
    content: Type.String({ minLength: 1, maxLength: 40_000 }),
    releaseAt: Type.Optional(
      Type.String({ format: 'date-time', description: 'ISO 8601 UTC, in the future' }),
    ),
    releaseCondition: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);

export function sealedRoutes(app: FastifyInstance, service: CouncilsService): void {
  app.post<{ Params: Static<typeof CouncilParams>; Body: Static<typeof SealBody> }>(
    '/orgs/:org/councils/:council/sealed',
    {
      schema: {
        tags: ['record'],
        summary: 'Seal a record: its label and release date are public now, its content when it is revealed',
        params: CouncilParams,
        body: SealBody,
        response: { 201: Sealed },
      },
    },
    async (request, reply) => {
      const { org, council } = request.params;
      const p = requireOrgMember(request, org);
      const seq = await sealRecord(service, org, p.memberId, { councilId: council, ...request.body });
      return reply.status(201).send({ seq });
    },
  );

  app.get<{ Params: Static<typeof OrgParams> }>(
    '/orgs/:org/sealed',
    {
      schema: {
        tags: ['record'],
        summary: 'Sealed records: labels, release, and content once revealed',
        params: OrgParams,
        response: { 200: SealedRecords },
      },
    },
    async (request) => {
      requireOrgMember(request, request.params.org);
      return presentSealedRecords(await listSealedRecords(service.db.kysely, request.params.org));
    },
  );
}
