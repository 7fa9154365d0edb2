// The authorisation matrix, generated from the OpenAPI document so that no operation can be left out: for every
// operation, nobody signed in, a member of another organisation, a member of another council (council-scoped
// writes), a revoked API token, and a cookie session without its CSRF token. Each is refused with the error
// envelope and its stable id, and neither organisation's log changes. (test/server/authorisation.test.ts checks
// what each role may do; this checks that every operation refuses those who may not.)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { ApiClient } from '../support/api-client.ts';
import { apiOrg, federation, type ApiOrg } from '../support/api-org.ts';
import { ErrorReply } from '../../src/server/schemas.ts';

interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}
type Schema = Record<string, unknown>;

/** Operations anyone may call, and why; every other operation needs a member of the organisation. */
const publicOperations: Record<string, string> = {
  'GET /api/v1/health': 'liveness',
  'GET /api/v1/invitations/{token}': 'the invitation link is the authority',
  'POST /api/v1/invitations/{token}/accept': 'the invitation link is the authority',
  'POST /api/v1/session': 'signing in',
  'DELETE /api/v1/session': 'signing out clears whatever cookie there is',
  'POST /api/v1/password-resets': 'a forgotten password: the e-mail reaches only the account’s owner',
  'GET /api/v1/password-resets/{token}': 'the one-time reset link is the authority',
  'POST /api/v1/password-resets/{token}': 'the one-time reset link is the authority',
  'POST /api/v1/email-confirmations/{token}': 'the link sent to the new address is the authority',
  'GET /api/v1/orgs/{org}/record/checkpoint': 'the public record reveals no content',
  'GET /api/v1/orgs/{org}/record/checkpoints.jsonl': 'the public record reveals no content',
  'GET /api/v1/orgs/{org}/record/vkey': 'the public record reveals no content',
  'GET /api/v1/orgs/{org}/record/keys.json': 'the public record reveals no content',
  'GET /api/v1/orgs/{org}/record/witnesses.json': 'the witness policy applies to the public checkpoints',
  'GET /api/v1/orgs/{org}/record/tile/{*}': 'hash tiles are public (entries.jsonl stands for entry content)',
  'GET /api/v1/orgs/{org}/record/consistency': 'proofs are public',
  'POST /api/v1/orgs/{org}/record/cosignatures': "a listed witness's signature is the authority",
  'POST /api/v1/orgs/{org}/votes/{vote}/secret/credentials':
    'anonymous: the issuer’s signature is the authority',
  'POST /api/v1/orgs/{org}/votes/{vote}/secret/ballots': 'anonymous: the credential signs the ballot',
  'POST /api/v1/orgs/{org}/votes/{vote}/secret/spoiled': 'anonymous: a challenge publishes a ballot’s nonce',
  'POST /api/v1/unsubscribe/{token}': 'one-click unsubscribe (RFC 8058): the signed token is the authority',
};

/** Bodies whose minimal sample the route would refuse for its content, before asking who sends it. */
const bodies: Record<string, unknown> = {
  'PUT /api/v1/orgs/{org}/mail-settings': { deliveries: { vote_open: 'digest' } },
  'POST /api/v1/orgs/{org}/councils/{council}/sealed': {
    label: 'Minutes',
    content: 'Sealed minutes',
    releaseAt: '2030-01-01T00:00:00.000Z',
  },
};

/** A minimal value of a JSON Schema (TypeBox's subset as the document carries it). */
function sample(schema: Schema): unknown {
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.anyOf)) return sample(schema.anyOf[0] as Schema);
  if (Array.isArray(schema.enum)) return schema.enum[0];
  switch (schema.type) {
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      const required = (schema.required ?? []) as string[];
      return Object.fromEntries(required.map((k) => [k, sample(props[k]!)]));
    }
    case 'array':
      return Array.from({ length: Number(schema.minItems ?? 0) }, () => sample(schema.items as Schema));
    case 'integer':
    case 'number':
      return Number(schema.minimum ?? 1);
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'string': {
      if (schema.format === 'date-time') return '2030-01-01T00:00:00.000Z';
      const hex = typeof schema.pattern === 'string' && schema.pattern.startsWith('^[0-9a-f]');
      const length = Math.max(Number(schema.minLength ?? 1), hex ? 64 : 1);
      return (hex ? 'a' : 'x').repeat(length);
    }
    default:
      return {};
  }
}

