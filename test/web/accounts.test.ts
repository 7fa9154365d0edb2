// One's account in the browser (docs/ACCOUNTS.md), in Chromium: the account page changes the password (a weak one
// refused in words), lists where one is signed in and makes an API token shown once and revokes it; someone
// guessing a member's password from another browser is held with a message saying when to retry, while the
// member's own browser still signs in; a forgotten password is reset by a link the council issues (two approvals,
// each in its own browser), which the last approver sees and hands over, and which works once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  assertAccessible,
  joinByApi,
  password,
  personPage,
  screenshot,
  pick,
  signInByUi,
  startWeb,
  type WebFixture,
} from './harness.ts';
import { TestClock } from '../support/databases.ts';

async function signInWith(page: Page, email: string, pw: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(pw);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function makeAndRegisterKey(page: Page): Promise<void> {
  await page.goto('/key');
  await page.getByRole('heading', { name: 'My approval key', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Make a new key in this browser' }).click();
  await page.getByRole('button', { name: 'Register this key' }).click();
  await page.getByText('It is your registered key.').waitFor();
}

describe('accounts in the browser', () => {
  let f: WebFixture;
  const pages: Record<string, Page> = {};
  before(async () => {
    // The server's clock stands still unless moved (the throttle's waits are not passed by the test's own pace).
    f = await startWeb(undefined, { clock: new TestClock(Date.parse('2026-12-06T09:00:00.000Z')) });
    for (const who of ['ana', 'ben', 'cai']) {
      pages[who] = await personPage(f);
      await joinByApi(f, pages[who]!, who);
    }
  });
  after(async () => {
    await f?.close();
  });

  test('the account page: change of password, sessions, an API token shown once and revoked', async () => {
    const ana = pages.ana!;
    // Ana signs in through the page (her browser becomes known), and once more from another browser.
    await ana.goto('/');
    await ana.getByRole('button', { name: 'Sign out' }).click();
    await ana.getByRole('heading', { name: 'Sign in' }).waitFor();
    await signInByUi(ana, 'ana');
    const elsewhere = await personPage(f);
    await elsewhere.request.post('/api/v1/session', { data: { email: 'ana@example.org', password } });
    await ana.getByRole('link', { name: /Ana Ruiz/ }).click();
    await ana.getByRole('heading', { name: 'My account', level: 1 }).waitFor();
    await ana.getByText('You sign in with ana@example.org.').waitFor();
    const sessions = ana.getByRole('region', { name: 'Where you are signed in' });
    await sessions.getByText('This browser').waitFor();
    await sessions.getByRole('button', { name: 'Sign out there' }).waitFor();
    assert.equal(await sessions.getByRole('row').count(), 3, 'a header and two sessions');

    const form = ana.getByRole('form', { name: 'Change password' });
    await form.getByLabel('Current password').fill(password);
    await form.getByLabel('New password').fill('aaaaaaaaaa');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByText(/repeats a few characters or runs in a sequence/).waitFor();
    assert.equal(await form.getByLabel('New password').getAttribute('aria-invalid'), 'true');
    await form.getByLabel('New password').fill('lanterns on the quay');
    await form.getByRole('button', { name: 'Change password' }).click();
    await ana.getByText('Your password is changed. Your other sessions were signed out.').waitFor();
    await ana.reload();
    await sessions.getByText('This browser').waitFor();
    assert.equal(await sessions.getByRole('row').count(), 2, 'the other session ended');
    assert.equal((await elsewhere.request.get('/api/v1/me')).status(), 401);
    await elsewhere.context().close();

    const tokens = ana.getByRole('region', { name: 'API tokens' });
    await tokens.getByText('You have no API tokens.').waitFor();
    await tokens.getByLabel('Token name').fill('laptop script');
    await tokens.getByRole('button', { name: 'Create a token' }).click();
    const shown = tokens.getByRole('textbox', { name: /Your new token “laptop script”/ });
    const token = await shown.inputValue();
    assert.match(token, /^cnl_/);
    const me = await ana.request.get('/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(me.status(), 200);
    await assertAccessible(ana, 'account page');
    await screenshot(ana, 'account');
    await tokens
      .getByRole('row', { name: /laptop script/ })
      .getByRole('button', { name: 'Revoke' })
      .click();
    await tokens.getByText('You have no API tokens.').waitFor();
    const revoked = await ana.request.get('/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(revoked.status(), 401);
  });

  test("someone else's guessing holds new browsers, with a time to retry, but not the member's own", async () => {
    const guesser = await personPage(f);
    for (let i = 0; i < 5; i++) {
      await signInWith(guesser, 'ana@example.org', `wrong guess ${i}`);
      await guesser.getByText('That e-mail address and password do not match.').waitFor();
    }
    await signInWith(guesser, 'ana@example.org', 'lanterns on the quay');
    await guesser.getByText(/Too many wrong passwords\. Wait a little and try again/).waitFor();
    await guesser.getByText(/try again in \d+ s \(at \d\d:\d\d:\d\d UTC\)/).waitFor();
    await assertAccessible(guesser, 'sign-in page, throttled');
    await screenshot(guesser, 'sign-in-throttled');
    await guesser.context().close();

    // Ana's browser signed in before: it signs in at once, whatever the count.
    const ana = pages.ana!;
    await ana.getByRole('button', { name: 'Sign out' }).click();
    await signInWith(ana, 'ana@example.org', 'lanterns on the quay');
    await ana.getByRole('heading', { name: 'My councils' }).waitFor();
  });

  test('a forgotten password: the council issues a one-time link, the last approver hands it over', async () => {
    const { ana, ben } = pages as Record<string, Page>;
    const lost = await personPage(f);
    await lost.goto('/sign-in');
    await lost.getByRole('link', { name: 'Forgot your password?' }).click();
    await lost.getByLabel('E-mail address').fill('cai@example.org');
    await lost.getByRole('button', { name: 'Send me a link' }).click();
    await lost.getByText(/This server does not send e-mail, so your council resets passwords/).waitFor();
    await assertAccessible(lost, 'forgotten password page');

    await makeAndRegisterKey(ana!);
    await makeAndRegisterKey(ben!);
    await ana!.goto('/requests');
    await ana!.getByRole('button', { name: 'Request an act' }).click();
    const form = ana!.getByRole('form', { name: 'Request an act' });
    await form.getByLabel('Act').selectOption({ label: 'Reset a member’s password' });
    await pick(form, 'Member', 'Cai', 'Cai Wong · Dockworkers');
    await form.getByRole('button', { name: 'Make the request' }).click();
    await ana!.getByText('Issue a one-time link for Cai Wong to choose a new password.').waitFor();
    await ana!.getByText('0 of 2 approvals').waitFor();
    const url = new URL(ana!.url()).pathname;
    await ana!.getByRole('button', { name: 'Approve' }).click();
    await ana!.getByText(/^You approved on/).waitFor();
    await ben!.goto(url);
    await ben!.getByRole('button', { name: 'Approve' }).click();
    const panel = ben!.getByRole('region', { name: 'Password reset link' });
    await panel.getByText(/The council has issued a link for Cai Wong/).waitFor();
    const link = await panel.getByRole('textbox').inputValue();
    assert.match(link, /\/reset\/[A-Za-z0-9_-]{43}$/);
    await assertAccessible(ben!, 'request page with the reset link');

    await lost.goto(new URL(link).pathname);
    await lost.getByText(/^For Cai Wong\. This link works once/).waitFor();
    await lost.getByLabel('New password', { exact: true }).fill('cai wong rocks 1');
    await lost.getByRole('button', { name: 'Set the new password' }).click();
    await lost.getByText(/contains your name or e-mail address/).waitFor();
    await lost.getByLabel('New password', { exact: true }).fill('ropes and pulleys at noon');
    await lost.getByRole('button', { name: 'Set the new password' }).click();
    await lost.getByText(/Your password is changed, and you were signed out everywhere/).waitFor();
    await assertAccessible(lost, 'reset page, done');
    // Cai's old session is over; the link does not work twice; the new password does.
    await pages.cai!.goto('/');
    await pages.cai!.getByRole('heading', { name: 'Sign in' }).waitFor();
    await lost.goto(new URL(link).pathname);
    await lost.getByText('This link has already been used.').waitFor();
    await signInWith(lost, 'cai@example.org', 'ropes and pulleys at noon');
    await lost.getByRole('heading', { name: 'My councils' }).waitFor();
  });
});
