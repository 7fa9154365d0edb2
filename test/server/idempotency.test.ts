// Idempotent retries over real HTTP (docs/OPERATIONS.md "Idempotent retries"), on SQLite and PostgreSQL: a write
// retried with its Idempotency-Key acts once and gets the first answer; the key with another request is 422; a
// retry while the first is answered is 409; keys are per member and expire; a kill of the server between the
// commit and the answer, then a retry, acts once.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { ApiSession } from '../../src/cli/api-session.ts';
import { sweepIdempotencyKeys } from '../../src/server/idempotency.ts';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';
import { retryUnderKill, sharedDatabase } from '../support/crash-runs.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';

interface Answer {
  status: number;
  json: Record<string, unknown>;
  replayed: boolean;
}

/** A member's writes over HTTP with their session (cookie and CSRF token). */
function member(base: string, who: { cookie?: string; csrf?: string }) {
  return async (method: string, path: string, body: unknown, key?: string): Promise<Answer> => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        cookie: who.cookie!,
        'x-csrf-token': who.csrf!,
        ...(key !== undefined ? { 'idempotency-key': key } : {}),
      },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      json: text ? JSON.parse(text) : {},
      replayed: res.headers.get('idempotent-replayed') === 'true',
    };
  };
}

/** An organisation on a server listening on a port of its own, for `run`; closed after. */
async function served(
  database: TestDatabase,
  run: (o: ApiOrg, base: string) => Promise<void>,
): Promise<void> {
  const o = await apiOrg(await database.open());
  try {
    await run(o, await o.app.listen({ port: 0, host: '127.0.0.1' }));
  } finally {
    await o.close();
  }
}

const motion = (title: string) => ({
  title,
  text: 'Who runs the canteen?',
  alternatives: [{ title: 'Ourselves', text: 'A rota.' }],
});

async function motionsTitled(o: ApiOrg, title: string): Promise<number> {
  const state = await o.service.ledger(o.orgId).current();
  return [...state.motions.values()].filter((m) => m.title === title).length;
}

