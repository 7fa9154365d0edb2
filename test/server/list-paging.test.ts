// Lists that grew with the organisation's history, paged (issue #18 item 1, docs/SCALE.md): a motion's debate
// (oldest first), a pay period's payslips, the transparency report's councils. On each database, through HTTP:
// the pages followed from the first equal the whole list as it was served before (same order, same fields), a row
// written between two pages comes once and nothing skips, and a cursor that names nothing, a foreign one, or a
// limit out of range is refused as invalid_request naming the parameter.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { transparencyReport, type Entry } from '../../src/core/index.ts';
import { payslips, readWorkersCsv, runPayroll, validateScheme } from '../../src/core/pay/index.ts';
import type { TransparencyReport } from '../../src/server/responses/power.ts';
import { readEntries } from '../../src/store/log-repository.ts';
import type { Comment, Comments, Motion } from '../../src/server/responses/organisation.ts';
import type { ApiClient } from '../support/api-client.ts';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';
import { testDatabases } from '../support/databases.ts';
import { scheme, workforceCsv } from '../support/workforce.ts';

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
        async () => {
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
      assert.ok(n >= 2, `${n} comments posted while reading`);
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

/** ana moves `scheme` in North as a pay motion and North's three members adopt it. */
async function adoptScheme(o: ApiOrg) {
  const org = o.orgId;
  const ana = o.people.ana!;
  const { motionId } = await ana.ok<{ motionId: string }>('POST', `/orgs/${org}/councils/north/pay/motions`, {
    title: 'Pay scheme',
    text: 'Adopt it.',
    scheme,
  });
  await ana.ok('POST', `/orgs/${org}/motions/${motionId}/vote`, {});
  const { voteId } = await ana.ok<{ voteId: string }>('GET', `/orgs/${org}/motions/${motionId}`);
  for (const p of ['ana', 'ben', 'cai'])
    await o.people[p]!.ok('POST', `/orgs/${org}/votes/${voteId}/ballots`, { choice: 'a1' });
}

interface PayrollPage {
  count: number;
  report: unknown;
  payslips?: { id: string }[];
  payslipsNext?: string | null;
  next?: undefined;
}

for (const d of testDatabases()) {
  describe(`a pay period's payslips come a page at a time, the report whole (${d.name})`, () => {
    let o: ApiOrg;
    let path: string;
    const csv = workforceCsv(237);
    before(async () => {
      o = await apiOrg(await d.open(), { payVisibility: 'individuals' });
      path = `/orgs/${o.orgId}/councils/north/pay/payroll`;
      await o.people.ana!.ok('POST', `/orgs/${o.orgId}/councils/north/pay/workforce`, csv);
      await adoptScheme(o);
    });
    after(() => o?.close());

    test("the pages followed equal every payslip in the file's order, with every field; each page has the whole report", async () => {
      const ben = o.people.ben!;
      const whole = JSON.parse(
        JSON.stringify([...payslips(runPayroll(validateScheme(scheme), readWorkersCsv(csv), '2026-11'))]),
      );
      const pages: PayrollPage[] = [];
      let query = '?period=2026-11&limit=50';
      for (;;) {
        const page = await ben.ok<PayrollPage>('GET', `${path}${query}`);
        pages.push(page);
        if (page.payslipsNext === null) break;
        query = `?period=2026-11&limit=50&after=${encodeURIComponent(page.payslipsNext!)}`;
      }
      assert.deepEqual(
        pages.map((p) => p.payslips!.length),
        [50, 50, 50, 50, 37],
      );
      assert.deepEqual(
        pages.flatMap((p) => p.payslips),
        whole,
      );
      for (const p of pages) {
        assert.equal(p.count, 237);
        assert.deepEqual(p.report, pages[0]!.report);
      }
      // No limit: the first 100 and the cursor, as an old client reads it; the CSV is still every payslip.
      const first = await ben.ok<PayrollPage>('GET', `${path}?period=2026-11`);
      assert.deepEqual(first.payslips, whole.slice(0, 100));
      assert.equal(first.payslipsNext!.split('~')[1], whole[99].id); // the file's hash prefix ~ the last worker
      const file = await ben.request('GET', `${path}?period=2026-11&format=csv&part=payslips`);
      assert.equal(file.body.trim().split('\r\n').length, 1 + 237);
    });

    test('a cursor given on a workforce imported again since is refused, not paged on in the new file', async () => {
      const [ana, ben] = [o.people.ana!, o.people.ben!];
      const first = await ben.ok<PayrollPage>('GET', `${path}?period=2026-11&limit=120`);
      // The same workers in the opposite order: paging on by worker id would skip some and repeat others.
      const [head, ...rows] = csv.trim().split('\n');
      await ana.ok(
        'POST',
        `/orgs/${o.orgId}/councils/north/pay/workforce`,
        [head, ...rows.reverse()].join('\n') + '\n',
      );
      const res = await ben.request(
        'GET',
        `${path}?period=2026-11&limit=120&after=${encodeURIComponent(first.payslipsNext!)}`,
      );
      assert.equal(res.statusCode, 409);
      assert.equal((res.json() as { error: string }).error, 'wrong_state');
      // A cursor of the new file pages on.
      const again = await ben.ok<PayrollPage>('GET', `${path}?period=2026-11&limit=120`);
      const next = await ben.ok<PayrollPage>(
        'GET',
        `${path}?period=2026-11&limit=120&after=${encodeURIComponent(again.payslipsNext!)}`,
      );
      assert.equal(again.payslips!.length + next.payslips!.length, 237);
      assert.equal(new Set([...again.payslips!, ...next.payslips!].map((p) => p.id)).size, 237);
      await ana.ok('POST', `/orgs/${o.orgId}/councils/north/pay/workforce`, csv); // as it was, for the other tests
    });

    test('a cursor that names no worker, and a bad limit, are refused naming them', async () => {
      const ben = o.people.ben!;
      for (const after of ['nobody', '%00', 'x'.repeat(201)])
        assert.deepEqual(await refused(ben, `${path}?period=2026-11&after=${after}`), [
          400,
          'invalid_request',
          'querystring.after',
        ]);
      for (const limit of badLimits)
        assert.deepEqual(await refused(ben, `${path}?period=2026-11&limit=${limit}`), [
          400,
          'invalid_request',
          'querystring.limit',
        ]);
    });
  });

  describe(`under aggregates a payslip cursor is refused unread (${d.name})`, () => {
    let o: ApiOrg;
    before(async () => {
      o = await apiOrg(await d.open());
      await o.people.ana!.ok('POST', `/orgs/${o.orgId}/councils/north/pay/workforce`, workforceCsv(12));
      await adoptScheme(o);
    });
    after(() => o?.close());

    test('a worker id that is there and one that is not get the same 403: no oracle of who works here', async () => {
      const path = `/orgs/${o.orgId}/councils/north/pay/payroll?period=2026-11`;
      const ben = o.people.ben!;
      const report = await ben.ok<PayrollPage>('GET', path);
      assert.equal(report.payslips, undefined);
      assert.equal(report.payslipsNext, undefined);
      assert.deepEqual(await refused(ben, `${path}&after=w0`), [403, 'forbidden', undefined]);
      assert.deepEqual(await refused(ben, `${path}&after=nobody`), [403, 'forbidden', undefined]);
    });
  });
}

for (const d of testDatabases()) {
  describe(`the transparency report: the organisation's figures whole, its councils a page at a time (${d.name})`, () => {
    let o: ApiOrg;
    let path: string;
    /** The report as it was served before: computed over the whole log. */
    const whole = async () => {
      const entries: Entry[] = [];
      for await (const e of readEntries(o.db.kysely, o.orgId, 0)) entries.push(e);
      return transparencyReport(entries);
    };
    const petition = (who: string, councilId: string, title: string) =>
      o.people[who]!.ok('POST', `/orgs/${o.orgId}/petitions`, { kind: 'agenda', councilId, title, text: '' });
    before(async () => {
      o = await apiOrg(await d.open());
      path = `/orgs/${o.orgId}/transparency`;
      // three months (the clock starts on 5 January; a session lasts 14 days, so everyone signs in again)
      const month = async () => {
        o.clock.advanceMinutes(28 * 24 * 60);
        for (const [who, c] of Object.entries(o.people)) {
          const r = await c.ok<{ csrfToken: string }>('POST', '/session', {
            email: `${who}@example.org`,
            password: 'correct horse battery',
          });
          c.csrf = r.csrfToken;
        }
      };
      await petition('ana', 'north', 'One');
      await month();
      await petition('dan', 'south', 'Two');
      await month();
      await petition('ben', 'north', 'Three');
    });
    after(() => o?.close());

    test('the pages followed equal the whole report: totals and months whole on each, councils once, in order', async () => {
      const ben = o.people.ben!;
      const pages: TransparencyReport[] = [];
      let query = '?limit=1';
      for (;;) {
        const page = await ben.ok<TransparencyReport>('GET', `${path}${query}`);
        pages.push(page);
        if (page.next === null) break;
        query = `?limit=1&after=${encodeURIComponent(page.next)}`;
      }
      const w = await whole();
      assert.equal(w.byMonth.length, 3);
      assert.deepEqual(
        pages.map((p) => p.councils.map((c) => c.councilId)),
        [['north'], ['south']],
      );
      assert.deepEqual(
        pages.flatMap((p) => p.councils),
        w.councils,
      );
      for (const p of pages) {
        assert.deepEqual(p.totals, w.totals);
        assert.deepEqual(p.byMonth, w.byMonth);
        assert.equal(p.councilCount, 2);
      }
      // No limit: the first 100 councils, here all, as an old client reads it; ?council= one council's row.
      assert.deepEqual(await ben.ok('GET', path), { ...w, councilCount: 2, next: null });
      const south = await ben.ok<TransparencyReport>('GET', `${path}?council=south`);
      assert.deepEqual(south.councils, [w.councils[1]]);
      assert.equal(south.next, null);
    });

    test('a petition opened between two pages is counted, and no council comes twice', async () => {
      const ben = o.people.ben!;
      const first = await ben.ok<TransparencyReport>('GET', `${path}?limit=1`);
      await petition('ana', 'north', 'Four');
      await petition('eve', 'south', 'Five');
      const second = await ben.ok<TransparencyReport>('GET', `${path}?limit=1&after=${first.next}`);
      assert.deepEqual(
        [...first.councils, ...second.councils].map((c) => c.councilId),
        ['north', 'south'],
      );
      assert.equal(second.next, null);
      assert.deepEqual(second.councils, (await whole()).councils.slice(1));
    });

    test('a cursor that names no council of the report, and a bad limit, are refused naming them', async () => {
      const ben = o.people.ben!;
      // fed has no figures; `elsewhere` is no council here
      for (const after of ['fed', 'elsewhere', 'nort', '%00', 'x'.repeat(201)])
        assert.deepEqual(await refused(ben, `${path}?after=${after}`), [
          400,
          'invalid_request',
          'querystring.after',
        ]);
      for (const limit of badLimits)
        assert.deepEqual(await refused(ben, `${path}?limit=${limit}`), [
          400,
          'invalid_request',
          'querystring.limit',
        ]);
    });
  });
}
