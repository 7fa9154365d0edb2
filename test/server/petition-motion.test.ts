// A petition-born motion's page carries its petition's exact count of signatures and only the first page of its
// signatories, with the cursor of the petition's own signatures route for the rest (issue #18 item 1, docs/SCALE.md;
// docs/API.md "Paging"). On SQLite and PostgreSQL, over real HTTP: a motion raised by 150 signatures and one raised
// by 600 answer in (nearly) the same number of bytes, the count is exact, the first page is the signatures route's
// first page to the field, and following its cursor gives every signatory exactly once, in signing order.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { CouncilsService } from '../../src/server/service.ts';
import type { Motion } from '../../src/server/responses/organisation.ts';
import type { Signatures } from '../../src/server/responses/power.ts';
import type { Db } from '../../src/store/database.ts';
import { TestClock, testDatabases } from '../support/databases.ts';
import { federationCouncils, organisation } from '../support/factory.ts';

/** The signers' ids and names are the same length whatever their number (so are the answers' bytes). */
const signer = (i: number) => ({
  memberId: `s${String(i).padStart(4, '0')}`,
  name: `Signer ${String(i).padStart(4, '0')}`,
  councilId: 'north',
});

/** GET over HTTP as the reader: the status, the body's bytes and its JSON. */
type Get = <T>(path: string) => Promise<{ status: number; bytes: number; body: T }>;

/**
 * An organisation whose North has `n` founders and a reader; a petition of the North needing all `n` (the absolute
 * threshold), signed by every founder in an order that is not their ids' (the clock moves every seventh signature),
 * so the last signature opens its motion. Returns the petition and its signers in signing order (by time, then id).
 */
async function petitionBornMotion(service: CouncilsService, clock: TestClock, n: number) {
  const founders = Array.from({ length: n }, (_, i) => signer(i + 1));
  const { orgId, invitations } = await service.foundWithInvitations(
    organisation({
      name: `Signed by ${n}`,
      councils: federationCouncils,
      founders,
      invitations: [{ name: 'Reader', councilId: 'north' }],
      constitution: { power: { petitions: { threshold: { kind: 'absolute', count: n } } } },
    }),
  );
  // signing order: a stride through the ids
  const order = founders.map((_, i) => founders[(i * 7) % n]!.memberId);
  assert.equal(new Set(order).size, n);
  const [opener, ...rest] = order;
  const opened = await service.run(orgId, opener!, {
    type: 'open_petition',
    kind: 'agenda',
    councilId: 'north',
    title: `Longer breaks (${n})`,
    text: '',
  });
  const petitionId = (opened[0]!.payload as { petitionId: string }).petitionId;
  const signed = [{ memberId: opener!, minute: 0 }];
  for (const [i, memberId] of rest.entries()) {
    if (i % 7 === 0) clock.advanceMinutes(1);
    await service.run(orgId, memberId, { type: 'sign_petition', petitionId });
    signed.push({ memberId, minute: signed.at(-1)!.minute + (i % 7 === 0 ? 1 : 0) });
  }
  // the signatures route's order: by time, then member id
  signed.sort((a, b) => a.minute - b.minute || (a.memberId < b.memberId ? -1 : 1));
  return { orgId, token: invitations[0]!.token, petitionId, order: signed.map((s) => s.memberId) };
}

