// Reads that do not grow with the organisation (docs/SCALE.md) and the paging contract (docs/API.md "Paging"):
// GET /orgs/:org carries the member's own councils and those above them, not the tree; a council's members, a
// vote's electorate and its ballots come a page at a time, each row once, in the order of member ids, with a
// cursor to the next page and null at the end; the vote itself carries counts and the viewer's own part; names
// are read for the ids asked, up to 200.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type {
  Ballots,
  Council,
  CouncilMembers,
  CouncilTree,
  Electorate,
  Names,
  Org,
  OrgMembers,
  PastMotions,
  Vote,
} from '../../src/server/responses/organisation.ts';
import { apiOrg, electViaApi, type ApiOrg } from '../support/api-org.ts';
import type { ApiClient } from '../support/api-client.ts';

/** Every page of a list, following `next` from the first page. */
async function allPages<T>(
  client: ApiClient,
  path: string,
  limit: number,
  rows: (page: { next: string | null } & Record<string, unknown>) => T[],
) {
  const pages: T[][] = [];
  let after: string | null = null;
  do {
    const query: string = `?limit=${limit}${after === null ? '' : `&after=${encodeURIComponent(after)}`}`;
    const page: { next: string | null } & Record<string, unknown> = await client.ok('GET', `${path}${query}`);
    pages.push(rows(page));
    after = page.next;
  } while (after !== null);
  return pages;
}

