// One's own account (docs/ACCOUNTS.md): the e-mail address and how resets work here, change of password and of
// e-mail address, one's sessions with revoke, and password reset by a one-time link.
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Accounts } from '../accounts.ts';
import { requirePrincipal } from '../auth.ts';
import { EmailChange, Id, LinkToken, NewPassword, PasswordChange, ResetRequest } from '../schemas.ts';
import type { Client } from '../service.ts';
import { SignInThrottled } from '../sign-in-throttle.ts';
import { NoContent } from '../responses/common.ts';
import { AccountView, EmailChanged, ResetLinkView, ResetRequested, Sessions } from '../responses/account.ts';

export function clientOf(request: FastifyRequest): Client {
  const ua = request.headers['user-agent'];
  return { address: request.ip, userAgent: typeof ua === 'string' ? ua : null };
}

/** Runs `act`; a throttled attempt leaves with its Retry-After header. */
export async function throttled<T>(reply: FastifyReply, act: () => Promise<T>): Promise<T> {
  try {
    return await act();
  } catch (e) {
    if (e instanceof SignInThrottled) void reply.header('retry-after', String(e.retryAfter));
    throw e;
  }
}

export function accountRoutes(app: FastifyInstance, accounts: Accounts): void {
  const tags = ['accounts'];

  app.get(
    '/account',
    {
      schema: {
        tags,
        summary: 'My e-mail address, and how a forgotten password is reset here',
        response: { 200: AccountView },
      },
    },
    async (request) => ({
      email: await accounts.email(requirePrincipal(request)),
      resetBy: accounts.byEmail ? ('email' as const) : ('council' as const),
    }),
  );

  app.post<{ Body: Static<typeof PasswordChange> }>(
    '/account/password',
    {
      schema: {
        tags,
        summary: 'Change my password (needs the current one); my other sessions end',
        body: PasswordChange,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      await throttled(reply, () =>
        accounts.changePassword(p, request.body.currentPassword, request.body.newPassword, clientOf(request)),
      );
      return reply.status(204).send();
    },
  );

  app.post<{ Body: Static<typeof EmailChange> }>(
    '/account/email',
    {
      schema: {
        tags,
        summary:
          'Change my e-mail address (needs my password); with a mail relay, it changes once the link sent to it is opened',
        body: EmailChange,
        response: { 200: EmailChanged },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      return throttled(reply, () =>
        accounts.changeEmail(p, request.body.email, request.body.password, clientOf(request)),
      );
    },
  );

  app.post<{ Params: Static<typeof LinkToken> }>(
    '/email-confirmations/:token',
    {
      schema: {
        tags,
        summary: 'Confirm a new e-mail address by the link sent to it',
        params: LinkToken,
        response: { 200: EmailChanged },
      },
    },
    async (request) => ({ ...(await accounts.confirmEmail(request.params.token)), confirmed: true }),
  );

  app.get(
    '/sessions',
    {
      schema: {
        tags,
        summary: 'My sessions (signed-in browsers), newest first',
        response: { 200: Sessions },
      },
    },
    async (request) => ({ sessions: await accounts.sessions(requirePrincipal(request)) }),
  );

  app.delete<{ Params: { id: string } }>(
    '/sessions/:id',
    {
      schema: {
        tags,
        summary: 'End one of my sessions (signs that browser out)',
        params: Type.Object({ id: Id }),
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await accounts.revokeSession(requirePrincipal(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.post<{ Body: Static<typeof ResetRequest> }>(
    '/password-resets',
    {
      schema: {
        tags,
        summary:
          'I forgot my password: with a mail relay, a one-time link is sent to the address if an account has it; without one, the answer says to ask the council',
        body: ResetRequest,
        response: { 202: ResetRequested },
      },
    },
    async (request, reply) => {
      const r = await throttled(reply, () => accounts.requestReset(request.body.email, clientOf(request)));
      return reply.status(202).send(r);
    },
  );

  app.get<{ Params: Static<typeof LinkToken> }>(
    '/password-resets/:token',
    {
      schema: {
        tags,
        summary: 'What a reset link is for, while it is valid',
        params: LinkToken,
        response: { 200: ResetLinkView },
      },
    },
    async (request) => accounts.resetInfo(request.params.token),
  );

  app.post<{ Params: Static<typeof LinkToken>; Body: Static<typeof NewPassword> }>(
    '/password-resets/:token',
    {
      schema: {
        tags,
        summary: 'Set a new password by a reset link (once); every session and API token of the account ends',
        params: LinkToken,
        body: NewPassword,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await accounts.resetPassword(request.params.token, request.body.password);
      return reply.status(204).send();
    },
  );
}
