// The OpenAPI document describes every 2xx body: every operation declares a response schema, every object in it is
// closed (or says it is open), and the check that every API test's replies match their schemas can fail.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Type } from '@sinclair/typebox';
import Fastify from 'fastify';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';
import { checkReply } from '../support/response-check.ts';

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }>; description?: string }>;
}
type OpenApi = { paths: Record<string, Record<string, Operation>> };

const methods = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** Every operation of the document as "METHOD /path" with its operation object. */
export function operations(doc: OpenApi): [string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([m]) => methods.has(m))
      .map(([m, op]) => [`${m.toUpperCase()} ${path}`, op] as [string, Operation]),
  );
}

/** Paths in a schema where an object names properties but does not say whether others may appear. */
function unclosedObjects(schema: unknown, at = '#'): string[] {
  if (schema === null || typeof schema !== 'object') return [];
  if (Array.isArray(schema)) return schema.flatMap((s, i) => unclosedObjects(s, `${at}/${i}`));
  const s = schema as Record<string, unknown>;
  const here = s.properties !== undefined && s.additionalProperties === undefined ? [at] : [];
  return [...here, ...Object.entries(s).flatMap(([k, v]) => unclosedObjects(v, `${at}/${k}`))];
}

describe('response schemas', () => {
  let o: ApiOrg;
  let doc: OpenApi;
  before(async () => {
    o = await apiOrg();
    doc = (await o.people.ana!.ok('GET', '/openapi.json')) as unknown as OpenApi;
  });
  after(() => o.close());

  test('every operation of the OpenAPI document describes its 2xx body', () => {
    const ops = operations(doc);
    assert.ok(ops.length >= 67, `${ops.length} operations`);
    const lacking = ops
      .filter(([, op]) => {
        const ok = Object.entries(op.responses ?? {}).filter(([code]) => code.startsWith('2'));
        if (ok.length === 0) return true;
        // 204 has no body; any other 2xx names a schema for each media type it sends
        return ok.some(
          ([code, r]) =>
            code !== '204' &&
            (r.content === undefined || Object.values(r.content).some((c) => c.schema === undefined)),
        );
      })
      .map(([name]) => name);
    assert.deepEqual(lacking, [], `operations without a response schema: ${lacking.join(', ')}`);
  });

  test('every object in a response schema is closed or says it is open', () => {
    const unclosed = operations(doc).flatMap(([name, op]) =>
      Object.entries(op.responses ?? {})
        .filter(([code]) => code.startsWith('2'))
        .flatMap(([code, r]) => unclosedObjects(r.content, `${name} ${code}`)),
    );
    assert.deepEqual(unclosed, []);
  });
});

describe('the reply check', () => {
  // A route whose presenter and schema disagree: fast-json-stringify alone would drop `extra` without a word.
  async function app(payload: Record<string, unknown>, inspect: boolean) {
    const a = Fastify();
    if (inspect) a.addHook('preSerialization', async (req, reply, p) => (checkReply(req, reply, p), p));
    a.get(
      '/x',
      { schema: { response: { 200: Type.Object({ a: Type.String() }, { additionalProperties: false }) } } },
      async () => payload,
    );
    return a;
  }

  test('without it, a property the schema does not name is dropped silently', async () => {
    const a = await app({ a: 'x', extra: 1 }, false);
    const res = await a.inject({ method: 'GET', url: '/x' });
    assert.deepEqual(res.json(), { a: 'x' });
  });

  test('with it, an unknown property, a missing one or a wrong type fails the reply', async () => {
    const original = console.error;
    console.error = () => {};
    try {
      for (const payload of [{ a: 'x', extra: 1 }, {}, { a: 3 }]) {
        const a = await app(payload, true);
        const res = await a.inject({ method: 'GET', url: '/x' });
        assert.equal(res.statusCode, 500, JSON.stringify(payload));
      }
      const ok = await app({ a: 'x' }, true);
      assert.equal((await ok.inject({ method: 'GET', url: '/x' })).statusCode, 200);
    } finally {
      console.error = original;
    }
  });
});
