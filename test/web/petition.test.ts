// A petition from below in the browser: a member starts one for an agenda item, others sign it from the council
// page, and when enough have signed the item opens by itself and the petition links to its motion. The motion's
// page names the petition's signatories: how many (a link to the petition), the first 100, "More signatories".
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertAccessible,
  federation,
  joinByApi,
  personPage,
  screenshot,
  startWeb,
  type WebFixture,
} from './harness.ts';

/** 120 founders of the Crane Operators ("Crane 001" …), and an extraordinary election there needs 9 in 10 of them. */
const cranes = Array.from({ length: 120 }, (_, i) => {
  const n = String(i + 1).padStart(3, '0');
  return { memberId: `crane${n}`, name: `Crane ${n}`, councilId: 'cranes' };
});
const founding = {
  ...federation,
  founders: cranes,
  constitution: {
    ...(federation.constitution as Record<string, unknown>),
    power: { petitions: { electionThreshold: { kind: 'fraction', num: 9, den: 10 } } },
  },
};

describe('petitions', () => {
  let f: WebFixture;
  before(async () => {
    // (startWeb's type is the harness's federation, whose founders are none)
    f = await startWeb(founding as unknown as typeof federation);
  });
  after(async () => {
    await f?.close();
  });

  test('start a petition, sign it, and follow it to the motion it opened', async () => {
    const pages = [];
    for (const who of ['ana', 'ben', 'cai']) {
      const page = await personPage(f);
      await joinByApi(f, page, who);
      pages.push(page);
    }
    const [ana] = pages;
    await ana!.goto('/councils/docks');
    await ana!.getByRole('button', { name: 'Start a petition' }).click();
    const form = ana!.getByRole('form', { name: 'Start a petition' });
    await form.getByLabel('Title', { exact: true }).fill('Lockers for the night crew');
    await form.getByLabel('Text', { exact: true }).fill('Put it on the agenda.');
    await form.getByRole('button', { name: 'Start the petition' }).click();
    const line = ana!.locator('.petition', { hasText: 'Lockers for the night crew' });
    await line.waitFor();
    assert.match(await line.innerText(), /1 of \d+ signatures?/);
    await assertAccessible(ana!, 'council page with a petition');

    // The others sign until it succeeds (the constitution says how many are needed).
    for (const page of pages.slice(1)) {
      await page.goto('/councils/docks');
      const mine = page.locator('.petition', { hasText: 'Lockers for the night crew' });
      await mine.waitFor();
      if (await mine.getByText('Enough signed').count()) break;
      await mine.getByRole('button', { name: 'Sign' }).click();
      await mine.getByText(/[2-9] of \d+ signatures/).waitFor();
    }
    const last = pages[2]!;
    await last.goto('/councils/docks');
    const petition = last.locator('.petition', { hasText: 'Lockers for the night crew' });
    await petition.getByText('Enough signed: the item is open.').waitFor();
    await screenshot(last, 'petition');
    await petition.getByRole('link', { name: 'Go to it' }).click();
    await last.getByRole('heading', { level: 1 }).waitFor();
    assert.match(await last.getByRole('heading', { level: 1 }).innerText(), /Lockers for the night crew/);
    // Its mover is the petition: how many signed (a link to it) and who.
    await last.getByText(/put on the agenda by a petition on/).waitFor();
    const signatories = last.locator('p.signatories');
    assert.match(await signatories.innerText(), /^\d+ signatures?: Ana Ruiz\b/);
    assert.equal(await last.getByRole('button', { name: 'More signatories' }).count(), 0);

    // The transparency report counts it.
    await last.getByRole('link', { name: 'Transparency' }).click();
    await last.getByRole('heading', { name: 'Transparency report' }).waitFor();
    const total = last.getByRole('row', { name: /^Total/ });
    const cells = await total.locator('td').allInnerTexts();
    assert.equal(cells[0], '1', 'one petition opened');
    assert.equal(cells[1], '1', 'one petition succeeded');
    await assertAccessible(last, 'transparency page');
    await screenshot(last, 'transparency');
  });

  test("a petition-born motion's page: the count, the first 100 signatories, then the rest with More", async () => {
    // The cranes' election petition, signed through the service until it succeeds (the scene, not what is tested).
    const service = f.server.service;
    const opened = await service.run(f.orgId, cranes[0]!.memberId, {
      type: 'open_petition',
      kind: 'election',
      councilId: 'cranes',
      text: '',
    });
    const petitionId = (opened[0]!.payload as { petitionId: string }).petitionId;
    let motionId: string | undefined;
    let signed = 1;
    for (const c of cranes.slice(1)) {
      const entries = await service.run(f.orgId, c.memberId, { type: 'sign_petition', petitionId });
      signed++;
      const done = entries.find((e) => e.act === 'petition_succeeded');
      if (done) {
        motionId = (done.payload as { motionId: string }).motionId;
        break;
      }
    }
    assert.ok(motionId && signed > 100, `${signed} signatures`);
    const page = await personPage(f);
    await joinByApi(f, page, 'dan');
    await page.goto(`/motions/${motionId}`);
    const count = page.getByRole('link', { name: `${signed} signatures` });
    await count.waitFor();
    assert.equal(await count.getAttribute('href'), `/petitions/${petitionId}`);
    const names = page.locator('p.signatories');
    const shown = async () => (await names.innerText()).replace(/^[^:]*: /, '').split(', ');
    assert.deepEqual(await shown(), [...cranes.slice(0, 100).map((c) => c.name), '…']);
    await assertAccessible(page, "a petition-born motion's page with more signatories to load");
    const more = page.getByRole('button', { name: 'More signatories' });
    await more.click();
    await more.waitFor({ state: 'detached' });
    assert.deepEqual(
      await shown(),
      cranes.slice(0, signed).map((c) => c.name),
    );
  });
});
