// One error catalogue, one envelope: { error: <stable snake_case id>, message, field? }. Anything unknown
// becomes internal_error, so no stack trace or SQL ever reaches a client.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  InvalidCommand,
  rejectionCodes,
  type ProblemId,
  type ProblemParams,
  type ReasonId,
  type ReasonParams,
  type Rejection,
  type RejectionCode,
} from '../core/index.ts';
import { localMessage, requestLocale, schemaMessage } from './error-messages.ts';

export const errorCatalogue = {
  invalid_request: { status: 400, message: 'the request is not valid' },
  malformed_json: { status: 400, message: 'the body is not well-formed JSON in UTF-8' },
  unauthenticated: { status: 401, message: 'sign in, or send an API token' },
  wrong_credentials: { status: 401, message: 'that e-mail address and password do not match' },
  forbidden: { status: 403, message: 'you may not do this' },
  csrf_failed: { status: 403, message: 'the x-csrf-token header is missing or wrong' },
  not_found: { status: 404, message: 'no such thing' },
  email_taken: { status: 409, message: 'an account with this e-mail address already exists' },
  invitation_expired: { status: 410, message: 'this invitation has expired' },
  request_timeout: { status: 408, message: 'the request took too long to arrive' },
  idempotency_in_flight: {
    status: 409,
    message: 'a request with this Idempotency-Key is still being answered',
  },
  idempotency_key_reused: { status: 422, message: 'this Idempotency-Key was sent with another request' },
  idempotency_answer_lost: { status: 409, message: 'this act was done, but its answer was lost' },
  payload_too_large: { status: 413, message: 'the request body is too large' },
  uri_too_long: { status: 414, message: 'the URL is too long' },
  unsupported_media_type: {
    status: 415,
    message: 'send JSON (application/json, UTF-8), or the type the route names',
  },
  rate_limited: { status: 429, message: 'too many requests from this address; try again later' },
  too_many_streams: { status: 429, message: 'too many live pages are open; close one and try again' },
  sign_in_throttled: { status: 429, message: 'too many wrong passwords; try again later' },
  sign_in_blocked: {
    status: 429,
    message: 'too many wrong passwords: sign in from a device you used before, or reset your password',
  },
  password_too_short: { status: 400, message: 'the password is too short' },
  password_too_long: { status: 400, message: 'the password is too long' },
  password_repetitive: {
    status: 400,
    message: 'the password repeats a few characters or runs in a sequence',
  },
  password_common: { status: 400, message: 'the password is one of the most common passwords' },
  password_personal: { status: 400, message: 'the password contains your name or e-mail address' },
  password_site_name: { status: 400, message: 'the password contains the name of this site' },
  wrong_password: { status: 403, message: 'the current password is not right' },
  link_used: { status: 410, message: 'this link has been used already' },
  link_expired: { status: 410, message: 'this link has expired' },
  webhook_target_refused: {
    status: 400,
    message: 'webhooks are not sent to private, loopback or reserved addresses on this server',
  },
  header_too_large: { status: 431, message: 'the request headers are too large' },
  log_key_missing: {
    status: 503,
    message: "this organisation's log key is missing: nothing can be written until it is restored or rotated",
  },
  record_restored: {
    status: 503,
    message:
      'the database is behind what the log key has signed: nothing can be written until the key is rotated',
  },
  ballot_checks_paused: {
    status: 503,
    message:
      'secret ballots cannot be checked on this server just now (its checking threads failed or did not answer); nothing was cast: try again after the Retry-After seconds',
  },
  ballot_uncheckable: {
    status: 422,
    message:
      'this ballot could not be checked: its check failed twice, so nothing was cast; make a new ballot and cast it, and if this happens again, the app that made it may be faulty',
  },
  internal_error: { status: 500, message: 'something went wrong on the server; nothing was changed' },
  // a stopping process finishes its requests and exits; a balancer sends the retry to another process at once, a
  // supervisor starts this one again: of that order, not a promise (docs/API.md "Retry-After")
  unavailable: { status: 503, message: 'the server is shutting down; try again shortly', retryAfter: 5 },
  ...Object.fromEntries(
    Object.entries(rejectionCodes).map(([code, message]) => [
      code,
      { status: rejectionStatus(code as RejectionCode), message },
    ]),
  ),
} as Record<string, { status: number; message: string; retryAfter?: number }>;

