// The pickers' search (docs/SCALE.md, "Searching for a member or a council"; docs/API.md "Searching"): members
// and councils whose name starts with the text, whatever its case and accents, or whose id is the text (first), a
// page at a time with the paging's cursors, on SQLite and PostgreSQL. Bad input is refused with the envelope.
// Within one council (the trustee and committee pickers): a base council's members, a higher council's deputies;
// councils of one kind, filtered by the server (a higher council among many base ones of its prefix was missed).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CouncilMatches, CouncilMembers, OrgMembers } from '../../src/server/responses/organisation.ts';
import { ApiClient } from '../support/api-client.ts';
import { apiOrg, electViaApi, type ApiOrg } from '../support/api-org.ts';
import { testDatabases } from '../support/databases.ts';
import { council, invitations, organisation } from '../support/factory.ts';

/** 150 people in one base council, "Person 000" … "Person 149", so a search has pages past the first 100. */
const many = Array.from({ length: 150 }, (_, i) => ({
  memberId: `p${String(i).padStart(3, '0')}`,
  name: `Person ${String(i).padStart(3, '0')}`,
  councilId: 'nord',
}));

const searched = organisation({
  name: 'Searched',
  councils: [
    council('top', 'Top Council'),
    council('nord', 'Nörd', 'top', 1),
    council('nor2', 'NORMA Works', 'top', 1),
    council('zed', 'Zed', 'top', 1),
    // twelve base councils "West 01" … "West 12" sort before the one higher council of their prefix
    council('wregion', 'Western Region', 'top', 1),
    ...Array.from({ length: 12 }, (_, i) => {
      const n = String(i + 1).padStart(2, '0');
      return council(`w${n}`, `West ${n}`, i === 0 ? 'wregion' : 'top', 1);
    }),
  ],
  founders: [
    { memberId: 'ana-maria', name: 'Ána María', councilId: 'nord' },
    { memberId: 'anais', name: 'ANAÏS Roy', councilId: 'zed' },
    { memberId: 'bana', name: 'Bana', councilId: 'zed' },
    { memberId: 'yolka', name: 'Ёлка', councilId: 'zed' },
    { memberId: 'elena', name: 'елена', councilId: 'zed' },
    { memberId: 'odysseas', name: 'ΟΔΥΣΣΕΑΣ Π.', councilId: 'zed' },
    ...many,
  ],
  invitations: invitations('zed', 'Searcher'),
});

async function everyPage<T>(client: ApiClient, path: string, rows: (page: never) => T[]) {
  const out: T[][] = [];
  let next: string | null = null;
  do {
    const page: { next: string | null } = await client.ok(
      'GET',
      `${path}${next === null ? '' : `&after=${encodeURIComponent(next)}`}`,
    );
    out.push(rows(page as never));
    next = page.next;
  } while (next !== null);
  return out;
}

