// The argon2id cost of password hashes is the operator's (COUNCILS_PASSWORD_HASH, docs/OPERATIONS.md "Accounts"):
// by default OWASP's m = 19 MiB, t = 2, p = 1; a set cost reaches new hashes (an invitation accepted, a password
// changed); a hash of either cost keeps verifying after the setting changes, since each hash names its parameters;
// a wrong password and an unknown address are refused alike whatever the cost.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildApp } from '../../src/server/app.ts';
import {
  defaultPasswordHashCost,
  isRecommendedCost,
  parsePasswordHashCost,
  type PasswordHashCost,
} from '../../src/server/password-hash.ts';
import { CouncilsService } from '../../src/server/service.ts';
import { openDatabase } from '../../src/store/database.ts';
import { ApiClient } from '../support/api-client.ts';
import { TestClock } from '../support/databases.ts';
import { organisation } from '../support/factory.ts';

const password = 'correct horse battery';
const cheap: PasswordHashCost = { memoryKiB: 64, passes: 1, lanes: 1 };

test('the cost: OWASP’s by default, m=KIB,t=PASSES,p=LANES when set, and whether OWASP recommends it', () => {
  assert.deepEqual(defaultPasswordHashCost, { memoryKiB: 19456, passes: 2, lanes: 1 });
  assert.deepEqual(parsePasswordHashCost('m=64,t=1,p=1'), cheap);
  assert.deepEqual(parsePasswordHashCost('m=47104'), { memoryKiB: 47104, passes: 2, lanes: 1 });
  assert.throws(() => parsePasswordHashCost('m=64;t=1'), /m=KIB,t=PASSES,p=LANES/);
  assert.throws(() => parsePasswordHashCost('m=15,p=2'), /8 KiB a lane/);
  assert.equal(isRecommendedCost(defaultPasswordHashCost), true);
  assert.equal(isRecommendedCost({ memoryKiB: 47104, passes: 1, lanes: 1 }), true);
  assert.equal(isRecommendedCost({ memoryKiB: 9216, passes: 4, lanes: 1 }), true);
  assert.equal(isRecommendedCost({ memoryKiB: 19455, passes: 2, lanes: 1 }), false);
  assert.equal(isRecommendedCost(cheap), false);
});