function rejectionStatus(code: RejectionCode): number {
  if (code === 'not_found') return 404;
  if (code === 'not_a_member' || code === 'not_allowed' || code === 'not_an_elector') return 403;
  if (code === 'not_an_approver' || code === 'not_admitted' || code === 'own_proposal') return 403;
  if (code === 'mover_opens_vote' || code === 'own_motion') return 403;
  if (code === 'not_in_minority') return 403;
  return 409;
}

export class ApiError extends Error {
  /** For an error in an uploaded file (CSV): where it is, 1-based. */
  line?: number;
  column?: number;
  /** For a refusal by the rules: why (src/core/kernel/reasons.ts), worded in the request's language. */
  reason?: ReasonId;
  /** For a malformed command (InvalidCommand): what is wrong (src/core/kernel/problems.ts), worded likewise. */
  problem?: ProblemId;
  params?: ReasonParams;
  /** Seconds to wait before trying again: sent as the Retry-After header (RFC 9110 §10.2.3), not in the body. */
  retryAfter?: number;
  constructor(
    readonly code: string,
    message?: string,
    readonly field?: string,
  ) {
    super(message ?? errorCatalogue[code]?.message ?? code);
  }
  get status(): number {
    return errorCatalogue[this.code]?.status ?? 500;
  }
}

/** `e`, answered with a Retry-After of `seconds` (whole, at least 1). */
export function retryAfter<E extends ApiError>(e: E, seconds: number): E {
  e.retryAfter = Math.max(1, Math.ceil(seconds));
  return e;
}

export function fromRejection(r: Rejection): ApiError {
  const e = new ApiError(r.code, r.message);
  if (r.reason !== undefined) e.reason = r.reason;
  if (r.params !== undefined) e.params = r.params;
  return e;
}

export function fromInvalidCommand(c: InvalidCommand): ApiError {
  const e = new ApiError('invalid_request', c.message, c.field);
  e.problem = c.problem;
  e.params = c.params;
  return e;
}

/**
 * invalid_request for a problem the server itself finds with a request (a stable id of src/core/kernel/problems.ts),
 * worded from the catalogue in the request's language like the core's own.
 */
export function invalidRequest(problem: ProblemId, field?: string, params: ProblemParams = {}): ApiError {
  return fromInvalidCommand(new InvalidCommand(problem, field, params));
}

/** Fastify's own errors that carry a status, by status: the id they leave with. */
const frameworkIds: Record<number, string> = {
  404: 'not_found',
  408: 'request_timeout',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  431: 'header_too_large',
  503: 'unavailable',
};

/** The body every error leaves with. */
export function envelope(e: ApiError): Record<string, unknown> {
  return {
    error: e.code,
    message: e.message,
    ...(e.field !== undefined ? { field: e.field } : {}),
    ...(e.reason !== undefined ? { reason: e.reason } : {}),
    ...(e.problem !== undefined ? { problem: e.problem } : {}),
    ...(e.params !== undefined ? { params: e.params } : {}),
    ...(e.line !== undefined ? { line: e.line, column: e.column } : {}),
  };
}

export function errorHandler(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  let e: ApiError;
  let worded = false;
  const locale = requestLocale(request);
  const status = (error as FastifyError).statusCode;
  if (error instanceof ApiError) e = error;
  else if (error instanceof InvalidCommand) e = fromInvalidCommand(error);
  else if ((error as FastifyError).validation) {
    const v = (error as FastifyError).validation![0];
    const where = (error as FastifyError).validationContext ?? 'body';
    const path = v?.instancePath ? v.instancePath.replace(/^\//, '').replace(/\//g, '.') : '';
    const missing = (v?.params as { missingProperty?: string } | undefined)?.missingProperty;
    const field = [where, path, missing].filter(Boolean).join('.');
    // The field in words, in the request's language (src/server/error-messages.ts), not the schema's text.
    e = new ApiError('invalid_request', schemaMessage(locale, field || where, v), field || undefined);
    worded = true;
  } else if (status !== undefined && frameworkIds[status]) e = new ApiError(frameworkIds[status]);
  else if (status !== undefined && status < 500) e = new ApiError('invalid_request', error.message);
  else {
    request.log.error({ err: error }, 'internal error');
    e = new ApiError('internal_error');
  }
  if (reply.raw.headersSent) return;
  const wait = e.retryAfter ?? errorCatalogue[e.code]?.retryAfter;
  if (wait !== undefined) void reply.header('retry-after', String(wait));
  const body = envelope(e);
  if (!worded) body.message = localMessage(locale, e.code, e.message, e.reason, e.params, e.problem);
  void reply.status(e.status).send(body);
}