for (const database of testDatabases()) {
  describe(`searching members and councils on ${database.name}`, () => {
    let o: ApiOrg;
    let org: string;
    let me: ApiClient;
    before(async () => {
      o = await apiOrg(await database.open());
      const founded = await o.service.foundWithInvitations(searched);
      org = founded.orgId;
      me = await new ApiClient(o.app).join(founded.invitations[0]!.token, 'searcher@example.org');
    });
    after(() => o.close());

    const members = (q: string, extra = '') =>
      me.ok<OrgMembers>('GET', `/orgs/${org}/members?q=${encodeURIComponent(q)}${extra}`);
    /** Each row's text finds exactly its ids through `search`, in that order (the text names a failing row). */
    const expectIds = async (
      search: (q: string) => Promise<{ members: { id: string }[] }>,
      rows: [q: string, ids: string[], why?: string][],
    ) => {
      for (const [q, ids, why] of rows)
        assert.deepEqual(
          (await search(q)).members.map((m) => m.id),
          ids,
          why ?? `the text "${q}"`,
        );
    };
    /** The search for "person" paged 40 at a time: 150 people, each once, in name order. */
    const expectPersonPages = (pages: string[][]) => {
      assert.deepEqual(
        pages.map((p) => p.length),
        [40, 40, 40, 30],
      );
      assert.deepEqual(
        pages.flat(),
        many.map((m) => m.memberId),
      );
    };

    test('a name is found by its start whatever the case and accents, and nothing else is', async () => {
      const an = await members('an');
      assert.deepEqual(
        an.members.map((m) => m.id),
        ['ana-maria', 'anais'],
      );
      assert.deepEqual(an.members[0], { id: 'ana-maria', name: 'Ána María', councilId: 'nord' });
      assert.equal(an.councilNames.nord, 'Nörd');
      assert.equal(an.next, null);
      // ё is е with a diaeresis: both names start with "е" once the marks are gone.
      assert.deepEqual((await members('Е')).members.map((m) => m.id).sort(), ['elena', 'yolka']);
      await expectIds(members, [
        ['ÁNA M', ['ana-maria']],
        ['Anai', ['anais']],
        // a capital sigma at the end of what was typed lower-cases to ς, which no name's σ inside a word matches
        ['ΟΔΥΣ', ['odysseas']],
        ['Οδυσσεας π', ['odysseas']],
        ['ana maria x', []],
        ['ban', ['bana']],
      ]);
    });

    test('the member whose id is the text comes first, once', async () => {
      await expectIds(members, [
        ['p042', ['p042']],
        ['bana', ['bana']],
      ]);
    });

    test('matches come a page at a time in name order, each once, past the first 100 of a council', async () => {
      const pages = await everyPage(me, `/orgs/${org}/members?q=person&limit=40`, (p: OrgMembers) =>
        p.members.map((m) => m.id),
      );
      expectPersonPages(pages);
      const last = await members('person 149');
      assert.deepEqual(
        last.members.map((m) => m.name),
        ['Person 149'],
      );
    });

    test('councils are found by the start of their name or by id, with their kind and parent', async () => {
      const nor = await me.ok<CouncilMatches>('GET', `/orgs/${org}/councils?q=nor`);
      assert.deepEqual(nor.councils, [
        { id: 'nord', name: 'Nörd', parentId: 'top', kind: 'base' },
        { id: 'nor2', name: 'NORMA Works', parentId: 'top', kind: 'base' },
      ]);
      const byId = await me.ok<CouncilMatches>('GET', `/orgs/${org}/councils?q=zed&limit=1`);
      assert.deepEqual(byId.councils, [{ id: 'zed', name: 'Zed', parentId: 'top', kind: 'base' }]);
      assert.equal(byId.next, null);
      const top = await me.ok<CouncilMatches>('GET', `/orgs/${org}/councils?q=TOP`);
      assert.deepEqual(top.councils, [{ id: 'top', name: 'Top Council', parentId: null, kind: 'higher' }]);
      const pages = await everyPage(me, `/orgs/${org}/councils?q=n&limit=1`, (p: CouncilMatches) =>
        p.councils.map((c) => c.id),
      );
      assert.deepEqual(pages.flat(), ['nord', 'nor2']);
    });

    test('councils of one kind are chosen by the server, past ten of the other kind with the same prefix', async () => {
      const kind = (k: string, extra = '') =>
        me.ok<CouncilMatches>('GET', `/orgs/${org}/councils?q=west&kind=${k}&limit=10${extra}`);
      // all thirteen sort "West 01" … "West 12", "Western Region": the first ten are base councils
      const any = await me.ok<CouncilMatches>('GET', `/orgs/${org}/councils?q=west&limit=10`);
      assert.ok(any.councils.every((c) => c.kind === 'base'));
      assert.deepEqual((await kind('higher')).councils, [
        { id: 'wregion', name: 'Western Region', parentId: 'top', kind: 'higher' },
      ]);
      const base = await everyPage(
        me,
        `/orgs/${org}/councils?q=west&kind=base&limit=10`,
        (p: CouncilMatches) => p.councils.map((c) => `${c.id}:${c.kind}`),
      );
      assert.deepEqual(
        base.flat(),
        Array.from({ length: 12 }, (_, i) => `w${String(i + 1).padStart(2, '0')}:base`),
      );
      // the id's council too is one of the kind asked, or none
      assert.deepEqual(
        (await me.ok<CouncilMatches>('GET', `/orgs/${org}/councils?q=top&kind=base`)).councils,
        [],
      );
      assert.deepEqual(
        (await me.ok<CouncilMatches>('GET', `/orgs/${org}/councils?q=top&kind=higher`)).councils.map(
          (c) => c.id,
        ),
        ['top'],
      );
      const bad = await me.request('GET', `/orgs/${org}/councils?q=west&kind=region`);
      assert.equal(bad.statusCode, 400, bad.body);
      assert.equal(bad.json().field, 'querystring.kind');
    });

    test("a council's members are searched within it, a page at a time past its first 100", async () => {
      const within = (council: string, q: string, extra = '') =>
        me.ok<CouncilMembers>(
          'GET',
          `/orgs/${org}/councils/${council}/members?q=${encodeURIComponent(q)}${extra}`,
        );
      await expectIds(
        (q) => within('zed', q),
        [
          [
            'an',
            ['anais'],
            "Ána María is of another council: the organisation's search finds her, the council's does not",
          ],
          ['person', []],
          ['p007', [], 'an id of another council is not found'],
        ],
      );
      assert.deepEqual(
        (await within('nord', 'ÁNA')).members.map((m) => [m.id, m.name]),
        [['ana-maria', 'Ána María']],
      );
      await expectIds(
        (q) => within('nord', q),
        [
          ['person 149', ['p149']],
          ['p007', ['p007']],
        ],
      );
      expectPersonPages(
        await everyPage(me, `/orgs/${org}/councils/nord/members?q=person&limit=40`, (p: CouncilMembers) =>
          p.members.map((m) => m.id),
        ),
      );
      // a cursor of another search is refused
      const first = (await within('nord', 'person', '&limit=1')).next;
      assert.ok(first);
      // the paging without ?q= is as it was: in id order
      const plain = await me.ok<CouncilMembers>('GET', `/orgs/${org}/councils/nord/members?limit=2`);
      assert.deepEqual(
        plain.members.map((m) => m.id),
        ['ana-maria', 'p000'],
      );
      const refused = await me.request(
        'GET',
        `/orgs/${org}/councils/nord/members?q=ana&after=${encodeURIComponent(first ?? '')}`,
      );
      assert.equal(refused.statusCode, 400, refused.body);
      assert.equal(refused.json().field, 'querystring.after');
      await me.fails('GET', `/orgs/${org}/councils/nowhere/members?q=an`, undefined, 404, 'not_found');
      await o.people.ana!.fails(
        'GET',
        `/orgs/${org}/councils/nord/members?q=an`,
        undefined,
        403,
        'forbidden',
      );
    });

    test("a higher council's members searched are its deputies", async () => {
      const fed = await apiOrg(await database.open());
      try {
        await electViaApi(fed, 'north', 'ben', ['ana', 'ben', 'cai']);
        const dan = fed.people.dan!;
        const search = (q: string) =>
          dan.ok<CouncilMembers>('GET', `/orgs/${fed.orgId}/councils/fed/members?q=${encodeURIComponent(q)}`);
        assert.deepEqual(
          (await search('BE')).members.map((m) => m.name),
          ['Ben'],
        );
        assert.deepEqual((await search('an')).members, [], 'Ana is a member of North, not a deputy');
        assert.deepEqual(
          (await search(fed.people.ben!.memberId!)).members.map((m) => m.name),
          ['Ben'],
        );
      } finally {
        await fed.close();
      }
    });

    test('bad input is refused naming the field: a text too long or empty, a cursor not made by this search', async () => {
      const refused = async (url: string, field: string) => {
        const res = await me.request('GET', url);
        assert.equal(res.statusCode, 400, res.body);
        assert.equal(res.json().error, 'invalid_request');
        assert.equal(res.json().field, field);
      };
      await refused(`/orgs/${org}/members?q=${'a'.repeat(121)}`, 'querystring.q');
      await refused(`/orgs/${org}/councils?q=`, 'querystring.q');
      await refused(`/orgs/${org}/councils`, 'querystring.q');
      await refused(`/orgs/${org}/members?q=person&after=nonsense`, 'querystring.after');
      const first = await members('person', '&limit=2');
      assert.ok(first.next);
      await refused(
        `/orgs/${org}/members?q=ana&after=${encodeURIComponent(first.next)}`,
        'querystring.after',
      );
      await refused(`/orgs/${org}/councils?q=n&after=${encodeURIComponent(first.next)}`, 'querystring.after');
      // accents alone are as empty as nothing (every name would have matched: review finding)
      await refused(`/orgs/${org}/members?q=${encodeURIComponent('\u0301')}`, 'querystring.q');
      // a cursor holding a NUL, which PostgreSQL's text cannot hold (a 500 before: review finding)
      const nul = Buffer.from(JSON.stringify(['person\u0000', 'p001'])).toString('base64url');
      await refused(`/orgs/${org}/members?q=person&after=${nul}`, 'querystring.after');
    });

    test('only members of the organisation may search it', async () => {
      await o.people.ana!.fails('GET', `/orgs/${org}/members?q=an`, undefined, 403, 'forbidden');
      await o.people.ana!.fails('GET', `/orgs/${org}/councils?q=n`, undefined, 403, 'forbidden');
      await new ApiClient(o.app).fails('GET', `/orgs/${org}/members?q=an`, undefined, 401, 'unauthenticated');
    });
  });
}
