// Webhook endpoints over HTTP (docs/API.md "Webhooks", docs/NOTIFICATIONS.md "Webhooks"): thin routes over
// src/server/webhooks/endpoints.ts. Registering, rotating a secret and removing are requests for privileged acts,
// approved at POST …/requests/:id/approvals like the others.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { webhookEventTypes } from '../../core/index.ts';
import { requireOrgMember } from '../auth.ts';
import { Id, OrgParams, PageQuery } from '../schemas.ts';
import { badCursor } from '../paging.ts';
import type { CouncilsService } from '../service.ts';
import {
  WebhookDeliveries,
  WebhookDeliveryDetail,
  WebhookEndpoints,
  WebhookReplayed,
  WebhookRequested,
} from '../responses/webhooks.ts';
import { WebhookService } from '../webhooks/endpoints.ts';

const EndpointParams = Type.Object({ org: Id, endpoint: Id });
const DeliveryParams = Type.Object({
  org: Id,
  endpoint: Id,
  delivery: Type.String({ minLength: 1, maxLength: 64, pattern: '^msg_[A-Za-z0-9_-]+$' }),
});
const NewEndpoint = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2048 }),
    events: Type.Array(Type.Union(webhookEventTypes.map((t) => Type.Literal(t))), {
      minItems: 1,
      maxItems: webhookEventTypes.length,
      uniqueItems: true,
    }),
    councilId: Type.Optional(Type.Union([Id, Type.Null()])),
  },
  { additionalProperties: false },
);
const EnabledBody = Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false });
const Enabled = Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false });

type EndpointP = Static<typeof EndpointParams>;
type DeliveryP = Static<typeof DeliveryParams>;

export function webhookRoutes(app: FastifyInstance, service: CouncilsService): void {
  const webhooks = new WebhookService(service);

  app.get<{ Params: Static<typeof OrgParams> }>(
    '/orgs/:org/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary: "The organisation's webhook endpoints, and the event types they may ask for",
        params: OrgParams,
        response: { 200: WebhookEndpoints },
      },
    },
    async (request) => webhooks.list(requireOrgMember(request, request.params.org)),
  );

  app.post<{ Params: Static<typeof OrgParams>; Body: Static<typeof NewEndpoint> }>(
    '/orgs/:org/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary:
          'Request a webhook endpoint (a privileged act: it sends nothing until approved); its signing secret is shown this once',
        params: OrgParams,
        body: NewEndpoint,
        response: { 201: WebhookRequested },
      },
    },
    async (request, reply) => {
      const p = requireOrgMember(request, request.params.org);
      return reply.status(201).send(await webhooks.requestRegistration(p, request.body));
    },
  );

  const acts = [
    { path: 'rotate', summary: 'Request a new signing secret (shown this once; it signs once approved)' },
    { path: 'remove', summary: 'Request the removal of an endpoint' },
  ] as const;
  for (const a of acts)
    app.post<{ Params: EndpointP }>(
      `/orgs/:org/webhooks/:endpoint/${a.path}`,
      {
        schema: {
          tags: ['webhooks'],
          summary: a.summary,
          params: EndpointParams,
          response: { 201: WebhookRequested },
        },
      },
      async (request, reply) => {
        const p = requireOrgMember(request, request.params.org);
        const id = request.params.endpoint;
        const made = a.path === 'rotate' ? webhooks.requestRotation(p, id) : webhooks.requestRemoval(p, id);
        return reply.status(201).send(await made);
      },
    );

  app.put<{ Params: EndpointP; Body: Static<typeof EnabledBody> }>(
    '/orgs/:org/webhooks/:endpoint/enabled',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Disable or enable an endpoint (those who may approve its acts)',
        params: EndpointParams,
        body: EnabledBody,
        response: { 200: Enabled },
      },
    },
    async (request) => {
      const p = requireOrgMember(request, request.params.org);
      await webhooks.setEnabled(p, request.params.endpoint, request.body.enabled);
      return { enabled: request.body.enabled };
    },
  );

  app.get<{ Params: EndpointP; Querystring: Static<typeof PageQuery> }>(
    '/orgs/:org/webhooks/:endpoint/deliveries',
    {
      schema: {
        tags: ['webhooks'],
        summary: "An endpoint's deliveries, newest first (those who may approve its acts)",
        params: EndpointParams,
        querystring: PageQuery,
        response: { 200: WebhookDeliveries },
      },
    },
    async (request) => {
      const p = requireOrgMember(request, request.params.org);
      const { after, limit } = request.query;
      // The cursor is the seq of the last delivery of the page before (newest first).
      if (after !== undefined && !/^\d{1,15}$/.test(after)) throw badCursor();
      return webhooks.deliveries(
        p,
        request.params.endpoint,
        after === undefined ? undefined : Number(after),
        limit ?? 100,
      );
    },
  );

  app.get<{ Params: DeliveryP }>(
    '/orgs/:org/webhooks/:endpoint/deliveries/:delivery',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'A delivery: its body and every attempt',
        params: DeliveryParams,
        response: { 200: WebhookDeliveryDetail },
      },
    },
    async (request) => {
      const p = requireOrgMember(request, request.params.org);
      return webhooks.delivery(p, request.params.endpoint, request.params.delivery);
    },
  );

  app.post<{ Params: DeliveryP }>(
    '/orgs/:org/webhooks/:endpoint/deliveries/:delivery/replay',
    {
      schema: {
        tags: ['webhooks'],
        summary:
          'Send a delivery again now, with the same webhook-id and body; answers what the receiver said',
        params: DeliveryParams,
        response: { 200: WebhookReplayed },
      },
    },
    async (request) => {
      const p = requireOrgMember(request, request.params.org);
      return webhooks.replay(p, request.params.endpoint, request.params.delivery);
    },
  );
}
