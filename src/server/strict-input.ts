// The contract at the edge (docs/API.md "Errors and what is refused"): what a request may carry, checked before
// any route runs, and every refusal in the one envelope. JSON bodies are UTF-8 (RFC 8259 §8.1) and are not
// coerced; query strings and path parameters are decoded strictly, and only their declared integers are read as
// numbers (decimal digits); no string anywhere may hold a lone surrogate or U+0000, and no number may be
// infinite. Errors that Fastify or Node's HTTP parser raise before a route (bad URL, 414, 431, timeouts) are
// answered in the envelope too.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkStorable } from '../core/index.ts';
import { ApiError, envelope, errorCatalogue, errorHandler, invalidRequest } from './errors.ts';

/** Values of a query string that are not valid percent-encoded UTF-8, by key (see parseQuery). */
const malformed = Symbol('malformed query keys');

type Query = Record<string, string | string[]> & { [malformed]?: string[] };

/**
 * A query string parsed strictly: `+` is a space, every percent-escape must decode to UTF-8 (a lone surrogate's
 * encoding, %ED%A0%80, does not), repeated keys give an array. Never throws: a value that does not decode is
 * noted, and refused by the preValidation hook naming its key.
 */
export function parseQuery(text: string): Query {
  const out: Query = Object.create(null) as Query;
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
      value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      (out[malformed] ??= []).push(rawKey);
      continue;
    }
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

interface SchemaLike {
  type?: unknown;
  properties?: Record<string, SchemaLike>;
}

const decimal = /^-?\d+$/;

/**
 * Reads the declared integers (and booleans) of a query string or path as numbers, in place. Only decimal
 * digits are numbers: Ajv's own coercion would read "1e999" as Infinity and let it past `maximum`.
 */
function readDeclaredNumbers(
  schema: SchemaLike | undefined,
  values: Record<string, unknown> | undefined,
): void {
  if (!schema?.properties || !values) return;
  for (const [key, sub] of Object.entries(schema.properties)) {
    const v = values[key];
    if (typeof v !== 'string') continue;
    if ((sub.type === 'integer' || sub.type === 'number') && decimal.test(v)) values[key] = Number(v);
    else if (sub.type === 'boolean' && (v === 'true' || v === 'false')) values[key] = v === 'true';
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Installs the JSON parser, the checks before validation and the answer to a server that is closing. */
export function strictInput(app: FastifyInstance): void {
  const json = app.getDefaultJsonParser('error', 'ignore');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1];
    if (charset && !/^utf-?8$/i.test(charset)) {
      done(new ApiError('unsupported_media_type', `JSON bodies are UTF-8, not ${charset}`), undefined);
      return;
    }
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(new ApiError('malformed_json', 'the body is not valid UTF-8'), undefined);
      return;
    }
    json(request, text, (error, value) => {
      if (error) done(new ApiError('malformed_json', malformedMessage(error)), undefined);
      else done(null, value);
    });
  });

  app.addHook('preValidation', async (request) => {
    const query = request.query as Query | undefined;
    const bad = query?.[malformed]?.[0];
    if (bad !== undefined) {
      throw new ApiError(
        'invalid_request',
        `querystring.${bad}: is not valid percent-encoded UTF-8`,
        `querystring.${bad}`,
      );
    }
    const schema = request.routeOptions.schema as
      { querystring?: SchemaLike; params?: SchemaLike } | undefined;
    readDeclaredNumbers(schema?.querystring, request.query as Record<string, unknown>);
    readDeclaredNumbers(schema?.params, request.params as Record<string, unknown>);
    // Copied into plain objects: the router's params object has a prototype of its own, which the walk skips.
    checkStorable({ ...(request.params as object) }, 'params');
    checkStorable({ ...(request.query as object) }, 'querystring');
    checkStorable(request.body, 'body');
  });

  // Fastify answers requests that arrive while it closes with a 503 of its own shape: answer them here.
  let closing = false;
  app.addHook('preClose', () => {
    closing = true;
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
    if (closing) throw new ApiError('unavailable');
  });
}

function malformedMessage(error: Error): string {
  const code = (error as FastifyError).code;
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'the body is empty, but its content-type says JSON';
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY') return 'the body is not well-formed JSON';
  return error.message;
}

/** Errors Fastify raises before a route is found (a URL that does not decode, a path parameter too long). */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_BAD_URL') {
    errorHandler(invalidRequest('url_not_decodable'), request, reply);
  } else if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    errorHandler(new ApiError('uri_too_long', 'a path segment is too long'), request, reply);
  } else errorHandler(error, request, reply);
}

/**
 * Errors Node's HTTP parser raises before Fastify sees a request (headers or request line too large, a
 * malformed request, a timeout): answered on the socket in the envelope, then the connection is closed.
 */
export function clientErrorHandler(error: ConnectionError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  let code = 'invalid_request';
  let message = 'the HTTP request is malformed';
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') code = 'request_timeout';
  else if (error.code === 'HPE_HEADER_OVERFLOW') {
    // Node counts the request line with the headers: a request line with no end in sight is a URL too long.
    const raw = (error as unknown as { rawPacket?: Buffer }).rawPacket;
    const lineEnd = raw?.indexOf('\r\n') ?? 0;
    const startsRequest = raw !== undefined && /^[A-Z]+ /.test(raw.subarray(0, 16).toString('latin1'));
    code = startsRequest && (lineEnd < 0 || lineEnd > maxUrlBytes) ? 'uri_too_long' : 'header_too_large';
    message = errorCatalogue[code]!.message;
  }
  const { status } = errorCatalogue[code]!;
  const body = JSON.stringify(envelope(new ApiError(code, message)));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** A URL (request line) longer than this is refused as 414 when Node's header limit stops it. */
const maxUrlBytes = 8 * 1024;
