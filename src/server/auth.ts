// Who is asking: a session cookie (browser) or a bearer API token (scripts). Cookie-authenticated writes must
// carry the session's CSRF token in the x-csrf-token header. There is no superuser: a principal is a member of
// one organisation, and everything else is decided by the core's rules.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './errors.ts';
import { sameSecret, type CouncilsService, type Principal } from './service.ts';

export const sessionCookie = 'councils_session';
/** A browser that signed in to an account before (the sign-in throttle lets it through): sent only to sign-in. */
export const deviceCookie = 'councils_device';
const deviceCookiePath = '/api/v1/session';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const writes = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function authenticate(service: CouncilsService) {
  return async (request: FastifyRequest): Promise<void> => {
    request.principal = null;
    const header = request.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      const ua = request.headers['user-agent'];
      const p = m
        ? await service.principalFromApiToken(m[1]!, typeof ua === 'string' ? ua : null)
        : undefined;
      if (!p) throw new ApiError('unauthenticated', 'the API token is not valid or was revoked');
      request.principal = p;
      return;
    }
    const cookie = request.cookies[sessionCookie];
    if (cookie === undefined) return;
    const p = await service.principalFromSession(cookie);
    if (!p) return;
    if (writes.has(request.method)) {
      const csrf = request.headers['x-csrf-token'];
      if (typeof csrf !== 'string' || !sameSecret(csrf, p.csrfToken!)) throw new ApiError('csrf_failed');
    }
    request.principal = p;
  };
}

export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new ApiError('unauthenticated');
  return request.principal;
}

/** The principal, who must be a member of this organisation. Outsiders learn nothing, not even existence. */
export function requireOrgMember(request: FastifyRequest, orgId: string): Principal {
  const p = requirePrincipal(request);
  if (p.orgId !== orgId) throw new ApiError('forbidden', 'you are not a member of this organisation');
  return p;
}

export function setSessionCookie(
  reply: FastifyReply,
  token: string,
  expiresAt: string,
  secure: boolean,
): void {
  void reply.setCookie(sessionCookie, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: '/',
    expires: new Date(expiresAt),
  });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  void reply.clearCookie(sessionCookie, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
}

export function setDeviceCookie(reply: FastifyReply, token: string, secure: boolean): void {
  void reply.setCookie(deviceCookie, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: deviceCookiePath,
    maxAge: 400 * 86_400, // seconds: the longest browsers keep a cookie
  });
}
