// Accounts by invitation, sessions, API tokens, and "me".
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { getCouncilName, getInvitation, getOrg } from '../../store/read-repository.ts';
import { getMe } from '../../store/read-landing.ts';
import {
  clearSessionCookie,
  deviceCookie,
  requirePrincipal,
  sessionCookie,
  setDeviceCookie,
  setSessionCookie,
} from '../auth.ts';
import type { Accounts } from '../accounts.ts';
import { clientOf, throttled } from './account.ts';
import { ApiError } from '../errors.ts';
import { AcceptInvitation, Credentials, Id, TokenBody } from '../schemas.ts';
import type { CouncilsService } from '../service.ts';
import { Type } from '@sinclair/typebox';
import { NoContent } from '../responses/common.ts';
import { ApiTokens, InvitationView, Me, NewApiToken, SignedIn } from '../responses/organisation.ts';
import { presentInvitation, presentMe } from '../presenters/organisation.ts';

export function sessionRoutes(
  app: FastifyInstance,
  service: CouncilsService,
  accounts: Accounts,
  secureCookies: boolean,
): void {
  const q = service.db.kysely;

  app.get<{ Params: { token: string } }>(
    '/invitations/:token',
    {
      schema: {
        tags: ['accounts'],
        summary: 'What an invitation is for (the token comes from the invitation link)',
        params: Type.Object({ token: Type.String({ minLength: 10, maxLength: 100 }) }),
        response: { 200: InvitationView },
      },
    },
    async (request) => {
      const secret = await service.invitationByToken(request.params.token);
      const inv = await getInvitation(q, secret.orgId, secret.invitationId);
      const org = await getOrg(q, secret.orgId);
      if (!inv || !org) throw new ApiError('not_found', 'no such invitation');
      const councilName = await getCouncilName(q, secret.orgId, inv.councilId);
      return presentInvitation(org, inv, councilName, secret.expiresAt);
    },
  );

  app.post<{ Params: { token: string }; Body: Static<typeof AcceptInvitation> }>(
    '/invitations/:token/accept',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Accept an invitation: create an account, join the council, sign in',
        params: Type.Object({ token: Type.String({ minLength: 10, maxLength: 100 }) }),
        body: AcceptInvitation,
        response: { 201: SignedIn },
      },
    },
    async (request, reply) => {
      const r = await service.acceptInvitation(request.params.token, request.body, clientOf(request));
      setSessionCookie(reply, r.sessionToken, r.expiresAt, secureCookies);
      return reply.status(201).send({ memberId: r.memberId, orgId: r.orgId, csrfToken: r.csrfToken });
    },
  );

  app.post<{ Body: Static<typeof Credentials> }>(
    '/session',
    {
      schema: {
        tags: ['accounts'],
        summary:
          'Sign in; wrong passwords are throttled per e-mail address and per network address (429 with Retry-After), except from a browser that signed in to the account before',
        body: Credentials,
        response: { 201: SignedIn },
      },
    },
    async (request, reply) => {
      const { email, password } = request.body;
      const device = request.cookies[deviceCookie];
      const r = await throttled(reply, () => accounts.signIn(email, password, clientOf(request), device));
      setSessionCookie(reply, r.sessionToken, r.expiresAt, secureCookies);
      if (r.deviceToken) setDeviceCookie(reply, r.deviceToken, secureCookies);
      return reply.status(201).send({ memberId: r.memberId, orgId: r.orgId, csrfToken: r.csrfToken });
    },
  );

  app.delete(
    '/session',
    { schema: { tags: ['accounts'], summary: 'Sign out', response: { 204: NoContent } } },
    async (request, reply) => {
      const token = request.cookies[sessionCookie];
      if (token !== undefined) await service.signOut(token);
      clearSessionCookie(reply, secureCookies);
      return reply.status(204).send();
    },
  );

  app.get(
    '/me',
    {
      schema: {
        tags: ['accounts'],
        summary: 'The signed-in member, their councils and mandates',
        response: { 200: Me },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      // One statement (src/store/read-landing.ts): one pool client, not one per read.
      const me = await getMe(q, p.orgId, p.memberId, service.now());
      if (!me) throw new ApiError('not_found', 'no such member');
      return presentMe(p, me);
    },
  );

  app.post<{ Body: Static<typeof TokenBody> }>(
    '/tokens',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Create an API token for scripts (shown once)',
        body: TokenBody,
        response: { 201: NewApiToken },
      },
    },
    async (request, reply) => {
      const t = await service.createApiToken(requirePrincipal(request), request.body.name);
      return reply.status(201).send(t);
    },
  );

  app.get(
    '/tokens',
    { schema: { tags: ['accounts'], summary: 'My API tokens', response: { 200: ApiTokens } } },
    async (request) => ({
      tokens: await service.listApiTokens(requirePrincipal(request)),
    }),
  );

  app.delete<{ Params: { id: string } }>(
    '/tokens/:id',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Revoke an API token',
        params: Type.Object({ id: Id }),
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await service.revokeApiToken(requirePrincipal(request), request.params.id);
      return reply.status(204).send();
    },
  );
}