test('new hashes at the set cost; every hash keeps verifying after the setting changes', async () => {
  const db = await openDatabase(':memory:');
  const keyDir = mkdtempSync(join(tmpdir(), 'councils-keys-'));
  const clock = new TestClock();
  try {
    const atDefault = new CouncilsService(db, clock, { keyDir });
    const { invitations } = await atDefault.foundWithInvitations(
      organisation({
        name: 'Hashes',
        councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
        founders: [],
        invitations: [
          { name: 'Ana', councilId: 'all' },
          { name: 'Ben', councilId: 'all' },
        ],
      }),
    );
    await atDefault.acceptInvitation(invitations[0]!.token, { email: 'ana@example.org', password });
    const atCheap = new CouncilsService(db, clock, { keyDir, passwordHash: cheap });
    await atCheap.acceptInvitation(invitations[1]!.token, { email: 'ben@example.org', password });
    const stored = async (email: string) =>
      (
        await db.kysely
          .selectFrom('accounts')
          .select('password_hash')
          .where('email', '=', email)
          .executeTakeFirstOrThrow()
      ).password_hash;
    assert.match(await stored('ana@example.org'), /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.match(await stored('ben@example.org'), /^\$argon2id\$v=19\$m=64,t=1,p=1\$/);

    // Either server signs either member in: each hash names its own cost.
    for (const service of [atDefault, atCheap]) {
      const app = await buildApp({ service, publicUrl: 'http://127.0.0.1:3000' });
      try {
        for (const email of ['ana@example.org', 'ben@example.org']) {
          const ok = await new ApiClient(app).request('POST', '/session', { email, password });
          assert.equal(ok.statusCode, 201, `${email}: ${ok.body}`);
          const wrong = await new ApiClient(app).request('POST', '/session', {
            email,
            password: 'x' + password,
          });
          assert.deepEqual([wrong.statusCode, wrong.json().error], [401, 'wrong_credentials']);
        }
        const nobody = await new ApiClient(app).request('POST', '/session', {
          email: 'cai@example.org',
          password,
        });
        assert.deepEqual([nobody.statusCode, nobody.json().error], [401, 'wrong_credentials']);
      } finally {
        await app.close();
      }
    }

    // A changed password is hashed at the cost set now.
    const app = await buildApp({ service: atCheap, publicUrl: 'http://127.0.0.1:3000' });
    try {
      const ana = new ApiClient(app);
      const signedIn = await ana.ok<{ csrfToken: string }>('POST', '/session', {
        email: 'ana@example.org',
        password,
      });
      ana.csrf = signedIn.csrfToken;
      await ana.ok('POST', '/account/password', {
        currentPassword: password,
        newPassword: 'another horse battery',
      });
      assert.match(await stored('ana@example.org'), /^\$argon2id\$v=19\$m=64,t=1,p=1\$/);
    } finally {
      await app.close();
    }
  } finally {
    await db.close();
    rmSync(keyDir, { recursive: true, force: true });
  }
});

test('a sign-in hashes a password made at another cost again at today’s; a wrong one changes nothing', async () => {
  // Review 2 of session 13: once the operator changed the cost, a wrong password took the old cost's time for an
  // account and the new cost's for an unknown address (checked against a dummy at today's cost), so one request
  // told which addresses have an account. Each right sign-in now brings its account's hash to today's cost.
  const db = await openDatabase(':memory:');
  const keyDir = mkdtempSync(join(tmpdir(), 'councils-keys-'));
  const clock = new TestClock();
  try {
    const atCheap = new CouncilsService(db, clock, { keyDir, passwordHash: cheap });
    const { invitations } = await atCheap.foundWithInvitations(
      organisation({
        name: 'Rehash',
        councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
        founders: [],
        invitations: [{ name: 'Ana', councilId: 'all' }],
      }),
    );
    await atCheap.acceptInvitation(invitations[0]!.token, { email: 'ana@example.org', password });
    const stored = async () =>
      (
        await db.kysely
          .selectFrom('accounts')
          .select('password_hash')
          .where('email', '=', 'ana@example.org')
          .executeTakeFirstOrThrow()
      ).password_hash;
    const before = await stored();
    assert.match(before, /^\$argon2id\$v=19\$m=64,t=1,p=1\$/);
    assert.equal(atCheap.passwords.needsRehash(before), false);

    const other: PasswordHashCost = { memoryKiB: 128, passes: 2, lanes: 1 };
    const atOther = new CouncilsService(db, clock, { keyDir, passwordHash: other });
    assert.equal(atOther.passwords.needsRehash(before), true);
    assert.equal(atOther.passwords.needsRehash('$argon2i$v=19$m=128,t=2,p=1$c2FsdA$aGFzaA'), true);
    const app = await buildApp({ service: atOther, publicUrl: 'http://127.0.0.1:3000' });
    try {
      const wrong = await new ApiClient(app).request('POST', '/session', {
        email: 'ana@example.org',
        password: 'x' + password,
      });
      assert.deepEqual([wrong.statusCode, wrong.json().error], [401, 'wrong_credentials']);
      assert.equal(await stored(), before, 'a wrong password rewrites nothing');
      clock.advanceMinutes(60); // past the throttle's wait after a failure
      const ok = await new ApiClient(app).request('POST', '/session', { email: 'ana@example.org', password });
      assert.equal(ok.statusCode, 201, ok.body);
      const after = await stored();
      assert.match(after, /^\$argon2id\$v=19\$m=128,t=2,p=1\$/);
      assert.equal(atOther.passwords.needsRehash(after), false);
      // the new hash is of the same password, at either server
      for (const service of [atOther, atCheap])
        assert.equal(await service.passwords.matches(after, password), true);
      const again = await new ApiClient(app).request('POST', '/session', {
        email: 'ana@example.org',
        password,
      });
      assert.equal(again.statusCode, 201, again.body);
      assert.equal(await stored(), after, 'at today’s cost already: not hashed again');
    } finally {
      await app.close();
    }
  } finally {
    await db.close();
    rmSync(keyDir, { recursive: true, force: true });
  }
});
