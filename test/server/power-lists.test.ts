// The power lists a page at a time (issue #18 item 1, docs/API.md "Paging"), on SQLite and PostgreSQL through the
// API: the requests (of a state, or the acts committees carried out), the committees, a council's petitions and a
// petition's signatures. Pages followed from the first to the last hold the whole list once, in its order, with the
// same fields as one page of all of it; a row added between two pages is never shown twice; a cursor that names
// nothing of the list (unknown, another organisation's, of another list) and a limit out of 1–500 are refused
// with invalid_request naming the parameter.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { keyProofMessage, publicKeyOf, signMessage } from '../../src/core/index.ts';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { ApiClient } from '../support/api-client.ts';
import { apiOrg, electViaApi, type ApiOrg } from '../support/api-org.ts';
import { testDatabases } from '../support/databases.ts';
import { organisation } from '../support/factory.ts';

const utf8 = new TextEncoder();
const secretOf = (who: string) => bytesToHex(sha256(utf8.encode(`power lists key of ${who}`)));

type Row = Record<string, unknown> & { id?: string };
type PageAnswer = { next: string | null } & Record<string, unknown>;

/** Every page of a list from the first, `limit` rows a page (`query`: the list's own parameters). */
async function allPages(client: ApiClient, path: string, query: string, limit: number, field: string) {
  const pages: Row[][] = [];
  let after: string | null = null;
  do {
    const cursor: string = after === null ? '' : `&after=${encodeURIComponent(after)}`;
    const page: PageAnswer = await client.ok(
      'GET',
      `${path}?${query}${query ? '&' : ''}limit=${limit}${cursor}`,
    );
    pages.push(page[field] as Row[]);
    after = page.next;
    assert.ok(pages.length < 100, 'the pages end');
  } while (after !== null);
  return pages;
}

/** One page of the whole list (the old answer's rows, when the list is short). */
async function whole(client: ApiClient, path: string, query: string, field: string) {
  const page = await client.ok<PageAnswer>('GET', `${path}?${query}${query ? '&' : ''}limit=500`);
  assert.equal(page.next, null);
  return page[field] as Row[];
}

const keyOf = (r: Row, time: string) => `${String(r[time])}~${String(r.id ?? r.memberId)}`;

/** Newest first: by time, then id, both descending. */
function assertNewestFirst(rows: Row[], time: string) {
  const keys = rows.map((r) => keyOf(r, time));
  assert.deepEqual(keys, [...keys].sort().reverse());
  assert.equal(new Set(keys).size, keys.length, 'each row once');
}