interface Case {
  name: string;
  method: string;
  url: string;
  body: unknown;
  headers: Record<string, string>;
}

describe('the authorisation matrix of every operation in the OpenAPI document', () => {
  let o: ApiOrg;
  let operations: [string, string, Operation][];
  let outsider: ApiClient;
  let revoked: string;
  let motionId: string;
  const checkEnvelope = new Ajv({ strict: false }).compile(ErrorReply);

  before(async () => {
    o = await apiOrg();
    const doc = (await o.people.ana!.ok('GET', '/openapi.json')) as unknown as {
      paths: Record<string, Record<string, Operation>>;
    };
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(
        ([method, op]) => [method.toUpperCase(), path, op] as [string, string, Operation],
      ),
    );
    const other = await o.service.foundWithInvitations({ ...federation, name: 'Another federation' });
    outsider = await new ApiClient(o.app).join(other.invitations[0]!.token, 'outsider@example.org');
    const token = await o.people.ana!.ok<{ id: string; token: string }>('POST', '/tokens', {
      name: 'script',
    });
    await o.people.ana!.ok('DELETE', `/tokens/${token.id}`);
    revoked = token.token;
    ({ motionId } = await o.people.ana!.ok<{ motionId: string }>(
      'POST',
      `/orgs/${o.orgId}/councils/north/motions`,
      { title: 'Bread', text: 'More bread.' },
    ));
    await o.service.record.issue(o.orgId, true); // the record's routes serve what a checkpoint covers
  });
  after(() => o.close());

  /** The operation's URL and a body its schema accepts, so that only who asks can make it fail. */
  function request(method: string, path: string, op: Operation): { url: string; body: unknown } {
    const values: Record<string, string> = {
      org: o.orgId,
      council: 'north',
      motion: motionId,
      vote: 'vote_x',
      mandate: 'mandate_x',
      petition: 'petition_x',
      request: 'request_x',
      endpoint: 'webhook_x',
      delivery: 'msg_x',
      invitation: 'invitation_x',
      token: 'x'.repeat(43),
      id: 'token_x',
      code: 'a'.repeat(64),
      mixer: '1',
      seq: '0',
      '*': '0/000',
    };
    let url = path.replace(/^\/api\/v1/, '').replace(/\{([^}]+)\}/g, (_, name: string) => {
      const v = values[name];
      assert.ok(v !== undefined, `${method} ${path}: no value for the path parameter ${name}`);
      return v;
    });
    const query = (op.parameters ?? []).filter((p) => p.in === 'query' && p.required);
    if (query.length > 0) url += '?' + query.map((p) => `${p.name}=${String(sample(p.schema))}`).join('&');
    const content = op.requestBody?.content ?? {};
    const sampled = content['application/json']
      ? sample(content['application/json'].schema)
      : content['text/csv']
        ? 'id,grade,hours,output\n'
        : method === 'GET' || method === 'DELETE'
          ? undefined
          : {};
    const body = bodies[`${method} ${path}`] ?? sampled;
    return { url, body };
  }

  async function logSizes(): Promise<number> {
    const r = await o.db.kysely
      .selectFrom('log_entries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async function refused(c: Case, status: number, error: string): Promise<string | null> {
    const before = await logSizes();
    const res = await o.app.inject({
      method: c.method as 'GET',
      url: `/api/v1${c.url}`,
      headers: { ...c.headers, ...(typeof c.body === 'string' ? { 'content-type': 'text/csv' } : {}) },
      ...(c.body !== undefined ? { payload: c.body as object } : {}),
    });
    const after = await logSizes();
    let body: unknown;
    try {
      body = res.json();
    } catch {
      body = res.body;
    }
    const problems = [
      res.statusCode !== status ? `status ${res.statusCode}` : '',
      !checkEnvelope(body) ? `not the error envelope: ${res.body.slice(0, 120)}` : '',
      (body as { error?: string } | null)?.error !== error
        ? `error ${JSON.stringify(body).slice(0, 160)}`
        : '',
      after !== before ? `the log grew by ${after - before}` : '',
    ].filter(Boolean);
    return problems.length === 0 ? null : `${c.name}: ${c.method} ${c.url}: ${problems.join('; ')}`;
  }

  const name = (method: string, path: string) => `${method} ${path}`;

  test('covers every operation, and every public one is named with its reason', () => {
    const all = new Set(operations.map(([m, p]) => name(m, p)));
    assert.ok(all.size >= 67, `${all.size} operations`);
    assert.deepEqual(
      Object.keys(publicOperations).filter((k) => !all.has(k)),
      [],
      'public operations the document does not have',
    );
  });

  test('nobody signed in: 401 unauthenticated on every operation that is not public', async () => {
    const failures: string[] = [];
    for (const [method, path, op] of operations) {
      if (name(method, path) in publicOperations) continue;
      const { url, body } = request(method, path, op);
      const f = await refused({ name: 'anonymous', method, url, body, headers: {} }, 401, 'unauthenticated');
      if (f) failures.push(f);
    }
    assert.deepEqual(failures, []);
  });

  test("a member of another organisation: 403 forbidden on every operation of this organisation's", async () => {
    const failures: string[] = [];
    for (const [method, path, op] of operations) {
      if (name(method, path) in publicOperations || !path.includes('{org}')) continue;
      const { url, body } = request(method, path, op);
      const headers = { cookie: outsider.cookie!, 'x-csrf-token': outsider.csrf! };
      const f = await refused({ name: 'outsider', method, url, body, headers }, 403, 'forbidden');
      if (f) failures.push(f);
    }
    assert.deepEqual(failures, []);
  });

  test("a member of another council: 403 not_a_member on every write in a council's name", async () => {
    const dan = o.people.dan!; // of South; the council written to is North
    const failures: string[] = [];
    let count = 0;
    for (const [method, path, op] of operations) {
      if (method !== 'POST' || !path.includes('{council}')) continue;
      count++;
      const { url, body } = request(method, path, op);
      const headers = { cookie: dan.cookie!, 'x-csrf-token': dan.csrf! };
      const f = await refused({ name: 'other council', method, url, body, headers }, 403, 'not_a_member');
      if (f) failures.push(f);
    }
    assert.ok(count >= 6, `${count} council-scoped writes`);
    assert.deepEqual(failures, []);
  });

  test('a revoked API token: 401 unauthenticated on every operation, public ones included', async () => {
    const failures: string[] = [];
    for (const [method, path, op] of operations) {
      const { url, body } = request(method, path, op);
      const headers = { authorization: `Bearer ${revoked}` };
      const f = await refused({ name: 'revoked token', method, url, body, headers }, 401, 'unauthenticated');
      if (f) failures.push(f);
    }
    assert.deepEqual(failures, []);
  });

  test('a cookie session without its CSRF token: 403 csrf_failed on every write', async () => {
    const ana = o.people.ana!;
    const failures: string[] = [];
    for (const [method, path, op] of operations) {
      if (method === 'GET') continue;
      const { url, body } = request(method, path, op);
      const f = await refused(
        { name: 'no CSRF token', method, url, body, headers: { cookie: ana.cookie! } },
        403,
        'csrf_failed',
      );
      if (f) failures.push(f);
    }
    assert.deepEqual(failures, []);
  });
});
