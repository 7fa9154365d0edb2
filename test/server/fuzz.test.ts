// Property-based fuzzing of every operation of the OpenAPI document (issue #13, finding 2): requests generated
// from each operation's own schemas, valid-looking and hostile (wrong types, lone surrogates, U+0000, huge and
// infinite numbers, long strings, missing and extra fields, bad ids, malformed JSON, invalid UTF-8, other content
// types), as a signed-in member and anonymously, against the app in-process on real SQLite (and PostgreSQL).
// Asserted over every request: no status ≥ 500, every error in the {error, message, field?} envelope with an id
// and status from the catalogue (docs/API.md), and a refused request leaves the log as it was (size and last
// leaf hash). Deterministic: a fixed seed (COUNCILS_FUZZ_SEED to change it), printed with the first failures.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { inputProblems, refusalReasons } from '../../src/core/index.ts';
import { errorCatalogue } from '../../src/server/errors.ts';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';
import { testDatabases } from '../support/databases.ts';

const seed = Number(process.env.COUNCILS_FUZZ_SEED ?? 20261206);
/** Requests per operation, per database: 67 operations × this, well under a minute in all. */
const runs: Record<string, number> = { sqlite: 40, postgres: 25 };

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  patternProperties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  const?: unknown;
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

interface Operation {
  method: string;
  path: string;
  params: { name: string; in: 'path' | 'query'; schema: Schema; required: boolean }[];
  body?: { type: string; schema: Schema };
}

interface Request {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

// ---- hostile values -------------------------------------------------------------------------------------------

/** Marks numbers JSON.stringify cannot write; replaced by their raw text after stringifying. */
const rawNumbers = ['1e999', '-1e999', '99999999999999999999', '9999999999', '-1', '1.5', '-0', '2147483648'];
const rawMark = (n: string) => `__raw_number_${n}__`;

const hostileStrings = fc.oneof(
  fc.constantFrom(
    'a\ud800b',
    '\udc00',
    'x\ud83d',
    'a\u0000b',
    '\u0000',
    '',
    ' ',
    '1e999',
    '9999999999',
    '-1',
    'true',
    'null',
    '../../etc/passwd',
    '<script>alert(1)</script>',
    "'; DROP TABLE log_entries; --",
    'é'.repeat(300),
    'x'.repeat(70_000),
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 400 }),
);

const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { weight: 4, arbitrary: hostileStrings },
    { weight: 2, arbitrary: fc.constantFrom(...rawNumbers.map(rawMark)) },
    { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })) },
    { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, [], {}) },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 3 }) },
    {
      weight: 1,
      arbitrary: fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), hostileStrings), tie('value'), {
        maxKeys: 3,
      }),
    },
  ),
})).value;

/** A value as query or file text (String() throws on an object without a prototype). */
const asText = (v: unknown) => (typeof v === 'string' ? v : toJson(v));

function toJson(value: unknown): string {
  let text = JSON.stringify(value) ?? 'null';
  for (const n of rawNumbers) text = text.split(`"${rawMark(n)}"`).join(n);
  return text;
}

const rawBodies = fc.constantFrom<string | Buffer>(
  '',
  '{',
  '{"a":',
  'null',
  '[]',
  '"text"',
  '{"__proto__":{"x":1}}',
  '{"constructor":{"prototype":{"x":1}}}',
  '{"a":"\\ud800"}',
  '{"a":1e999}',
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), // {"a":"<ff fe>"}
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]), // a surrogate's bytes
  Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), // a BOM, then {}
);

