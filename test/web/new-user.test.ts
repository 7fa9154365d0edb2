// What a new user tripped on in the browser (issue #17 item 5), each shown by a test that failed before its fix:
// the result of an election and of an instant-runoff motion, the record page and the petitions of a council.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { TestClock } from '../support/databases.ts';
import { federation, joinByApi, personPage, startWeb, type Api, type WebFixture } from './harness.ts';

describe('what a new user tripped on', () => {
  let f: WebFixture;
  const pages: Record<string, Page> = {};
  const apis: Record<string, Api> = {};
  const clock = new TestClock(Date.now());
  before(async () => {
    f = await startWeb(undefined, { clock });
    for (const who of ['ana', 'ben', 'cai']) {
      pages[who] = await personPage(f);
      apis[who] = await joinByApi(f, pages[who]!, who);
    }
  });
  after(async () => {
    await f?.close();
  });

  const rowHeaders = (page: Page) => page.locator('table.rounds tbody th').allInnerTexts();

  test('an election reads as one: no "is adopted", no "keep things as they are", its winner elected', async () => {
    const { motionId } = await apis.ben!.post<{ motionId: string }>('/councils/docks/elections', {});
    await apis.ben!.post(`/motions/${motionId}/alternatives`, {
      title: 'Ana Ruiz',
      text: '',
      candidateId: apis.ana!.memberId,
    });
    await apis.ben!.post(`/motions/${motionId}/vote`, {});
    const { vote } = await apis.ben!.get(`/motions/${motionId}`);
    for (const who of ['ana', 'ben']) await apis[who]!.post(`/votes/${vote.id}/ballots`, { choice: 'a1' });
    const cai = pages.cai!;
    await cai.goto(`/motions/${motionId}`);
    await cai.getByRole('button', { name: 'Cast my ballot' }).waitFor();
    const ballot = await cai.locator('main').innerText();
    assert.doesNotMatch(ballot, /keep things as they are/, 'the ballot of an election');
    assert.match(ballot, /Against all candidates/);
    await cai.getByLabel('Ana Ruiz').check();
    await cai.getByRole('button', { name: 'Cast my ballot' }).click();
    await cai.getByRole('heading', { name: 'Result' }).waitFor();
    const result = await cai.locator('.result').innerText();
    assert.doesNotMatch(result, /is adopted/);
    assert.match(result, /“Ana Ruiz” is elected/);
    assert.doesNotMatch(result, /keep things as they are/);
  });

  test('an instant-runoff motion: exhausted ballots in words, once; its winning alternative adopted, not elected', async () => {
    const { motionId } = await apis.ana!.post<{ motionId: string }>('/councils/docks/motions', {
      title: 'Where the lockers go',
      text: '',
      alternatives: ['East gate', 'West gate', 'Canteen'].map((title) => ({ title, text: '' })),
      method: 'irv',
    });
    await apis.ana!.post(`/motions/${motionId}/vote`, {});
    const { vote } = await apis.ana!.get(`/motions/${motionId}`);
    // Ana ranks one alternative only, so her ballot is exhausted when it is out.
    await apis.ana!.post(`/votes/${vote.id}/ballots`, { ranking: [['a1']] });
    await apis.ben!.post(`/votes/${vote.id}/ballots`, { ranking: [['a2'], ['a3']] });
    await apis.cai!.post(`/votes/${vote.id}/ballots`, { ranking: [['a2'], ['a1']] });
    const ana = pages.ana!;
    await ana.goto(`/motions/${motionId}`);
    await ana.getByRole('heading', { name: 'Result' }).waitFor();
    const rows = await rowHeaders(ana);
    assert.deepEqual(
      rows.filter((r) => r.startsWith(':')),
      [],
      `internal keys shown: ${rows.join(' | ')}`,
    );
    assert.equal(rows.filter((r) => /^Exhausted/.test(r)).length, 1, rows.join(' | '));
    const table = await ana.locator('table.rounds').innerText();
    assert.doesNotMatch(table, /elected/);
    assert.match(table, /adopted/);
  });

  test('the record opens on its latest entries; an act the rules carried out is "by the rules"', async () => {
    // Ana, elected above, is recalled: the recall's last ballot makes the rules end her mandate.
    const me = (await (await pages.ana!.request.get('/api/v1/me')).json()) as {
      mandates: { id: string; endedAt: string | null }[];
    };
    const seat = me.mandates.find((x) => x.endedAt === null)!;
    const { motionId: recall } = await apis.cai!.post<{ motionId: string }>(`/mandates/${seat.id}/recall`, {
      text: 'Never reports back.',
    });
    clock.advanceMinutes(3 * 24 * 60); // the deputy's right of reply: a recall is debated three days first
    await apis.cai!.post(`/motions/${recall}/vote`, {});
    const m = await apis.cai!.get(`/motions/${recall}`);
    await apis.cai!.post(`/votes/${m.vote.id}/ballots`, { choice: 'recall' });
    await apis.ana!.post(`/votes/${m.vote.id}/ballots`, { choice: 'against' });
    // Enough entries for more than one page of 50.
    const { motionId: other } = await apis.ana!.post<{ motionId: string }>('/councils/docks/motions', {
      title: 'Tea',
      text: '',
    });
    for (let i = 0; i < 40; i++)
      await apis.ana!.post(`/motions/${other}/comments`, { stance: 'neutral', text: `Remark ${i}` });
    await apis.ben!.post(`/votes/${m.vote.id}/ballots`, { choice: 'recall' });

    const cai = pages.cai!;
    await cai.goto('/record');
    await cai.getByRole('heading', { name: 'The record' }).waitFor();
    const total = (await apis.cai!.get<{ entries: number }>('')).entries;
    await cai.getByText(new RegExp(`^Entries \\d+ to ${total - 1} of ${total}$`)).waitFor();
    assert.equal(Number(await cai.locator('table.log tbody tr td').first().innerText()), total - 1);
    assert.equal(await cai.locator('table.log tbody tr').count(), 50);
    const ended = cai.locator('table.log tbody tr', { hasText: 'mandate ended' });
    const by = (await ended.locator('td').nth(3).innerText()).trim();
    assert.match(by, /^by the rules \(after .*Ben Adeyemi/, by);
    assert.match(await ended.locator('td').nth(2).innerText(), /mandate ended/);
  });
});

describe('a petition that needs more than one signature', () => {
  let f: WebFixture;
  const pages: Record<string, Page> = {};
  const apis: Record<string, Api> = {};
  before(async () => {
    f = await startWeb({
      ...federation,
      constitution: { power: { petitions: { threshold: { kind: 'absolute', count: 2 } } } },
    });
    for (const who of ['ana', 'ben']) {
      pages[who] = await personPage(f);
      apis[who] = await joinByApi(f, pages[who]!, who);
    }
  });
  after(async () => {
    await f?.close();
  });

  test('the council page does not offer "Sign" to a member who signed', async () => {
    const { petitionId } = await apis.ana!.post<{ petitionId: string }>('/petitions', {
      kind: 'agenda',
      councilId: 'docks',
      title: 'A kettle in the break room',
      text: 'Put it on the agenda.',
    });
    const p = await apis.ana!.get(`/petitions/${petitionId}`);
    assert.ok(p.signatureCount < p.required.docks, 'the petition still needs signatures');
    const ana = pages.ana!;
    await ana.goto('/councils/docks');
    const line = ana.locator('.petition', { hasText: 'A kettle in the break room' });
    await line.waitFor();
    assert.equal(await line.getByRole('button', { name: 'Sign' }).count(), 0);
    await line.getByText('You have signed.').waitFor();
    const ben = pages.ben!;
    await ben.goto('/councils/docks');
    await ben.locator('.petition', { hasText: 'A kettle' }).getByRole('button', { name: 'Sign' }).waitFor();
  });
});
