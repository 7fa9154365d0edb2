// Collective authority and power from below in the browser (docs/POWER.md): members make and register their
// approval keys in the page; a privileged act requested in the page happens only when k members, each in their
// own browser, have signed their approval (k − 1 change nothing); a committee act is reversed by the council;
// a petition signed on its page opens its item; a recall petition started from the deputy's mandate opens the
// recall's debate (the vote opens after the right of reply, docs/PROCEDURE.md "Recall").
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  assertAccessible,
  federation,
  joinByApi,
  personPage,
  pick,
  screenshot,
  startWeb,
  type Api,
  type WebFixture,
} from './harness.ts';
import { organisation, withInstantProcedure } from '../support/factory.ts';

// One council of three people, its own root: it authorises its own acts (2 of 3 by default) and petitions
// need two signatures. Witnesses are changed by a committee of one, which the council can overrule.
const collective = organisation({
  name: 'Harbour Cooperative',
  constitution: {
    power: {
      petitions: { threshold: { kind: 'absolute', count: 2 } },
      acts: { change_witnesses: { by: 'committee', council: 'root', k: 1 } },
    },
  },
  councils: [{ id: 'all', name: 'General Assembly', parentId: null, seatsInParent: 0 }],
  founders: [],
  invitations: [
    { name: 'Ana Ruiz', councilId: 'all' },
    { name: 'Ben Adeyemi', councilId: 'all' },
    { name: 'Cai Wong', councilId: 'all' },
  ],
});