/** Percent-encodes the UTF-8 bytes of `s` (encodeURIComponent throws on a lone surrogate). */
const encode = (s: string) =>
  [...Buffer.from(s, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16)}`,
    )
    .join('');

const hostileSegments = fc.oneof(
  fc.constantFrom(
    '%00',
    'a%00b',
    '%ZZ',
    '%',
    '%ED%A0%80',
    '%uD800',
    '%C0%80',
    '..',
    '%2E%2E',
    'a%2Fb',
    '9999999999',
    '99999999999999999999',
    '-1',
    '1e999',
    '0x10',
    'm'.repeat(200),
    'm'.repeat(1100),
  ),
  hostileStrings.filter((s) => s.length < 2000).map(encode),
);

// ---- values from the operation's schemas ----------------------------------------------------------------------

function fromSchema(schema: Schema, known: Record<string, string>, name = ''): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map((s) => fromSchema(s, known, name)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      const max = Math.min(schema.maxLength ?? 40, 200);
      const min = Math.min(schema.minLength ?? 0, max);
      // A pattern gives its own lengths (a hex key is 64 characters): cut to the schema's maximum, never filter.
      const plain = schema.pattern
        ? fc.stringMatching(new RegExp(schema.pattern)).map((s) => s.slice(0, schema.maxLength ?? s.length))
        : fc.string({ minLength: min, maxLength: max });
      return known[name] !== undefined ? fc.oneof(fc.constant(known[name]), plain) : plain;
    }
    case 'integer':
      return fc.integer({
        min: schema.minimum ?? -1000,
        max: Math.min(schema.maximum ?? 100_000, 2 ** 31 - 1),
      });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(schema.items ? fromSchema(schema.items, known, name) : hostileValue, {
        minLength: Math.min(schema.minItems ?? 0, 3),
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    case 'object': {
      if (schema.patternProperties) {
        const [pattern, sub] = Object.entries(schema.patternProperties)[0]!;
        return fc.dictionary(fc.stringMatching(new RegExp(pattern)), fromSchema(sub, known, name), {
          maxKeys: 3,
        });
      }
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const shape = Object.fromEntries(Object.entries(props).map(([k, s]) => [k, fromSchema(s, known, k)]));
      if (Object.keys(props).length === 0)
        return fc.dictionary(fc.string({ maxLength: 8 }), hostileValue, { maxKeys: 3 });
      return fc.record(shape, { requiredKeys: [...required].filter((k) => k in shape) });
    }
    default:
      return hostileValue;
  }
}

/** A valid-looking value, or one with a field made hostile, dropped or added, or something else entirely. */
function bodyValue(schema: Schema, known: Record<string, string>): fc.Arbitrary<unknown> {
  const valid = fromSchema(schema, known);
  const keys = Object.keys(schema.properties ?? {});
  const mutated = fc
    .tuple(valid, fc.constantFrom('hostile', 'drop', 'extra'), fc.nat(), hostileValue, hostileStrings)
    .map(([v, how, i, h, extraKey]) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return h;
      const o = { ...(v as Record<string, unknown>) };
      const key = keys.length > 0 ? keys[i % keys.length]! : 'x';
      if (how === 'hostile') o[key] = h;
      else if (how === 'drop') delete o[key];
      else o[extraKey] = h;
      return o;
    });
  return fc.oneof(
    { weight: 3, arbitrary: valid },
    { weight: 5, arbitrary: mutated },
    { weight: 1, arbitrary: hostileValue },
  );
}

function requests(op: Operation, known: Record<string, string>, member: string): fc.Arbitrary<Request> {
  const pathParts = op.params
    .filter((p) => p.in === 'path')
    .map((p) =>
      fc
        .oneof(
          { weight: 8, arbitrary: fc.constant(known[p.name] ?? 'x') },
          { weight: 2, arbitrary: fromSchema(p.schema, {}).map((v) => encode(asText(v))) },
          { weight: 3, arbitrary: hostileSegments },
        )
        .map((v) => [p.name, v] as const),
    );
  const queryParts = op.params
    .filter((p) => p.in === 'query')
    .map((p) =>
      fc
        .oneof(
          { weight: 3, arbitrary: fc.constant(undefined) },
          { weight: 3, arbitrary: fromSchema(p.schema, known, p.name).map((v) => encode(asText(v))) },
          { weight: 3, arbitrary: hostileSegments },
        )
        .map((v) => [p.name, v] as const),
    );
  const extraQuery = fc.option(
    fc.tuple(fc.constantFrom('x', 'limit', '__proto__', 'a%00'), hostileSegments),
    {
      freq: 5,
    },
  );
  const body: fc.Arbitrary<{ payload?: string | Buffer; type?: string }> = op.body
    ? fc.oneof(
        {
          weight: 8,
          arbitrary: bodyValue(op.body.schema, known).map((v) => ({
            payload: op.body!.type === 'application/json' ? toJson(v) : asText(v),
            type: op.body!.type,
          })),
        },
        { weight: 2, arbitrary: rawBodies.map((payload) => ({ payload, type: op.body!.type })) },
        {
          weight: 1,
          arbitrary: fc.record({
            payload: fc.constantFrom('{}', 'id,grade\n1,a\n'),
            type: fc.constantFrom(
              'text/plain',
              'application/json; charset=latin1',
              'text/csv',
              'application/xml',
            ),
          }),
        },
      )
    : fc.oneof(
        { weight: 6, arbitrary: fc.constant({}) },
        { weight: 1, arbitrary: rawBodies.map((payload) => ({ payload, type: 'application/json' })) },
      );
  const who = fc.constantFrom('member', 'member', 'anonymous', 'forged');
  return fc
    .tuple(fc.tuple(...pathParts), fc.tuple(...queryParts), extraQuery, body, who)
    .map(([path, query, extra, b, as]) => {
      let url = `/api/v1${op.path}`;
      for (const [name, v] of path) url = url.replace(`{${name}}`, v);
      const q = [...query.filter(([, v]) => v !== undefined), ...(extra ? [extra] : [])].map(
        ([k, v]) => `${k}=${v}`,
      );
      if (q.length > 0) url += `?${q.join('&')}`;
      const headers: Record<string, string> = {};
      if (as === 'member') headers.authorization = `Bearer ${member}`;
      if (as === 'forged') headers.authorization = 'Bearer cnl_forged';
      if (b.type) headers['content-type'] = b.type;
      return { method: op.method, url, headers, ...(b.payload !== undefined ? { payload: b.payload } : {}) };
    });
}

// ---- the run --------------------------------------------------------------------------------------------------

function operations(doc: {
  paths: Record<
    string,
    Record<
      string,
      { parameters?: Operation['params']; requestBody?: { content: Record<string, { schema: Schema }> } }
    >
  >;
}): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const content = op.requestBody ? Object.entries(op.requestBody.content)[0] : undefined;
      ops.push({
        method: method.toUpperCase(),
        path: path.replace(/^\/api\/v1/, ''),
        params: op.parameters ?? [],
        ...(content ? { body: { type: content[0], schema: content[1].schema } } : {}),
      });
    }
  }
  return ops;
}

/** What is wrong with an error response, or undefined when it keeps the contract. */
function envelopeProblem(status: number, body: string): string | undefined {
  let e: Record<string, unknown>;
  try {
    e = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return 'not JSON';
  }
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return 'not an object';
  if (typeof e.error !== 'string' || typeof e.message !== 'string') return 'no error or message';
  const entry = errorCatalogue[e.error];
  if (!entry) return `${e.error} is not in the catalogue`;
  if (entry.status !== status) return `${e.error} is ${entry.status} in the catalogue`;
  if ('field' in e && typeof e.field !== 'string') return 'field is not a string';
  if ('reason' in e && !(typeof e.reason === 'string' && e.reason in refusalReasons))
    return `reason ${String(e.reason)} is not one of the core's`;
  if (
    'problem' in e &&
    !(e.error === 'invalid_request' && typeof e.problem === 'string' && e.problem in inputProblems)
  )
    return `problem ${String(e.problem)} is not one of the core's, or not on invalid_request`;
  if ('params' in e && (typeof e.params !== 'object' || e.params === null || Array.isArray(e.params)))
    return 'params is not an object';
  const known = ['error', 'message', 'field', 'reason', 'problem', 'params', 'line', 'column'];
  const extra = Object.keys(e).filter((k) => !known.includes(k));
  if (extra.length > 0) return `extra keys ${extra.join(', ')}`;
  return undefined;
}

