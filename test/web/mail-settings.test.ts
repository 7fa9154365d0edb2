// The e-mail settings on the account page (docs/NOTIFICATIONS.md "Preferences"): a member sees that this server
// sends no e-mail (no relay configured), chooses per kind, saves, and finds the choice kept after a reload and in
// the API; an invitation with an address, on a server that sends no e-mail, says nothing was sent.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, joinByApi, personPage, startWeb, type WebFixture } from './harness.ts';

describe('e-mail settings in the browser', () => {
  let f: WebFixture;
  before(async () => {
    f = await startWeb();
  });
  after(async () => {
    await f?.close();
  });

  test('per kind: at once, in the digest, or never; kept after a reload', async () => {
    const page = await personPage(f);
    const ana = await joinByApi(f, page, 'ana');
    await page.goto('/account');
    const section = page.getByRole('region', { name: 'E-mail notices' });
    await section.getByText(/This server sends no e-mail/).waitFor();
    const voteOpen = section.getByLabel('A vote opens in which you are an elector');
    assert.equal(await voteOpen.inputValue(), 'digest');
    assert.equal(
      await section.getByLabel('A recall petition about your mandate').inputValue(),
      'immediately',
    );
    await assertAccessible(page, 'account page with e-mail settings');

    await voteOpen.selectOption({ label: 'At once' });
    await section.getByLabel('The result of a vote you took part in').selectOption({ label: 'Never' });
    await section.getByRole('button', { name: 'Save e-mail settings' }).click();
    await section.getByRole('status').getByText('Your e-mail settings are saved.').waitFor();

    const saved = await ana.get<{ deliveries: Record<string, string> }>('/mail-settings');
    assert.equal(saved.deliveries.vote_open, 'immediately');
    assert.equal(saved.deliveries.vote_result, 'never');
    assert.equal(saved.deliveries.motion_debate, 'digest');

    await page.reload();
    const again = page.getByRole('region', { name: 'E-mail notices' });
    await again.getByLabel('A vote opens in which you are an elector').waitFor();
    assert.equal(
      await again.getByLabel('A vote opens in which you are an elector').inputValue(),
      'immediately',
    );
    assert.equal(await again.getByLabel('The result of a vote you took part in').inputValue(), 'never');
  });

  test('an invitation with an address says nothing was sent when this server sends no e-mail', async () => {
    const page = await personPage(f);
    await joinByApi(f, page, 'ben');
    await page.goto('/councils/docks');
    await page.getByRole('button', { name: 'Invite a person' }).click();
    const form = page.getByRole('form', { name: 'Invite a person' });
    await form.getByLabel('Their name').fill('Zoe Park');
    await form.getByLabel('Their e-mail address (optional)').fill('zoe@example.org');
    await form.getByRole('button', { name: 'Create the invitation link' }).click();
    const said = form.getByRole('status');
    await said.getByText(/This server sends no e-mail, so nothing was sent to zoe@example.org/).waitFor();
    assert.match(await said.locator('code').innerText(), /\/invite\/[A-Za-z0-9_-]{43}$/);
    await assertAccessible(page, 'council page with an invitation made');
  });
});
