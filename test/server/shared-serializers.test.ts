// The reply serializers are compiled once per response schema for every app of a process (src/server/shared-
// serializers.ts): the same schema and options give the very same serializer, another schema or other options
// another one, and apps built one after another in a process answer as each would alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Type } from '@sinclair/typebox';
import Fastify from 'fastify';
import { buildSerializer, sharedSerializers } from '../../src/server/shared-serializers.ts';

const Item = Type.Object({ id: Type.String(), n: Type.Integer() }, { additionalProperties: false });
const Other = Type.Object({ id: Type.String() }, { additionalProperties: false });
const route = (schema: object) => ({ schema, method: 'GET', url: '/item', httpStatus: '200' });

test('one serializer per schema and options, shared by every app of the process', () => {
  const first = buildSerializer({}, {})(route(Item));
  assert.equal(buildSerializer({}, {})(route(Item)), first, 'a second app reuses it');
  assert.notEqual(buildSerializer({}, {})(route(Other)), first, 'another schema, another serializer');
  assert.notEqual(
    buildSerializer({}, { rounding: 'floor' })(route(Item)),
    first,
    'other options, compiled anew',
  );
  // fast-json-stringify's serializer, as Fastify's own compiler makes it: what the schema does not name is dropped
  assert.equal(first({ id: 'a', n: 2, secret: 'x' }), '{"id":"a","n":2}');
});

test('apps built one after another in a process answer by their own routes', async () => {
  const answers = [];
  for (const n of [1, 2]) {
    const app = Fastify({ schemaController: sharedSerializers });
    app.get('/item', { schema: { response: { 200: Item } } }, async () => ({
      id: `app ${n}`,
      n,
      secret: 'x',
    }));
    const res = await app.inject({ method: 'GET', url: '/item' });
    answers.push(res.body);
    await app.close();
  }
  assert.deepEqual(answers, ['{"id":"app 1","n":1}', '{"id":"app 2","n":2}']);
});
