// Every 2xx reply the API tests see, checked against its route's response schema before Fastify serialises it.
// Fastify serialises with fast-json-stringify when a response schema is present, which silently drops a property
// the schema does not name and coerces a value of the wrong type; so the payload itself (as JSON would carry it)
// must match the schema exactly: every required field present, no field the schema does not name, every type right.
import { appendFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyReply, FastifyRequest } from 'fastify';

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
const compiled = new WeakMap<object, ValidateFunction>();

/** The response schemas of a route, by status code ("200", "201", "2xx", …). */
export function responseSchemas(request: FastifyRequest): Record<string, object> | undefined {
  const schema = request.routeOptions.schema as { response?: Record<string, object> } | undefined;
  return schema?.response;
}

/**
 * The schema a 2xx reply of this status (and media type, where the route declares one schema per media type) must
 * match, or undefined when the route declares none.
 */
function schemaFor(request: FastifyRequest, statusCode: number, mediaType: string): object | undefined {
  const response = responseSchemas(request);
  if (!response) return undefined;
  const found = (response[String(statusCode)] ?? response['2xx']) as
    { content?: Record<string, { schema: object }> } | undefined;
  if (found?.content) {
    const schema = found.content[mediaType]?.schema;
    if (schema) return schema;
    throw new Error(`${request.method} ${request.routeOptions.url}: no response schema for ${mediaType}`);
  }
  if (found) return found;
  const declared = Object.keys(response).filter((k) => k.startsWith('2'));
  if (declared.length === 0) return undefined;
  throw new Error(
    `${request.method} ${request.routeOptions.url}: replied ${statusCode} but declares only ${declared.join(', ')}`,
  );
}

/** The app's inspectReply option for tests: throws (the reply becomes a 500) when a 2xx payload misses its schema. */
export function checkReply(request: FastifyRequest, reply: FastifyReply, payload: unknown): void {
  const statusCode = reply.statusCode;
  if (statusCode < 200 || statusCode >= 300) return;
  const samples = process.env.COUNCILS_RESPONSE_SAMPLES;
  if (samples) {
    appendFileSync(
      samples,
      JSON.stringify({ method: request.method, url: request.routeOptions.url, statusCode, payload }) + '\n',
    );
  }
  const mediaType = String(reply.getHeader('content-type') ?? 'application/json')
    .split(';')[0]!
    .trim();
  const schema = schemaFor(request, statusCode, mediaType);
  if (!schema) return;
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  // as the client will see it: undefined properties gone, dates as strings
  const json: unknown = payload === undefined ? undefined : JSON.parse(JSON.stringify(payload));
  if (!validate(json)) {
    const message =
      `${request.method} ${request.routeOptions.url} ${statusCode}: the reply does not match its response schema: ` +
      ajv.errorsText(validate.errors, { separator: '; ' });
    console.error(message);
    throw new Error(message);
  }
}