for (const database of testDatabases()) {
  describe(`a petition-born motion's signatories a page at a time on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let keyDir: string;
    let base: string;
    const made: Record<number, Awaited<ReturnType<typeof petitionBornMotion>> & { cookie: string }> = {};

    /** GET as the reader of `org` (their session cookie), over HTTP. */
    const as =
      (cookie: string): Get =>
      async <T>(path: string) => {
        const res = await fetch(`${base}/api/v1${path}`, { headers: { cookie } });
        const text = await res.text();
        return { status: res.status, bytes: Buffer.byteLength(text), body: JSON.parse(text) as T };
      };

    before(async () => {
      db = await database.open();
      const clock = new TestClock();
      keyDir = mkdtempSync(join(tmpdir(), 'councils-keys-'));
      const service = new CouncilsService(db, clock, { keyDir });
      app = await buildApp({ service, publicUrl: 'http://127.0.0.1', anonymousRate: false });
      await app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
      for (const n of [150, 600]) {
        const m = await petitionBornMotion(service, clock, n);
        const res = await fetch(`${base}/api/v1/invitations/${m.token}/accept`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: `reader${n}@example.org`, password: 'correct horse battery' }),
        });
        assert.equal(res.status, 201, await res.text());
        const cookie = res.headers
          .getSetCookie()
          .find((c) => c.startsWith('councils_session='))!
          .split(';')[0]!;
        made[n] = { ...m, cookie };
      }
    });
    after(async () => {
      await app?.close();
      await db?.close();
      if (keyDir) rmSync(keyDir, { recursive: true, force: true });
    });

    /** The motion the petition of `n` signatures opened, as its page reads it, and the reader's GET. */
    async function motionOf(n: number) {
      const m = made[n]!;
      const get = as(m.cookie);
      const petition = await get<{ motionId: string | null; signatureCount: number }>(
        `/orgs/${m.orgId}/petitions/${m.petitionId}`,
      );
      assert.equal(petition.status, 200);
      assert.ok(petition.body.motionId, 'the last signature opened the motion');
      const motion = await get<Motion>(`/orgs/${m.orgId}/motions/${petition.body.motionId}`);
      assert.equal(motion.status, 200);
      return { m, get, motion };
    }

    test("the count is exact and the first page is the signatures route's first page, to the field", async () => {
      for (const n of [150, 600]) {
        const { m, get, motion } = await motionOf(n);
        const p = motion.body.petition!;
        assert.equal(motion.body.moverName, null);
        assert.deepEqual([p.id, p.kind, p.signatureCount], [m.petitionId, 'agenda', n]);
        const route = await get<Signatures>(`/orgs/${m.orgId}/petitions/${m.petitionId}/signatures`);
        assert.equal(route.status, 200);
        assert.deepEqual(
          { signatures: p.signatories, next: p.signatoriesNext },
          route.body,
          `${n}: the motion's first page is the route's`,
        );
        assert.equal(p.signatories.length, 100);
        assert.deepEqual(
          p.signatories.map((s) => s.memberId),
          m.order.slice(0, 100),
        );
        assert.deepEqual(
          p.signatories.slice(0, 2).map((s) => s.name),
          m.order.slice(0, 2).map((id) => `Signer ${id.slice(1)}`),
        );
      }
    });

    test("the motion's JSON does not grow with its petition's signatures (150 against 600)", async () => {
      const small = (await motionOf(150)).motion;
      const large = (await motionOf(600)).motion;
      // The two motions differ only in their titles' digits and their ids; 450 more signatories named would be
      // ≈ 450 × 90 bytes more.
      assert.ok(
        Math.abs(large.bytes - small.bytes) < 64,
        `150 signatures: ${small.bytes} bytes, 600: ${large.bytes} bytes`,
      );
    });

    test('following the cursor from the motion gives every signatory exactly once, in signing order', async () => {
      for (const n of [150, 600]) {
        const { m, get, motion } = await motionOf(n);
        const p = motion.body.petition!;
        const seen = p.signatories.map((s) => s.memberId);
        let next = p.signatoriesNext;
        let pages = 1;
        while (next !== null) {
          const page = await get<Signatures>(
            `/orgs/${m.orgId}/petitions/${p.id}/signatures?after=${encodeURIComponent(next)}`,
          );
          assert.equal(page.status, 200);
          assert.ok(page.body.signatures.length > 0 && page.body.signatures.length <= 100);
          seen.push(...page.body.signatures.map((s) => s.memberId));
          next = page.body.next;
          assert.ok(++pages <= n / 100 + 1, 'the pages end');
        }
        assert.equal(pages, Math.ceil(n / 100));
        assert.equal(new Set(seen).size, n, 'each signatory once');
        assert.deepEqual(seen, m.order, 'every signatory, in signing order');
      }
    });
  });
}