describe('paged reads', () => {
  let o: ApiOrg;
  let org: string;
  let ana: ApiClient;
  before(async () => {
    o = await apiOrg();
    org = o.orgId;
    ana = o.people.ana!;
  });
  after(() => o.close());

  test("GET /orgs/:org carries the member's councils and those above them, and the counts", async () => {
    const view = await ana.ok<Org>('GET', `/orgs/${org}`);
    assert.deepEqual(view.myCouncilIds, ['north']);
    assert.deepEqual(view.councils.map((c) => c.id).sort(), ['fed', 'north']);
    assert.equal(view.councilCount, 3);
    assert.equal(view.memberCount, 5);
    assert.equal(view.councils.find((c) => c.id === 'north')?.memberCount, 3);
    assert.deepEqual(view.councils.find((c) => c.id === 'fed')?.childIds, ['north', 'south']);
  });

  test("a council's members come in pages, each member once, in id order", async () => {
    const pages = await allPages(ana, `/orgs/${org}/councils/north/members`, 2, (p) =>
      (p as unknown as CouncilMembers).members.map((m) => m.id),
    );
    assert.deepEqual(
      pages.map((p) => p.length),
      [2, 1],
    );
    const ids = pages.flat();
    assert.deepEqual(ids, [...ids].sort());
    const council = await ana.ok<Council>('GET', `/orgs/${org}/councils/north`);
    assert.deepEqual(
      council.members.map((m) => m.id),
      ids,
    );
    assert.equal(council.membersNext, null);
    assert.equal(council.councilNames.fed, 'Federation Council');
    await ana.fails(
      'GET',
      `/orgs/${org}/councils/north/members?limit=501`,
      undefined,
      400,
      'invalid_request',
    );
    await ana.fails('GET', `/orgs/${org}/councils/nowhere/members`, undefined, 404, 'not_found');
  });

  test('a vote carries counts and my part; its electorate and ballots are pages', async () => {
    const { cai, dan } = o.people;
    const { motionId } = await ana.ok<{ motionId: string }>('POST', `/orgs/${org}/councils/north/motions`, {
      title: 'Bread',
      text: 'More bread.',
    });
    await ana.ok('POST', `/orgs/${org}/motions/${motionId}/vote`, {});
    const { voteId } = await ana.ok<{ voteId: string }>('GET', `/orgs/${org}/motions/${motionId}`);
    await ana.ok('POST', `/orgs/${org}/votes/${voteId}/ballots`, { choice: 'a1' });
    await o.people.ben!.ok('POST', `/orgs/${org}/votes/${voteId}/ballots`, { choice: 'against' });

    const vote = await cai!.ok<Vote>('GET', `/orgs/${org}/votes/${voteId}`);
    assert.equal('electorate' in vote || 'ballots' in vote, false, 'no list in the vote itself');
    assert.equal(vote.electorateSize, 3);
    assert.equal(vote.ballotCount, 2);
    assert.deepEqual(vote.viewer, { memberId: cai!.memberId, elector: true, weight: '1', voted: false });
    const outsider = await dan!.ok<Vote>('GET', `/orgs/${org}/votes/${voteId}`);
    assert.equal(outsider.viewer?.elector, false);
    const mine = await ana.ok<{ vote: Vote }>('GET', `/orgs/${org}/motions/${motionId}`);
    assert.equal(mine.vote.viewer?.voted, true);

    const electors = await allPages(ana, `/orgs/${org}/votes/${voteId}/electorate`, 2, (p) =>
      (p as unknown as Electorate).electors.map((e) => e.name),
    );
    assert.deepEqual(electors.flat().sort(), ['Ana', 'Ben', 'Cai']);
    assert.deepEqual(
      electors.map((p) => p.length),
      [2, 1],
    );
    const ballots = await allPages(ana, `/orgs/${org}/votes/${voteId}/ballots`, 1, (p) =>
      (p as unknown as Ballots).ballots.map((b) => [b.name, b.choice]),
    );
    assert.deepEqual(ballots.flat().sort(), [
      ['Ana', 'a1'],
      ['Ben', 'against'],
    ]);
    await ana.fails('GET', `/orgs/${org}/votes/nope/ballots`, undefined, 404, 'not_found');
  });

  test("a council's page lists its motions under way whole and its past motions in pages, newest first", async () => {
    const moved: string[] = [];
    for (const title of ['P1', 'P2', 'P3', 'Open']) {
      const { motionId } = await ana.ok<{ motionId: string }>('POST', `/orgs/${org}/councils/north/motions`, {
        title,
        text: '',
      });
      moved.push(motionId);
      if (title !== 'Open') await ana.ok('POST', `/orgs/${org}/motions/${motionId}/withdraw`, {});
    }
    const c = await ana.ok<Council>('GET', `/orgs/${org}/councils/north`);
    assert.ok(c.motions.some((m) => m.id === moved[3]));
    assert.ok(c.motions.every((m) => ['draft', 'seconding', 'debate', 'voting'].includes(m.state)));
    assert.ok(c.pastMotions.every((m) => !['draft', 'seconding', 'debate', 'voting'].includes(m.state)));
    // Pages of one, following the cursor: every past motion once, newest first, the open one in none.
    const pages = await allPages(ana, `/orgs/${org}/councils/north/motions`, 1, (p) =>
      (p as unknown as PastMotions).motions.map((m) => m.id),
    );
    const past = pages.flat();
    assert.equal(new Set(past).size, past.length);
    // (The test's clock does not move, so the three share one time and follow each other by id.)
    assert.deepEqual(past.filter((id) => moved.includes(id)).sort(), [moved[0], moved[1], moved[2]].sort());
    assert.ok(!past.includes(moved[3]!));
    assert.deepEqual(
      c.pastMotions.map((m) => m.id),
      past.slice(0, c.pastMotions.length),
    );
    // Another council's history is not in this one's; a malformed cursor is refused naming it.
    const south = await ana.ok<PastMotions>('GET', `/orgs/${org}/councils/south/motions`);
    assert.ok(south.motions.every((m) => m.councilId === 'south'));
    const bad = await ana.request('GET', `/orgs/${org}/councils/north/motions?after=nope`);
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error, 'invalid_request');
    assert.equal(bad.json().field, 'querystring.after');
    await ana.fails('GET', `/orgs/${org}/councils/nowhere/motions`, undefined, 404, 'not_found');
  });

  test('the tree comes top-down a page at a time, naming the parents; a forged cursor is refused naming it', async () => {
    const pages = await allPages(ana, `/orgs/${org}/tree`, 1, (p) => [p as unknown as CouncilTree]);
    assert.deepEqual(
      pages.flat().map((p) => p.councils.map((c) => c.id)),
      [['fed'], ['north'], ['south']],
    );
    assert.deepEqual(pages.flat()[1]!.councilNames, { fed: 'Federation Council' });
    const whole = await ana.ok<CouncilTree>('GET', `/orgs/${org}/tree`);
    assert.equal(whole.next, null);
    assert.deepEqual(
      whole.councils,
      pages.flat().flatMap((p) => p.councils),
    );
    const rest = await ana.ok<CouncilTree>('GET', `/orgs/${org}/tree?after=fed`);
    assert.deepEqual(
      rest.councils.map((c) => c.id),
      ['north', 'south'],
    );
    assert.equal(rest.next, null);
    for (const after of ['nope', '%00']) {
      const bad = await ana.request('GET', `/orgs/${org}/tree?after=${after}`);
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error, 'invalid_request');
      assert.equal(bad.json().field, 'querystring.after');
    }
  });

  test("the organisation's people come a page at a time with their base councils; a forged cursor is refused", async () => {
    const pages = await allPages(ana, `/orgs/${org}/members`, 2, (p) => (p as unknown as OrgMembers).members);
    assert.deepEqual(
      pages.map((p) => p.length),
      [2, 2, 1],
    );
    const people = pages.flat();
    const ids = people.map((m) => m.id);
    assert.deepEqual(ids, [...ids].sort());
    assert.equal(new Set(ids).size, 5);
    const anaRow = people.find((m) => m.id === ana.memberId)!;
    assert.deepEqual(anaRow, { id: ana.memberId, name: 'Ana', councilId: 'north' });
    const bad = await ana.request('GET', `/orgs/${org}/members?after=nobody`);
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error, 'invalid_request');
    assert.equal(bad.json().field, 'querystring.after');
  });

  test('names are read for the ids asked, up to 200', async () => {
    const ids = [ana.memberId!, o.people.eve!.memberId!, 'nobody'];
    const names = await ana.ok<Names>('GET', `/orgs/${org}/names?members=${ids.join(',')}&councils=south,x`);
    assert.deepEqual(names, {
      members: { [ana.memberId!]: 'Ana', [o.people.eve!.memberId!]: 'Eve' },
      councils: { south: 'South' },
    });
    const many = Array.from({ length: 201 }, (_, i) => `m${i}`).join(',');
    await ana.fails('GET', `/orgs/${org}/names?members=${many}`, undefined, 400, 'invalid_request');
  });

  test("a deputy's view names the council they sit in, as the whole tree does, read again once the log grew", async () => {
    const deputies = async () =>
      (await ana.ok<CouncilTree>('GET', `/orgs/${org}/tree`)).councils.find((c) => c.id === 'fed')!.deputies;
    assert.deepEqual(await deputies(), []);
    await electViaApi(o, 'north', 'ana', ['ana', 'ben', 'cai']);
    assert.equal((await deputies()).length, 1, 'the tree kept for the log before the election is not served');
    const view = await ana.ok<Org>('GET', `/orgs/${org}`);
    assert.deepEqual(view.myCouncilIds.sort(), ['fed', 'north']);
    const tree = await ana.ok<CouncilTree>('GET', `/orgs/${org}/tree`);
    for (const c of view.councils)
      assert.deepEqual(
        c,
        tree.councils.find((x) => x.id === c.id),
      );
    const fed = view.councils.find((c) => c.id === 'fed')!;
    assert.deepEqual(
      fed.deputies.map((d) => [d.memberName, d.fromCouncilId]),
      [['Ana', 'north']],
    );
    const page = await ana.ok<Council>('GET', `/orgs/${org}/councils/fed`);
    assert.deepEqual(
      page.members.map((m) => m.name),
      ['Ana'],
    );
    assert.equal(page.councilNames.north, 'North');
  });
});