for (const database of testDatabases()) {
  describe(`Idempotency-Key on ${database.name}`, () => {
    test('a retried write acts once and gets the first answer; another request with the key is 422', async () => {
      await served(database, async (o, base) => {
        const ana = member(base, o.people.ana!);
        const path = `/orgs/${o.orgId}/councils/north/motions`;
        const key = `"${randomUUID()}"`;
        const first = await ana('POST', path, motion('Canteen'), key);
        assert.equal(first.status, 201, JSON.stringify(first.json));
        const again = await ana('POST', path, motion('Canteen'), key);
        assert.deepEqual([again.status, again.json, again.replayed], [201, first.json, true]);
        assert.equal(await motionsTitled(o, 'Canteen'), 1);
        // Without a key, a repeat acts again (the header is the client's choice).
        await ana('POST', path, motion('Canteen'));
        assert.equal(await motionsTitled(o, 'Canteen'), 2);

        const other = await ana('POST', path, motion('Bakery'), key);
        assert.deepEqual([other.status, other.json.error], [422, 'idempotency_key_reused']);
        assert.equal(await motionsTitled(o, 'Bakery'), 0);

        // The key is the member's own: another member's same key is another request.
        const ben = member(base, o.people.ben!);
        const bens = await ben('POST', path, motion('Canteen'), key);
        assert.deepEqual([bens.status, bens.replayed], [201, false]);
        assert.notEqual(bens.json.motionId, first.json.motionId);

        // A refusal is an answer too: the retry gets it without deciding again.
        const refusedKey = randomUUID();
        const nowhere = `/orgs/${o.orgId}/councils/nowhere/motions`;
        const refused = await ana('POST', nowhere, motion('Lost'), refusedKey);
        assert.equal(refused.status, 404);
        const refusedAgain = await ana('POST', nowhere, motion('Lost'), refusedKey);
        assert.deepEqual(
          [refusedAgain.status, refusedAgain.json, refusedAgain.replayed],
          [404, refused.json, true],
        );

        // A key that is too short or not one string is refused, naming the header.
        for (const bad of ['"short"', '"a", "b-0123456789abcdef"', '"unterminated-0123456789']) {
          const r = await ana('POST', path, motion('Bad key'), bad);
          assert.deepEqual(
            [r.status, r.json.error, r.json.field],
            [400, 'invalid_request', 'Idempotency-Key'],
          );
        }
        assert.equal(await motionsTitled(o, 'Bad key'), 0);

        // An act outside the log (an API token): the retry gets the same token, no second one is made.
        const tokenKey = randomUUID();
        const t1 = await ana('POST', '/tokens', { name: 'script' }, tokenKey);
        const t2 = await ana('POST', '/tokens', { name: 'script' }, tokenKey);
        assert.deepEqual([t2.status, t2.json.token, t2.replayed], [201, t1.json.token, true]);
        const ids = await o.people.ana!.ok<{ tokens: unknown[] }>('GET', '/tokens');
        assert.equal(ids.tokens.length, 1);

        // Keys expire after 24 hours and are swept: the same key then acts as a new request.
        o.clock.advanceMinutes(24 * 60 + 1);
        assert.ok((await sweepIdempotencyKeys(o.db, o.clock.now())) >= 4);
        const later = await ana('POST', path, motion('Canteen'), key);
        assert.deepEqual([later.status, later.replayed], [201, false]);
        assert.equal(await motionsTitled(o, 'Canteen'), 4);
      });
    });

    test('20 concurrent requests with one key: one acts, the others are 409 or the first answer', async () => {
      await served(database, async (o, base) => {
        const ana = member(base, o.people.ana!);
        const key = randomUUID();
        const path = `/orgs/${o.orgId}/councils/north/motions`;
        const answers = await Promise.all(
          Array.from({ length: 20 }, () => ana('POST', path, motion('Race'), key)),
        );
        const acted = answers.filter((a) => a.status === 201 && !a.replayed);
        assert.equal(acted.length, 1, JSON.stringify(answers.map((a) => [a.status, a.json.error])));
        for (const a of answers) {
          if (a.status === 201) assert.deepEqual(a.json, acted[0]!.json);
          else assert.deepEqual([a.status, a.json.error], [409, 'idempotency_in_flight']);
        }
        assert.equal(await motionsTitled(o, 'Race'), 1);
        const after = await ana('POST', path, motion('Race'), key);
        assert.deepEqual([after.status, after.json, after.replayed], [201, acted[0]!.json, true]);
      });
    });

    test('the CLI sends a fresh key with each write: each act is stored with its answer', async () => {
      await served(database, async (o, base) => {
        const { token } = await o.people.ana!.ok<{ token: string }>('POST', '/tokens', { name: 'cli' });
        const session = new ApiSession(base, token);
        const path = `/orgs/${o.orgId}/councils/north/motions`;
        const before = await o.db.kysely.selectFrom('idempotency_keys').select('id').execute();
        await session.call('POST', path, motion('From the CLI'));
        await session.call('POST', path, motion('From the CLI'));
        const after = await o.db.kysely.selectFrom('idempotency_keys').selectAll().execute();
        assert.equal(after.length, before.length + 2); // two acts, two keys
        assert.ok(after.every((r) => r.status !== null && r.body !== null));
        assert.equal(await motionsTitled(o, 'From the CLI'), 2);
      });
    });

    test('an act whose answer a crash lost: the retry is told it was done and does not act again', async () => {
      await served(database, async (o, base) => {
        const ana = member(base, o.people.ana!);
        const key = randomUUID();
        const path = `/orgs/${o.orgId}/councils/north/motions`;
        assert.equal((await ana('POST', path, motion('Lost answer'), key)).status, 201);
        // What a crash between the commit and the answer's store leaves: the key spent by the act, no answer.
        await o.db.kysely.updateTable('idempotency_keys').set({ status: null, body: null }).execute();
        const retry = await ana('POST', path, motion('Lost answer'), key);
        assert.deepEqual([retry.status, retry.json.error], [409, 'idempotency_answer_lost']);
        assert.match(String(retry.json.message), /log entry \d+/);
        assert.equal(await motionsTitled(o, 'Lost answer'), 1);
      });
    });
  });
}

// The server is a real child process killed with SIGKILL at a random moment after the request was sent; it is
// started again and the client retries with the same key until it has an answer: the motion exists once.
const kinds = (['sqlite', 'postgres'] as const).filter(
  (k) => k === 'sqlite' || process.env.TEST_DATABASE_URL,
);
for (const kind of kinds) {
  test(`kill -9 of the server after a write, then a retry with its key, acts once (${kind})`, async () => {
    const shared = await sharedDatabase(kind, process.env.TEST_DATABASE_URL);
    try {
      const runs = Number(process.env.COUNCILS_CRASH_RUNS ?? 2);
      const { figures } = await retryUnderKill(shared.url, shared.dir, runs);
      assert.deepEqual({ ...figures, killed: 0 }, { runs, killed: 0, actedTwice: 0, notDone: 0 });
    } finally {
      await shared.drop();
    }
  });
}
