// Live pages over HTTP (docs/NOTIFICATIONS.md "Live pages"): GET /orgs/:org/live is a Server-Sent Events stream
// of what changes in the organisation's log, for its signed-in members (session cookie or API token).
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireOrgMember, sessionCookie } from '../auth.ts';
import { OrgParams } from '../schemas.ts';
import type { CouncilsService, Principal } from '../service.ts';
import type { LiveHub } from '../live/live-hub.ts';

/** The stream as the OpenAPI document describes it: `text/event-stream`, events described in docs/NOTIFICATIONS.md. */
const EventStream = {
  description: 'Server-Sent Events: ready, change and reset events, and heartbeats (docs/NOTIFICATIONS.md)',
  content: { 'text/event-stream': { schema: Type.String() } },
};

export function liveRoutes(app: FastifyInstance, service: CouncilsService, hub: LiveHub): void {
  app.get<{ Params: Static<typeof OrgParams> }>(
    '/orgs/:org/live',
    {
      schema: {
        tags: ['notifications'],
        summary: 'A stream of what changes in the organisation (Server-Sent Events), for live pages',
        params: OrgParams,
        response: { 200: EventStream },
      },
    },
    async (request, reply) => {
      const p = requireOrgMember(request, request.params.org);
      const release = hub.reserve(p);
      reply.hijack();
      void hub.open(p, reply.raw, lastEventId(request), stillValid(service, request, p), release);
    },
  );
}

/** The log size the browser was told of before it reconnected (EventSource sends the last event's id). */
function lastEventId(request: FastifyRequest): number | undefined {
  const h = request.headers['last-event-id'];
  return typeof h === 'string' && /^\d{1,15}$/.test(h) ? Number(h) : undefined;
}

/** Whether the session or API token the stream was opened with still signs in the same member. */
function stillValid(service: CouncilsService, request: FastifyRequest, p: Principal) {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  const cookie = request.cookies[sessionCookie];
  const ua = request.headers['user-agent'] ?? null;
  return async () => {
    const now = bearer
      ? await service.principalFromApiToken(bearer, ua)
      : cookie
        ? await service.principalFromSession(cookie)
        : undefined;
    return now?.orgId === p.orgId && now.memberId === p.memberId;
  };
}
