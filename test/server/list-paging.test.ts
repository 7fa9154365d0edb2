// Lists that grew with the organisation's history, paged (issue #18 item 1, docs/SCALE.md): a motion's debate
// (oldest first), a pay period's payslips, the transparency report's councils. On each database, through HTTP:
// the pages followed from the first equal the whole list as it was served before (same order, same fields), a row
// written between two pages comes once and nothing skips, and a cursor that names nothing, a foreign one, or a
// limit out of range is refused as invalid_request naming the parameter.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Comment, Comments, Motion } from '../../src/server/responses/organisation.ts';
import type { ApiClient } from '../support/api-client.ts';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';
import { testDatabases } from '../support/databases.ts';

/** Every page of a list, following `next` from the first page asked with `first` (a query string or ''). */
async function follow<T>(
  client: ApiClient,
  path: string,
  first: string,
  rows: (page: Record<string, unknown>) => T[],
  between?: (pageNumber: number) => Promise<void>,
) {
  const pages: T[][] = [];
  let query = first;
  for (;;) {
    const page = await client.ok<{ next: string | null } & Record<string, unknown>>('GET', `${path}${query}`);
    pages.push(rows(page));
    if (page.next === null) return pages;
    await between?.(pages.length);
    const sep = query === '' ? '?' : '&';
    const base = query.replace(/[?&]after=[^&]*/, '');
    query = `${base}${base === '' ? '?' : sep}after=${encodeURIComponent(page.next)}`;
  }
}

/** A request's refusal: its status, error and field. */
async function refused(client: ApiClient, path: string) {
  const res = await client.request('GET', path);
  const body = res.json() as { error: string; field?: string };
  return [res.statusCode, body.error, body.field];
}

const badLimits = ['0', '-1', '501', '1000000000000', '2.5', 'x'];

for (const d of testDatabases()) {
  describe(`a motion's debate comes a page at a time, oldest first (${d.name})`, () => {
    let o: ApiOrg;
    let org: string;
    let ana: ApiClient;
    let motionId: string;
    const posted: { text: string; stance: string; author: string }[] = [];
    const total = d.name === 'sqlite' ? 103 : 23;
    before(async () => {
      o = await apiOrg(await d.open());
      org = o.orgId;
      ana = o.people.ana!;
      ({ motionId } = await ana.ok<{ motionId: string }>('POST', `/orgs/${org}/councils/north/motions`, {
        title: 'Bread',
        text: 'More bread.',
      }));
      // 103 comments by three members, so the motion's own first page (100) does not hold them all (on SQLite;
      // PostgreSQL's writes take longer, and 23 show the same paging)
      const stances = ['for', 'against', 'neutral'] as const;
      for (let i = 0; i < total; i++) {
        const author = ['ana', 'ben', 'cai'][i % 3]!;
        const c = { text: `comment ${i}`, stance: stances[(i * 7) % 3]! };
        await o.people[author]!.ok('POST', `/orgs/${org}/motions/${motionId}/comments`, c);
        posted.push({ ...c, author });
      }
    });
    after(() => o?.close());

    const path = () => `/orgs/${org}/motions/${motionId}/comments`;

    test('the pages followed equal the whole debate in the order it was posted, with every field', async () => {
      const pages = await follow(ana, path(), '?limit=7', (p) => (p as unknown as Comments).comments);
      assert.deepEqual(
        pages.map((p) => p.length),
        [...Array(Math.floor(total / 7)).fill(7), total % 7],
      );
      const all = pages.flat();
      const names: Record<string, string> = { ana: 'Ana', ben: 'Ben', cai: 'Cai' };
      assert.deepEqual(
        all.map((c) => [c.text, c.stance, c.authorId, c.authorName, c.replyTo]),
        posted.map((p) => [p.text, p.stance, o.people[p.author]!.memberId, names[p.author], null]),
      );
      assert.equal(new Set(all.map((c) => c.id)).size, total);
      assert.ok(all.every((c: Comment) => typeof c.postedAt === 'string'));
      // The motion carries the first 100 (what it carried whole before) and the cursor to the rest.
      const m = await ana.ok<Motion>('GET', `/orgs/${org}/motions/${motionId}`);
      assert.deepEqual(m.comments, all.slice(0, 100));
      assert.equal(m.commentsNext, total > 100 ? all[99]!.id : null);
      if (m.commentsNext !== null) {
        const rest = await follow(
          ana,
          path(),
          `?after=${m.commentsNext}`,
          (p) => (p as unknown as Comments).comments,
        );
        assert.deepEqual([...m.comments, ...rest.flat()], all);
      }
      // No limit: the first 100, as an old client reads the motion's list.
      const first = await ana.ok<Comments>('GET', path());
      assert.deepEqual(first.comments, all.slice(0, 100));
      assert.equal(first.next, m.commentsNext);
    });

    test('a comment posted while a member reads comes once, at the end: no page skips or repeats one', async () => {
      let n = 0;
      const pages = await follow(
        ana,
        path(),
        '?limit=10',
        (p) => (p as unknown as Comments).comments.map((c) => c.text),
        async (page) => {
          if (page % 3 !== 1) return;
          await o.people.eve!.request('GET', path()); // another member reading at once
          await o.people.ben!.ok('POST', `/orgs/${org}/motions/${motionId}/comments`, {
            text: `late ${n++}`,
            stance: 'neutral',
          });
          posted.push({ text: `late ${n - 1}`, stance: 'neutral', author: 'ben' });
        },
      );
      const texts = pages.flat();
      assert.deepEqual(
        texts,
        posted.map((p) => p.text),
      );
      assert.ok(n >= 3, `${n} comments posted while reading`);
    });

    test('a cursor that names no comment of this motion, and a bad limit, are refused naming them', async () => {
      const { motionId: other } = await ana.ok<{ motionId: string }>(
        'POST',
        `/orgs/${org}/councils/north/motions`,
        { title: 'Other', text: '' },
      );
      await ana.ok('POST', `/orgs/${org}/motions/${other}/comments`, { text: 'elsewhere', stance: 'for' });
      const elsewhere = (await ana.ok<Comments>('GET', `/orgs/${org}/motions/${other}/comments`)).comments[0]!
        .id;
      for (const after of ['nope', elsewhere, '%00', 'x'.repeat(201)])
        assert.deepEqual(await refused(ana, `${path()}?after=${after}`), [
          400,
          'invalid_request',
          'querystring.after',
        ]);
      for (const limit of badLimits)
        assert.deepEqual(await refused(ana, `${path()}?limit=${limit}`), [
          400,
          'invalid_request',
          'querystring.limit',
        ]);
      assert.deepEqual(await refused(ana, `/orgs/${org}/motions/nowhere/comments?after=nope`), [
        404,
        'not_found',
        undefined,
      ]);
      assert.deepEqual((await refused(ana, `/orgs/org_elsewhere/motions/${motionId}/comments`))[0], 403);
      // an empty debate is a page of none, not a 404
      const empty = await ana.ok<{ motionId: string }>('POST', `/orgs/${org}/councils/north/motions`, {
        title: 'Quiet',
        text: '',
      });
      assert.deepEqual(await ana.ok('GET', `/orgs/${org}/motions/${empty.motionId}/comments`), {
        comments: [],
        next: null,
      });
    });
  });
}