for (const database of testDatabases()) {
  describe(`fuzzing every operation of the OpenAPI document on ${database.name}`, () => {
    let o: ApiOrg;
    let known: Record<string, string>;
    let member: string;
    before(async () => {
      o = await apiOrg(await database.open());
      const ana = o.people.ana!;
      ({ token: member } = await ana.ok<{ token: string }>('POST', '/tokens', { name: 'fuzz' }));
      const { motionId } = await ana.ok<{ motionId: string }>(
        'POST',
        `/orgs/${o.orgId}/councils/north/motions`,
        {
          title: 'Hours',
          text: '',
        },
      );
      await ana.ok('POST', `/orgs/${o.orgId}/motions/${motionId}/vote`, { minutes: 600 });
      const { voteId } = await ana.ok<{ voteId: string }>('GET', `/orgs/${o.orgId}/motions/${motionId}`);
      known = {
        org: o.orgId,
        council: 'north',
        councilId: 'north',
        motion: motionId,
        motionId,
        vote: voteId,
        voteId,
        seq: '0',
        '*': '0/000',
        memberId: ana.memberId!,
        candidateId: ana.memberId!,
      };
    });
    after(async () => {
      await o.close();
    });

    test('no 5xx, every error in the envelope, no log change by a refused request', async () => {
      const doc = (await o.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
      // The live pages' stream (text/event-stream) never ends, so app.inject cannot read it: its refusals are
      // checked over real HTTP by test/server/live.test.ts and by the authorisation matrix.
      const ops = operations(doc).filter((op) => !op.path.endsWith('/live'));
      assert.ok(ops.length >= 60, `only ${ops.length} operations in the OpenAPI document`);
      const logHead = async () => {
        const r = await sql<{ n: number | string; last: string | null }>`
          SELECT count(*) AS n, (SELECT leaf_hash FROM log_entries WHERE org_id = ${o.orgId}
            ORDER BY seq DESC LIMIT 1) AS last FROM log_entries WHERE org_id = ${o.orgId}`.execute(
          o.db.kysely,
        );
        return `${Number(r.rows[0]!.n)}:${r.rows[0]!.last}`;
      };
      const counts = { requests: 0, serverErrors: 0, envelope: 0, logChanged: 0 };
      const examples: string[] = [];
      const noted = new Map<string, number>();
      const note = (kind: string, r: Request, status: number, body: string) => {
        const k = kind.split(' ')[0]!;
        noted.set(k, (noted.get(k) ?? 0) + 1);
        if (noted.get(k)! <= 5) {
          const payload = r.payload === undefined ? '' : ` ${String(r.payload).slice(0, 80)}`;
          examples.push(
            `${kind}: ${r.method} ${r.url.slice(0, 120)}${payload} → ${status} ${body.slice(0, 160)}`,
          );
        }
      };
      for (const [i, op] of ops.entries()) {
        const sample = fc.sample(requests(op, known, member), {
          numRuns: runs[database.name]!,
          seed: seed + i,
        });
        const t0 = Date.now();
        if (process.env.COUNCILS_FUZZ_TRACE) console.log(`# ${op.method} ${op.path}`);
        for (const r of sample) {
          const before = await logHead();
          const res = await o.app.inject({
            method: r.method as 'GET',
            url: r.url,
            headers: r.headers,
            ...(r.payload !== undefined ? { payload: r.payload } : {}),
          });
          counts.requests++;
          if (res.statusCode >= 500) {
            counts.serverErrors++;
            note('5xx', r, res.statusCode, res.body);
          }
          if (res.statusCode >= 400) {
            const problem = envelopeProblem(res.statusCode, res.body);
            if (problem) {
              counts.envelope++;
              note(`envelope (${problem})`, r, res.statusCode, res.body);
            }
            if ((await logHead()) !== before) {
              counts.logChanged++;
              note('log changed', r, res.statusCode, res.body);
            }
          }
        }
        if (process.env.COUNCILS_FUZZ_TRACE) console.log(`#   ${Date.now() - t0} ms`);
      }
      const summary =
        `${database.name}, seed ${seed}: ${counts.requests} requests over ${ops.length} operations; ` +
        `${counts.serverErrors} with status ≥ 500, ${counts.envelope} errors outside the envelope, ` +
        `${counts.logChanged} refused requests that changed the log`;
      console.log(`# ${summary}`);
      assert.deepEqual(
        { serverErrors: counts.serverErrors, envelope: counts.envelope, logChanged: counts.logChanged },
        { serverErrors: 0, envelope: 0, logChanged: 0 },
        `${summary}\n${examples.join('\n')}`,
      );
    });
  });
}
