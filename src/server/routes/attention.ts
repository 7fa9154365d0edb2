// The attention inbox over HTTP (docs/NOTIFICATIONS.md): a member reads their own inbox and marks items read.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireOrgMember } from '../auth.ts';
import { OrgParams } from '../schemas.ts';
import type { CouncilsService } from '../service.ts';
import { Attention, AttentionCount } from '../responses/attention.ts';
import { presentAttention } from '../presenters/attention.ts';
import { markRead, memberInbox } from '../attention.ts';

const ReadBody = Type.Union([
  Type.Object(
    { itemIds: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 500 }) },
    { additionalProperties: false },
  ),
  Type.Object({ all: Type.Literal(true) }, { additionalProperties: false }),
]);

export function attentionRoutes(app: FastifyInstance, service: CouncilsService): void {
  app.get<{ Params: Static<typeof OrgParams> }>(
    '/orgs/:org/attention',
    {
      schema: {
        tags: ['notifications'],
        summary: 'What needs your attention: open votes, debates, petitions, approvals, duties and results',
        params: OrgParams,
        response: { 200: Attention },
      },
    },
    async (request) => {
      const p = requireOrgMember(request, request.params.org);
      const { items, read } = await memberInbox(service, p);
      return presentAttention(items, read);
    },
  );

  app.post<{ Params: Static<typeof OrgParams>; Body: Static<typeof ReadBody> }>(
    '/orgs/:org/attention/read',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark items of your inbox read ({itemIds}) or all of them ({all: true})',
        params: OrgParams,
        body: ReadBody,
        response: { 200: AttentionCount },
      },
    },
    async (request) => {
      const p = requireOrgMember(request, request.params.org);
      await markRead(service, p, request.body);
      const { items, read } = await memberInbox(service, p);
      return { unread: presentAttention(items, read).unread };
    },
  );
}