async function makeAndRegisterKey(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('link', { name: 'Approvals' }).click();
  await page.getByRole('link', { name: 'My approval key' }).click();
  await page.getByRole('heading', { name: 'My approval key', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Make a new key in this browser' }).click();
  await page.getByRole('button', { name: 'Register this key' }).click();
  await page.getByText('It is your registered key.').waitFor();
}

/** Approves the request open on `page` in its browser and waits for the page to say so. */
async function approveInPage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.getByText(/^You approved on/).waitFor();
}

describe('collective authority in the browser', () => {
  let f: WebFixture;
  const pages: Record<string, Page> = {};
  const apis: Record<string, Api> = {};
  before(async () => {
    f = await startWeb(collective as unknown as typeof federation);
    for (const who of ['ana', 'ben', 'cai']) {
      pages[who] = await personPage(f);
      apis[who] = await joinByApi(f, pages[who]!, who);
    }
  });
  after(async () => {
    await f?.close();
  });

  test('a member makes a key in the browser and registers it; the secret never reaches the server', async () => {
    const ana = pages.ana!;
    await makeAndRegisterKey(ana);
    await assertAccessible(ana, 'approval key page');
    await screenshot(ana, 'approval-key');
    const { keys } = await apis.ana!.get<{
      keys: { memberId: string; publicKey: string; revokedAt: null }[];
    }>('/keys');
    const mine = keys.filter((k) => k.memberId === apis.ana!.memberId);
    assert.equal(mine.length, 1);
    const secret = await ana.evaluate(() =>
      Object.entries((globalThis as any).localStorage as Record<string, string>).find(([k]) =>
        k.startsWith('councils-approval-key:'),
      ),
    );
    assert.ok(secret, 'the secret is kept in this browser');
    assert.notEqual(secret[1], mine[0]!.publicKey);
    const log = JSON.stringify(await apis.ana!.get('/log?limit=500'));
    assert.ok(!log.includes(secret[1]), 'the secret is not in the log');
    for (const who of ['ben', 'cai']) await makeAndRegisterKey(pages[who]!);
  });

  test('a key registered elsewhere is pointed out in a browser that does not hold it', async () => {
    const other = await personPage(f);
    await other.request.post('/api/v1/session', {
      data: { email: 'cai@example.org', password: 'correct horse battery' },
    });
    await other.goto('/key');
    await other.getByText('This browser holds no approval key of yours.').waitFor();
    await other
      .getByRole('alert')
      .getByText(/is not the one in this browser/)
      .waitFor();
    await assertAccessible(other, 'approval key page, key held elsewhere');
    await other.context().close();
  });

  test('an act requested in the page happens with k approvals from separate browsers, not with k − 1', async () => {
    const { ana, ben, cai } = pages as Record<string, Page>;
    await ana!.goto('/requests');
    await ana!.getByRole('button', { name: 'Request an act' }).click();
    const form = ana!.getByRole('form', { name: 'Request an act' });
    await form.getByLabel('Act').selectOption({ label: 'Appoint the trustees' });
    await pick(form, 'Add', 'ben', 'Ben Adeyemi');
    await pick(form, 'Add', 'Cai', 'Cai Wong');
    await assertAccessible(ana!, 'requests page with the form');
    await form.getByRole('button', { name: 'Make the request' }).click();
    await ana!.getByRole('heading', { name: 'Appoint the trustees', level: 1 }).waitFor();
    await ana!.getByText('Trustees of secret ballots: Ben Adeyemi, Cai Wong.').waitFor();
    await ana!.getByText('0 of 2 approvals').waitFor();
    const url = new URL(ana!.url()).pathname;

    await approveInPage(ana!, url);
    await ana!.getByText('1 of 2 approvals').waitFor();
    const settings = () => apis.ana!.get<{ trustees: string[] }>('/power');
    assert.deepEqual((await settings()).trustees, [], 'k − 1 approvals change nothing');
    await assertAccessible(ana!, 'request page, one approval');
    await screenshot(ana!, 'request');

    // Ben finds it among the pending requests and approves it in his own browser: the act happens.
    await ben!.goto('/requests');
    await ben!
      .locator('.request', { hasText: 'Appoint the trustees' })
      .getByText('1 of 2 approvals: Ana Ruiz')
      .waitFor();
    await assertAccessible(ben!, 'requests page with a pending request');
    await ben!.getByRole('link', { name: 'Appoint the trustees' }).click();
    await ben!.getByRole('button', { name: 'Approve' }).click();
    await ben!.getByText(/^Carried out on/).waitFor();
    assert.deepEqual((await settings()).trustees.sort(), [apis.ben!.memberId, apis.cai!.memberId].sort());
    await cai!.goto(url);
    await cai!.getByText(/^Carried out on/).waitFor();
    assert.equal(await cai!.getByRole('button', { name: 'Approve' }).count(), 0);

    await ben!.goto('/record/settings');
    await ben!.getByRole('heading', { name: 'Record settings', level: 1 }).waitFor();
    await ben!.getByText('Ben Adeyemi, Cai Wong').waitFor();
    await assertAccessible(ben!, 'record settings page');
  });

  test('an approval withdrawn counts for nothing; the request page keeps the history', async () => {
    const { ana, cai } = pages as Record<string, Page>;
    await cai!.goto('/requests');
    await cai!.getByRole('button', { name: 'Request an act' }).click();
    const form = cai!.getByRole('form', { name: 'Request an act' });
    await form.getByLabel('Act').selectOption({ label: 'Unseal an entry early' });
    await form.getByLabel('Entry number').fill('1');
    await form.getByLabel('Reason').fill('The court asked for it.');
    await form.getByRole('button', { name: 'Make the request' }).click();
    await cai!.getByRole('heading', { name: 'Unseal an entry early', level: 1 }).waitFor();
    const url = new URL(cai!.url()).pathname;
    await approveInPage(cai!, url);
    await cai!.getByRole('button', { name: 'Withdraw my approval' }).click();
    await cai!.getByText(/Cai Wong: withdrew/).waitFor();
    await cai!.getByText('0 of 2 approvals').waitFor();
    await approveInPage(ana!, url);
    await ana!.getByText('1 of 2 approvals').waitFor();
    assert.deepEqual((await apis.ana!.get<{ unsealed: number[] }>('/power')).unsealed, []);
  });

  test('the key rotation flow: a candidate key from the server, then a rotate_log_key request', async () => {
    const ana = pages.ana!;
    await ana.goto('/record/settings');
    await ana.getByRole('button', { name: 'Prepare a new log key' }).click();
    await ana.getByText('The candidate key:').waitFor();
    await screenshot(ana, 'record-settings');
    await ana.getByRole('button', { name: 'Request the rotation' }).click();
    await ana.getByRole('heading', { name: 'Rotate the log key', level: 1 }).waitFor();
    await ana.getByText(/^Sign the record with a new key:/).waitFor();
    const url = new URL(ana.url()).pathname;
    const { content } = await apis.ana!.get<{ content: { verifierKey: string } }>(url);
    await approveInPage(ana, url);
    await approveInPage(pages.ben!, url);
    await pages.ben!.getByText(/^Carried out on/).waitFor();
    // The next checkpoint switches to the new key; the settings page shows it, and the key history where the
    // server publishes one (GET …/record/keys.json, docs/RECORD.md).
    await f.server.service.record.issue(f.orgId, true);
    await ana.goto('/record/settings');
    await ana.getByText(content.verifierKey).first().waitFor();
    const history = await ana.request.get(`/api/v1/orgs/${f.orgId}/record/keys.json`);
    const heading = ana.getByRole('heading', { name: 'Log keys, oldest first' });
    if (history.ok()) {
      const { keys } = (await history.json()) as { keys: { verifierKey: string }[] };
      await heading.waitFor();
      assert.equal(await ana.locator('.key-history > li').count(), keys.length);
      assert.equal(keys.at(-1)!.verifierKey, content.verifierKey);
      await ana.locator('.key-history > li').last().getByText(content.verifierKey).waitFor();
    } else assert.equal(await heading.count(), 0, 'no key history from a server that publishes none');
    await assertAccessible(ana, 'record settings after a rotation');
  });

  test('a committee elected by the council acts alone, and the council reverses its act', async () => {
    const { ana, ben } = pages as Record<string, Page>;
    await ana!.goto('/committees');
    await ana!.getByRole('button', { name: 'Elect a committee' }).click();
    const form = ana!.getByRole('form', { name: 'Request an act' });
    await pick(form, 'Add', 'ana', 'Ana Ruiz');
    await form.getByRole('button', { name: 'Make the request' }).click();
    await ana!.getByRole('heading', { name: 'Elect a committee', level: 1 }).waitFor();
    const election = new URL(ana!.url()).pathname;
    await approveInPage(ana!, election);
    await approveInPage(ben!, election);
    await ben!.getByText(/^Carried out on/).waitFor();

    // The committee (Ana alone, k = 1) changes the witnesses.
    const { requestId } = await apis.ana!.post<{ requestId: string }>('/requests', {
      kind: 'change_witnesses',
      content: { witnesses: ['witness.example+12345678+AQID'] },
    });
    await approveInPage(ana!, `/requests/${requestId}`);
    await ana!.getByText(/^Carried out on/).waitFor();
    assert.equal((await apis.ana!.get<{ witnesses: string[] }>('/power')).witnesses.length, 1);

    // Ben sees the committee and its act, and asks the council to reverse it; two members approve.
    await ben!.goto('/committees');
    await ben!.getByRole('heading', { name: 'Committee of General Assembly' }).waitFor();
    await ben!.locator('.committees').getByText('Ana Ruiz', { exact: true }).waitFor();
    await assertAccessible(ben!, 'committees page');
    await screenshot(ben!, 'committees');
    await ben!.getByRole('button', { name: 'Reverse “Change the witnesses”' }).click();
    await ben!.getByRole('heading', { name: 'Reverse a committee act', level: 1 }).waitFor();
    const reversal = new URL(ben!.url()).pathname;
    await approveInPage(ben!, reversal);
    assert.equal((await apis.ana!.get<{ witnesses: string[] }>('/power')).witnesses.length, 1);
    await approveInPage(pages.cai!, reversal);
    await pages.cai!.getByText(/^Carried out on/).waitFor();
    assert.deepEqual((await apis.ana!.get<{ witnesses: string[] }>('/power')).witnesses, []);
    await ben!.goto(`/requests/${requestId}`);
    await ben!.getByText(/^Reversed on/).waitFor();
  });

  test('a petition signed on its own page reaches its threshold and opens its item', async () => {
    const { ana, ben } = pages as Record<string, Page>;
    await ana!.goto('/councils/all');
    await ana!.getByRole('button', { name: 'Start a petition' }).click();
    const form = ana!.getByRole('form', { name: 'Start a petition' });
    await form.getByLabel('Title', { exact: true }).fill('A crèche at the harbour');
    await form.getByLabel('Text', { exact: true }).fill('Put it on the agenda.');
    await form.getByRole('button', { name: 'Start the petition' }).click();
    await ben!.goto('/councils/all');
    await ben!.getByRole('link', { name: 'A crèche at the harbour' }).click();
    await ben!.getByRole('heading', { name: 'A crèche at the harbour', level: 1 }).waitFor();
    await ben!.getByText('1 of 2 signatures').first().waitFor();
    await assertAccessible(ben!, 'petition page');
    await ben!.getByRole('button', { name: 'Sign', exact: true }).click();
    await ben!.getByText(/^Enough signed on/).waitFor();
    await ben!.getByRole('heading', { name: 'Signatures (2)' }).waitFor();
    await screenshot(ben!, 'petition-page');
    await ben!.getByRole('link', { name: 'Go to it' }).click();
    await ben!.getByRole('heading', { level: 1, name: /A crèche at the harbour/ }).waitFor();
  });

  test('the new pages on a phone', async () => {
    const phone = await personPage(f, { width: 390, height: 844 });
    await phone.request.post('/api/v1/session', {
      data: { email: 'ana@example.org', password: 'correct horse battery' },
    });
    const { requests } = await (
      await phone.request.get(`/api/v1/orgs/${f.orgId}/requests?state=done`)
    ).json();
    const rotation = requests.find((r: { kind: string }) => r.kind === 'rotate_log_key');
    assert.ok(rotation, 'a request with a long key in it');
    for (const [path, heading] of [
      ['/requests', 'Approvals'],
      [`/requests/${rotation.id}`, 'Rotate the log key'],
      ['/key', 'My approval key'],
      ['/committees', 'Committees'],
      ['/record/settings', 'Record settings'],
    ] as const) {
      await phone.goto(path);
      await phone.getByRole('heading', { name: heading, level: 1 }).waitFor();
      // Evaluated in the page (a string: these tests are type-checked without the DOM library).
      const wide = (await phone.evaluate(`[...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
        .map((e) => e.tagName + '.' + e.className)`)) as string[];
      assert.deepEqual(wide, [], `${path} fits a phone`);
      const scroll = (await phone.evaluate(
        'document.documentElement.scrollWidth - window.innerWidth',
      )) as number;
      assert.ok(scroll <= 1, `${path} does not scroll sideways (${scroll} px)`);
      await assertAccessible(phone, `${path} on a phone`);
    }
    await phone.context().close();
  });
});

describe('recall petition and appeal from the browser', () => {
  let f: WebFixture;
  before(async () => {
    f = await startWeb({
      ...federation,
      constitution: withInstantProcedure({
        power: { petitions: { threshold: { kind: 'absolute', count: 2 } } },
      }),
    });
  });
  after(async () => {
    await f?.close();
  });

  let ana: Page, ben: Page, cai: Page;
  let a: Api;

  test("a recall petition started from the deputy's mandate opens the recall's debate when enough sign", async () => {
    ana = await personPage(f);
    ben = await personPage(f);
    cai = await personPage(f);
    a = await joinByApi(f, ana, 'ana');
    const b = await joinByApi(f, ben, 'ben');
    const c = await joinByApi(f, cai, 'cai');
    // The scene, through the API: the docks elect Ana to the Federation Council.
    const { motionId } = await b.post<{ motionId: string }>('/councils/docks/elections', {});
    await b.post(`/motions/${motionId}/alternatives`, { title: 'Ana', text: '', candidateId: a.memberId });
    await b.post(`/motions/${motionId}/vote`, {});
    const m = await b.get(`/motions/${motionId}`);
    for (const who of [a, b, c]) await who.post(`/votes/${m.vote.id}/ballots`, { choice: 'a1' });

    await ben.goto('/councils/docks');
    await ben.getByRole('button', { name: 'Petition for a recall: Ana Ruiz' }).click();
    const form = ben.getByRole('form', { name: 'Petition for a recall' });
    await form.getByLabel('Why recall Ana Ruiz?').fill('She stopped reporting back to us.');
    await form.getByRole('button', { name: 'Start the petition' }).click();
    await ben.getByText('The petition for the recall of Ana Ruiz is open').waitFor();

    await cai.goto('/councils/docks');
    const line = cai.locator('.petition', { hasText: 'She stopped reporting back' });
    await line.getByRole('link').click();
    await cai.getByText('1 of 2 signatures').first().waitFor();
    await cai.getByRole('button', { name: 'Sign', exact: true }).click();
    await cai.getByText(/^Enough signed on/).waitFor();
    await cai.getByRole('link', { name: 'Go to it' }).click();
    await cai.getByRole('heading', { level: 1, name: /Recall Ana Ruiz/ }).waitFor();
    await cai.getByRole('form', { name: 'Speak in the debate' }).waitFor();
    assert.equal(await cai.getByRole('button', { name: 'Cast my ballot' }).count(), 0);
    await assertAccessible(cai, 'recall debate opened by a petition');
  });

  test('a member expelled by their council appeals in the browser, and the council above reinstates them', async () => {
    await makeAndRegisterKey(ana);
    await makeAndRegisterKey(ben);
    await ana.goto('/requests');
    await ana.getByRole('button', { name: 'Request an act' }).click();
    const form = ana.getByRole('form', { name: 'Request an act' });
    await form.getByLabel('Act').selectOption({ label: 'Expel a member' });
    await pick(form, 'Member', 'cai w', 'Cai Wong · Dockworkers');
    await form.getByLabel('Reason').fill('Sold the strike plans.');
    await form.getByRole('button', { name: 'Make the request' }).click();
    await ana.getByRole('heading', { name: 'Expel a member', level: 1 }).waitFor();
    const url = new URL(ana.url()).pathname;
    await cai.goto(url);
    await cai.getByText('You are not among those who approve this request.').waitFor();
    await approveInPage(ana, url);
    await approveInPage(ben, url);
    await ben.getByText(/^Carried out on/).waitFor();
    const baseCouncils = async () =>
      ((await (await cai.request.get('/api/v1/me')).json()) as { member: { baseCouncilIds: string[] } })
        .member.baseCouncilIds;
    assert.deepEqual(await baseCouncils(), [], 'Cai is expelled');

    await cai.goto(url);
    await cai.getByRole('button', { name: 'Appeal' }).click();
    // The click only sends the appeal: wait (with a deadline, not a fixed time) until the request is stored.
    let appeal: { id: string; kind: string } | undefined;
    for (const deadline = Date.now() + 60_000; !appeal && Date.now() < deadline;) {
      const { requests } = await a.get<{ requests: { id: string; kind: string }[] }>(
        '/requests?state=pending',
      );
      appeal = requests.find((r) => r.kind === 'reinstate_member');
      if (!appeal) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(appeal, 'the appeal is a request to the council above');
    await ana.goto(`/requests/${appeal.id}`);
    await ana.getByText(/must approve/).waitFor();
    assert.match(await ana.getByText(/must approve/).innerText(), /Federation Council/);
    await assertAccessible(ana, 'an appeal');
    await ana.getByRole('button', { name: 'Approve' }).click();
    await ana.getByText(/^Carried out on/).waitFor();
    assert.deepEqual(await baseCouncils(), ['docks'], 'Cai is reinstated');
  });
});