for (const database of testDatabases()) {
  describe(`the power lists a page at a time on ${database.name}`, () => {
    let o: ApiOrg;
    let org: string;
    let ana: ApiClient;
    let other: { org: string; requestId: string; petitionId: string };
    const requested: string[] = [];
    const petitions: string[] = [];

    async function registerKey(who: string) {
      const secret = secretOf(who);
      const publicKey = publicKeyOf(secret);
      const proof = signMessage(keyProofMessage(org, o.people[who]!.memberId!, publicKey), secret);
      await o.people[who]!.ok('POST', `/orgs/${org}/keys`, { publicKey, proof });
    }
    async function approve(who: string, requestId: string) {
      const r = await o.people[who]!.ok<{ signing: { message: string } }>(
        'GET',
        `/orgs/${org}/requests/${requestId}`,
      );
      const signature = signMessage(utf8.encode(r.signing.message), secretOf(who));
      await o.people[who]!.ok('POST', `/orgs/${org}/requests/${requestId}/approvals`, { signature });
    }
    async function request(kind: string, content: Record<string, unknown>) {
      const { requestId } = await ana.ok<{ requestId: string }>('POST', `/orgs/${org}/requests`, {
        kind,
        content,
      });
      requested.push(requestId);
      return requestId;
    }

    before(async () => {
      // The root council's committee (Ana, once she sits there) changes the witnesses alone.
      o = await apiOrg(await database.open(), {
        power: {
          acts: { change_witnesses: { by: 'committee', council: 'root', k: 1 } },
          petitions: { threshold: { kind: 'absolute', count: 3 } },
        },
      });
      org = o.orgId;
      ana = o.people.ana!;
      await electViaApi(o, 'north', 'ana', ['ana', 'ben', 'cai']);
      for (const who of ['ana', 'ben', 'cai']) await registerKey(who);
      const election = await request('elect_committee', { councilId: 'fed', memberIds: [ana.memberId] });
      await approve('ana', election);
      for (let i = 0; i < 3; i++) {
        o.clock.advanceMinutes(1);
        await approve(
          'ana',
          await request('change_witnesses', { witnesses: [`w${i}.example+1234567${i}+AQID`] }),
        );
      }
      // Pending requests, several made at the same instant (the id orders them).
      for (let i = 0; i < 7; i++) {
        if (i % 3 === 0) o.clock.advanceMinutes(1);
        await request('expel_member', { memberId: o.people.dan!.memberId, reason: `reason ${i}` });
      }
      // Petitions of the north (open: three signatures would carry one), the last signed by Ben too.
      for (let i = 0; i < 5; i++) {
        if (i % 2 === 0) o.clock.advanceMinutes(1);
        const { petitionId } = await ana.ok<{ petitionId: string }>('POST', `/orgs/${org}/petitions`, {
          kind: 'agenda',
          councilId: 'north',
          title: `Item ${i}`,
          text: '',
        });
        petitions.push(petitionId);
      }
      o.clock.advanceMinutes(1);
      await o.people.ben!.ok('POST', `/orgs/${org}/petitions/${petitions[4]!}/signatures`);
      // Another organisation on the same database, with a request and a petition of its own.
      const founded = await o.service.foundWithInvitations(
        organisation({
          name: 'Elsewhere',
          councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
          founders: [],
          invitations: [{ name: 'Zoe', councilId: 'all' }],
        }),
      );
      const zoe = await new ApiClient(o.app).join(founded.invitations[0]!.token, 'zoe@elsewhere.example');
      const made = await zoe.ok<{ requestId: string }>('POST', `/orgs/${founded.orgId}/requests`, {
        kind: 'change_witnesses',
        content: { witnesses: [] },
      });
      const petition = await zoe.ok<{ petitionId: string }>('POST', `/orgs/${founded.orgId}/petitions`, {
        kind: 'agenda',
        councilId: 'all',
        title: 'Elsewhere',
        text: '',
      });
      other = { org: founded.orgId, requestId: made.requestId, petitionId: petition.petitionId };
    });
    after(() => o?.close());

    const requestsPath = () => `/orgs/${org}/requests`;

    test('the requests, of each state and all of them, come in pages that make up the whole list', async () => {
      for (const query of ['state=pending', 'state=done', '']) {
        const all = await whole(ana, requestsPath(), query, 'requests');
        assertNewestFirst(all, 'requestedAt');
        for (const limit of [1, 2, 3]) {
          const pages = await allPages(ana, requestsPath(), query, limit, 'requests');
          assert.ok(
            pages.slice(0, -1).every((p) => p.length === limit),
            `${query} by ${limit}`,
          );
          assert.deepEqual(pages.flat(), all, `${query} by ${limit}`);
        }
      }
      assert.equal((await whole(ana, requestsPath(), 'state=pending', 'requests')).length, 7);
      assert.equal((await whole(ana, requestsPath(), '', 'requests')).length, requested.length);
      // Without limit, the first page of 100 (all of them here), and where the next would start.
      const first = await ana.ok<PageAnswer>('GET', `${requestsPath()}?state=pending`);
      assert.equal((first.requests as Row[]).length, 7);
      assert.equal(first.next, null);
    });

    test("the acts committees carried out are a list of their own, without the council's acts", async () => {
      const acts = await whole(ana, requestsPath(), 'by=committee', 'requests');
      assert.deepEqual(
        acts.map((r) => [r.kind, r.state, (r.authority as { by: string }).by]),
        Array(3).fill(['change_witnesses', 'done', 'committee']),
      );
      assertNewestFirst(acts, 'requestedAt');
      assert.deepEqual((await allPages(ana, requestsPath(), 'by=committee', 2, 'requests')).flat(), acts);
      await ana.fails('GET', `${requestsPath()}?by=committee&state=done`, undefined, 400, 'invalid_request');
      // a cursor of another list (a pending request, not a committee's act)
      const pending = await whole(ana, requestsPath(), 'state=pending', 'requests');
      const res = await ana.request('GET', `${requestsPath()}?by=committee&after=${pending[0]!.id}`);
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().field, 'querystring.after');
    });

    test('a request made between two pages is not shown twice, and none is lost', async () => {
      const before = await whole(ana, requestsPath(), 'state=pending', 'requests');
      const first = await ana.ok<PageAnswer>('GET', `${requestsPath()}?state=pending&limit=3`);
      // two made now (newer: before the first page), one at the same instant as the cursor's row
      o.clock.advanceMinutes(1);
      await request('expel_member', { memberId: o.people.eve!.memberId, reason: 'later' });
      await request('expel_member', { memberId: o.people.eve!.memberId, reason: 'later again' });
      const rows = [...(first.requests as Row[])];
      let after = first.next;
      while (after !== null) {
        const page: PageAnswer = await ana.ok(
          'GET',
          `${requestsPath()}?state=pending&limit=3&after=${after}`,
        );
        rows.push(...(page.requests as Row[]));
        after = page.next;
      }
      assert.deepEqual(rows, before);
      const now = await whole(ana, requestsPath(), 'state=pending', 'requests');
      assert.equal(now.length, before.length + 2);
      assert.deepEqual(now.slice(2), before);
    });

    test('a cursor naming nothing of the list, and a limit out of 1–500, are refused naming the parameter', async () => {
      const refused = async (path: string, field: string) => {
        const res = await ana.request('GET', path);
        assert.equal(res.statusCode, 400, `${path}: ${res.body}`);
        assert.deepEqual([res.json().error, res.json().field], ['invalid_request', field], path);
      };
      for (const after of ['nothing', other.requestId, 'x'.repeat(201)])
        await refused(`${requestsPath()}?after=${after}`, 'querystring.after');
      for (const limit of ['0', '-1', '501', '1000000000000', 'x', '1.5'])
        await refused(`${requestsPath()}?limit=${limit}`, 'querystring.limit');
      await refused(`${requestsPath()}?state=pending&sort=asc`, 'querystring');
    });

    test("a council's petitions, and the organisation's, come in pages that make up the whole list", async () => {
      const path = `/orgs/${org}/petitions`;
      for (const query of ['council=north', '']) {
        const all = await whole(ana, path, query, 'petitions');
        assert.equal(all.length, 5);
        assertNewestFirst(all, 'openedAt');
        for (const limit of [1, 2])
          assert.deepEqual((await allPages(ana, path, query, limit, 'petitions')).flat(), all, query);
      }
      assert.deepEqual(await whole(ana, path, 'council=south', 'petitions'), []);
      const first = await ana.ok<PageAnswer>('GET', `${path}?council=north`);
      assert.equal((first.petitions as Row[]).length, 5);
      assert.equal(first.next, null);
      for (const after of ['nothing', other.petitionId]) {
        const res = await ana.request('GET', `${path}?council=north&after=${after}`);
        assert.deepEqual([res.statusCode, res.json().field], [400, 'querystring.after'], after);
      }
      // a petition of the north is no cursor of the south's list
      const res = await ana.request('GET', `${path}?council=south&after=${petitions[0]!}`);
      assert.deepEqual([res.statusCode, res.json().field], [400, 'querystring.after']);
    });

    test("a petition's signatures come in pages with their signers' names; its counts stay whole", async () => {
      const id = petitions[4]!;
      const path = `/orgs/${org}/petitions/${id}/signatures`;
      const all = await whole(ana, path, '', 'signatures');
      assert.deepEqual(
        all.map((r) => [r.memberId, r.name, r.councilId]),
        [
          [ana.memberId, 'Ana', 'north'],
          [o.people.ben!.memberId, 'Ben', 'north'],
        ],
      );
      assert.deepEqual((await allPages(ana, path, '', 1, 'signatures')).flat(), all);
      const p = await o.people.cai!.ok<Row>('GET', `/orgs/${org}/petitions/${id}`);
      assert.deepEqual(
        [p.signatureCount, p.signatureCounts, p.signaturesNext, p.signedByMe],
        [2, { north: 2 }, null, false],
      );
      assert.deepEqual(
        (p.signatures as Row[]).map((s) => s.memberId),
        all.map((s) => s.memberId),
      );
      // The counts by council are the row's (`signed_in`, kept by the projection), not a count of every signature on
      // each view; a row whose counts do not add up to its signature count (written by an older version, which moves
      // the count on and not them) or that has none (written before the column) is counted as before.
      const row = o.db.kysely.updateTable('petitions').where('org_id', '=', org).where('id', '=', id);
      const countsNow = async () =>
        (await o.people.cai!.ok<Row>('GET', `/orgs/${org}/petitions/${id}`)).signatureCounts;
      const kept = await o.db.kysely
        .selectFrom('petitions')
        .select('signed_in')
        .where('org_id', '=', org)
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(kept.signed_in, '{"north":2}');
      try {
        await row.set({ signed_in: '{"north":1,"south":1}' }).execute();
        assert.deepEqual(await countsNow(), { north: 1, south: 1 }, 'read from the row');
        await row.set({ signed_in: '{"north":5}' }).execute();
        assert.deepEqual(await countsNow(), { north: 2 }, 'counts that do not add up are counted again');
        await row.set({ signed_in: null }).execute();
        assert.deepEqual(await countsNow(), { north: 2 }, 'a row without them is counted');
      } finally {
        await row.set({ signed_in: kept.signed_in }).execute();
      }
      for (const after of ['nothing', o.people.cai!.memberId!]) {
        const res = await ana.request('GET', `${path}?after=${after}`);
        assert.deepEqual([res.statusCode, res.json().field], [400, 'querystring.after'], after);
      }
      await ana.fails(
        'GET',
        `/orgs/${org}/petitions/${other.petitionId}/signatures`,
        undefined,
        404,
        'not_found',
      );
      const res = await ana.request('GET', `${path}?limit=501`);
      assert.deepEqual([res.statusCode, res.json().field], [400, 'querystring.limit']);
    });

    test('the committees come in pages in the order of their councils', async () => {
      const path = `/orgs/${org}/committees`;
      const all = await whole(ana, path, '', 'committees');
      assert.deepEqual(
        all.map((c) => c.councilId),
        ['fed'],
      );
      assert.deepEqual((await allPages(ana, path, '', 1, 'committees')).flat(), all);
      const res = await ana.request('GET', `${path}?after=north`);
      assert.deepEqual([res.statusCode, res.json().field], [400, 'querystring.after']);
    });
  });
}
