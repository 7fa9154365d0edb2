// A secret IRV vote through the mix-net, done entirely in the browser against the real server (docs/MIXNET.md §16):
// five members; Ana moves the motion in the UI with three trustees, any two decrypting, who are also the mixers;
// the trustees make the key in their browsers; everyone registers and ranks in the ranked booth (one by keyboard
// alone, Ana challenging a ballot first and seeing it opened); after the close each mixer shuffles in the Web Worker
// in turn, two trustees decrypt, and the result page verifies every proof and counts again, round by round. No
// request carries a credential secret, a trustee secret, a passphrase, or a ranking other than the challenged one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { openTrusteeSecret, type TrusteeFile } from '../../src/web/secret/trustee-keystore.ts';
import { TestClock } from '../support/databases.ts';
import { organisation } from '../support/factory.ts';
import { assertAccessible, joinByApi, personPage, startWeb, type Api, type WebFixture } from './harness.ts';

const names = ['Ana Ruiz', 'Ben Adeyemi', 'Cai Wong', 'Dan Novak', 'Eva Lindqvist'];
const founding = organisation({
  name: 'Harbour Workers Federation',
  councils: [
    { id: 'fed', name: 'Federation Council', parentId: null, seatsInParent: 0 },
    { id: 'docks', name: 'Dockworkers', parentId: 'fed', seatsInParent: 1 },
  ],
  founders: [],
  invitations: names.map((name) => ({ name, councilId: 'docks' })),
});
const passphrase = (who: string) => `${who} keeps the harbour key`;
const first = (name: string) => name.split(' ')[0]!.toLowerCase();
/** How long a step waits on the Web Worker's crypto (or the server's proof checks): long, as CI may be loaded. */
const slow = 180_000;

describe('a secret ranked vote in the browser', () => {
  let f: WebFixture;
  const clock = new TestClock(Date.now());
  before(async () => {
    f = await startWeb(founding, { clock });
  });
  after(async () => {
    await f?.close();
  });

  test('ranked booth, mixers and trustees in the browser, and the result verified there', async () => {
    const pages: Page[] = [];
    const people: Api[] = [];
    for (const name of names) {
      const page = await personPage(f);
      pages.push(page);
      people.push(await joinByApi(f, page, first(name)));
    }
    const [ana, ben, cai, dan, eva] = pages as [Page, Page, Page, Page, Page];
    const a = people[0]!;
    const sent: { url: string; body: string }[] = [];
    for (const p of pages) p.on('request', (r) => sent.push({ url: r.url(), body: r.postData() ?? '' }));

    // Ana moves the motion in the UI: IRV, secret, trustees Ana, Ben and Cai, any two decrypting.
    await ana.goto('/councils/docks');
    await ana.getByRole('button', { name: 'Move a motion' }).click();
    const motionForm = ana.getByRole('form', { name: 'Move a motion' });
    await motionForm.getByLabel('Title', { exact: true }).fill('Safety officer');
    for (const [i, title] of ['Rosa', 'Tomás', 'Uma'].entries()) {
      if (i > 0) await motionForm.getByRole('button', { name: 'Add an alternative' }).click();
      await motionForm.getByLabel(`Title of alternative ${i + 1}`).fill(title);
    }
    await motionForm.getByLabel('Counting method').selectOption({ label: 'instant-runoff (IRV)' });
    await motionForm.getByLabel(/^Decide by secret ballot \(rankings encrypted/).check();
    const trusteeBoxes = motionForm.getByRole('group', { name: 'Trustees' });
    for (const name of names.slice(0, 3)) await trusteeBoxes.getByLabel(name).check();
    await motionForm.getByLabel('How many trustees decrypt together').fill('2');
    await motionForm.getByRole('button', { name: 'Move the motion' }).click();
    await ana.getByRole('heading', { name: 'Safety officer' }).waitFor();
    const motionPath = new URL(ana.url()).pathname;
    await a.post(`${motionPath}/vote`, { minutes: 20 });
    const voteId: string = (await a.get(motionPath)).vote.id;
    const secret = `/votes/${voteId}/secret`;
    assert.equal((await a.get(secret)).ballotKind, 'ranked');

    // The key: each trustee commits, deals and checks in their browser, under their passphrase.
    const trustees = pages.slice(0, 3).map((page, i) => [page, first(names[i]!)] as const);
    const withPassphrase = async (page: Page, form: string, who: string, next: RegExp | string) => {
      const it = page.getByRole('form', { name: form });
      await it.getByLabel('Your trustee passphrase').fill(passphrase(who));
      await it.getByRole('button', { name: form }).click();
      await page.getByText(next).first().waitFor({ timeout: slow });
    };
    for (const [page, who] of trustees) {
      await page.goto(motionPath);
      const form = page.getByRole('form', { name: 'Generate my part of the election key' });
      await form.getByLabel('Choose a passphrase').fill(passphrase(who));
      await form.getByLabel('Repeat the passphrase').fill(passphrase(who));
      await form.getByRole('button', { name: 'Generate my part of the election key' }).click();
      await page
        .getByText(/^Waiting for the other trustees to commit/)
        .or(page.getByRole('form', { name: 'Deal my shares' }))
        .waitFor({ timeout: slow });
    }
    for (const [page, who] of trustees) {
      await page.reload();
      await withPassphrase(
        page,
        'Deal my shares',
        who,
        /^Waiting for the other trustees to deal|Check the shares/,
      );
    }
    for (const [page, who] of trustees) {
      await page.reload();
      await withPassphrase(
        page,
        'Check the shares I received',
        who,
        'You have done your part in making the key.',
      );
    }

    // Everyone registers from their browser; the last listing freezes the list and voting opens.
    for (const page of pages) {
      await page.goto(motionPath);
      await page.getByRole('button', { name: 'Register to vote secretly' }).click();
    }
    // Each browser's credential is listed; the panel follows the live stream, so once the last one is listed
    // and voting opens, "registered" gives way to the ballot: either shows that this browser's listing is done.
    for (const page of pages)
      await page
        .getByText(/You are registered from this browser/)
        .or(page.getByRole('form', { name: 'Vote' }))
        .first()
        .waitFor({ timeout: slow });
    await waitFor(async () => (await a.get(secret)).phase === 'voting');

    // Ana ranks Rosa then Tomás with the buttons, encrypts, challenges: the opened ballot shows her ranking.
    await ana.reload();
    const rank = async (page: Page, order: string[]) => {
      const form = page.getByRole('form', { name: 'Vote' });
      for (const o of order) await form.getByRole('button', { name: `Rank ${o}` }).click();
      return form;
    };
    const form = await rank(ana, ['Rosa', 'Tomás']);
    await assertAccessible(ana, 'the ranked booth');
    await form.getByRole('button', { name: 'Encrypt my ballot' }).click();
    await ana.getByLabel('Confirmation code').waitFor({ timeout: slow });
    assert.deepEqual(await ana.locator('.sealed-ranking li').allInnerTexts(), ['Rosa', 'Tomás']);
    await assertAccessible(ana, 'a sealed ranked ballot');
    await ana.getByRole('button', { name: /^Challenge it/ }).click();
    await ana.getByText(/The challenged ballot was opened/).waitFor({ timeout: slow });
    assert.deepEqual(await ana.locator('ol.opened li').allInnerTexts(), ['Rosa', 'Tomás']);
    // a new ballot starts from the ranking she had
    await ana.getByRole('button', { name: 'Fill in a new ballot' }).click();
    const again = ana.getByRole('form', { name: 'Vote' }).locator('li.rank-item .rank-label');
    await again.first().waitFor();
    assert.deepEqual(await again.allInnerTexts(), ['Rosa', 'Tomás']);
    const cast = async (page: Page) => {
      await page
        .getByRole('form', { name: 'Vote' })
        .getByRole('button', { name: 'Encrypt my ballot' })
        .click();
      await page.getByRole('button', { name: 'Cast it' }).click({ timeout: slow });
      await page.getByText(/Your ballot is cast/).waitFor({ timeout: slow });
    };
    await cast(ana);

    // Ben by keyboard alone: rank Rosa, then Tomás, then pick Tomás up and move him above Rosa.
    await ben.reload();
    const benForm = ben.getByRole('form', { name: 'Vote' });
    for (const o of ['Rosa', 'Tomás']) {
      await benForm.getByRole('button', { name: `Rank ${o}` }).focus();
      await ben.keyboard.press('Enter');
    }
    await benForm.locator('li.rank-item[data-option]').nth(1).focus();
    await ben.keyboard.press('Space');
    await ben.keyboard.press('ArrowUp');
    await ben.keyboard.press('Space');
    await ben.getByText('Tomás put down at position 1 of 2.').waitFor();
    await cast(ben);
    // Cai: Uma, Tomás; Dan: Tomás alone; Eva: Rosa, Uma. First preferences Rosa 2, Tomás 2, Uma 1: Uma is
    // excluded, Cai's ballot goes to Tomás, who wins 3 to 2.
    for (const [page, order] of [
      [cai, ['Uma', 'Tomás']],
      [dan, ['Tomás']],
      [eva, ['Rosa', 'Uma']],
    ] as const) {
      await page.reload();
      await rank(page, [...order]);
      await cast(page);
    }
    assert.equal((await a.get(`${secret}/mix`)).cast, 5);

    // The close: the mixers, in trustee order, shuffle in their browsers.
    clock.advanceMinutes(21);
    for (const [i, [page, who]] of trustees.entries()) {
      await page.reload();
      const step = page.getByRole('region', { name: `You are mixer ${i + 1}` });
      await step.getByText(/^It is your turn: shuffle the ballots before/).waitFor({ timeout: slow });
      if (i === 0) await assertAccessible(page, 'a mixer whose turn it is');
      // the shuffle is signed with the trustee key, opened with its passphrase (docs/MIXNET.md §12)
      await step.getByLabel('Your trustee passphrase').fill(passphrase(who));
      await step.getByRole('button', { name: 'Shuffle the ballots' }).click();
      await step.getByText('Your shuffle is on the board.').waitFor({ timeout: slow });
    }
    const mixers = ana.getByRole('region', { name: 'Mixing' });
    await ana.reload();
    for (const name of names.slice(0, 3))
      await mixers.getByRole('row', { name: new RegExp(`${name} shuffled`) }).waitFor({ timeout: slow });

    // Ana and Cai decrypt the shuffled ballots; the second decryption counts and closes the vote.
    for (const [page, who] of [trustees[0]!, trustees[2]!]) {
      await page.reload();
      await withPassphrase(page, 'Decrypt the shuffled ballots', who, 'Your decryption is on the board.');
    }
    await waitFor(async () => (await a.get(secret)).phase === 'decided');

    // Dan, who is neither trustee nor mixer, verifies the result in his browser.
    await dan.reload();
    const result = dan.getByRole('region', { name: 'Result' });
    await result
      .getByText(/Winner: Tomás|Tomás/)
      .first()
      .waitFor({ timeout: slow });
    const verify = dan.getByRole('region', { name: 'Verify this vote' });
    await verify.getByRole('button', { name: 'Verify in this browser' }).click();
    await verify.getByText('Everything checks.').waitFor({ timeout: slow });
    await verify.getByText('Counted again in this browser: the same result, round by round.').waitFor();
    const checks = await verify.locator('.mix-checks li').allInnerTexts();
    assert.equal(checks.length, 4);
    assert.ok(
      checks.every((c) => c.endsWith('passed')),
      checks.join('\n'),
    );
    assert.match(checks[1]!, /3 shuffles/);
    assert.match(checks[3]!, /\(1\)/, 'the challenged ballot');
    const rounds = await verify.locator('.mix-rounds li').allInnerTexts();
    // "against" (no change) goes first, then Uma; Tomás wins 3 to 2
    assert.equal(rounds.length, 3, rounds.join('\n'));
    assert.match(rounds[2]!, /^Round 3: Rosa 2, Tomás 3$/);
    await assertAccessible(dan, 'the verified result of a secret ranked vote');

    // Nothing secret left a browser: no credential secret, trustee secret or passphrase in any request, and no
    // ranking but the challenged one (sent on purpose, to be published as spoiled).
    for (const [i, page] of pages.entries()) {
      const kept = await page.evaluate(
        () => ({ ...(globalThis as any).localStorage }) as Record<string, string>,
      );
      const credential = Object.entries(kept).find(([k]) => k.startsWith('councils.credential.'))![1];
      const secrets = [JSON.parse(credential).secret as string, passphrase(first(names[i]!))];
      const file = Object.entries(kept).find(([k]) => k.startsWith('councils.trustee.'))?.[1];
      if (file) {
        const s = openTrusteeSecret(JSON.parse(file) as TrusteeFile, passphrase(first(names[i]!)));
        secrets.push(s.communicationSecret, ...s.coefficients);
      }
      for (const x of secrets)
        assert.ok(
          !sent.some((r) => r.body.includes(x) || r.url.includes(x)),
          `${names[i]}'s secret was sent`,
        );
    }
    // an option id as a value ("a1"; a decryption proof's field "a1": is not one)
    const withRanking = sent.filter(
      (r) => /"ranking"|"a[0-9]+"(?!\s*:)/.test(r.body) && r.url.includes('/secret'),
    );
    assert.deepEqual(
      withRanking.map((r) => new URL(r.url).pathname.split('/').at(-1)),
      ['spoiled'],
      'only the challenged ballot carries a ranking',
    );
    assert.equal(sent.filter((r) => r.url.endsWith('/secret/ballots')).length, 5);
    assert.equal(sent.filter((r) => r.url.endsWith('/secret/shuffles')).length, 3);
  });
});

/** Polls `ok` until it holds (each call a request to the server), for up to 3 minutes. */
async function waitFor(ok: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + slow;
  while (!(await ok())) {
    if (Date.now() > deadline) assert.fail('the condition did not hold within 3 minutes');
    await new Promise((r) => setTimeout(r, 100));
  }
}
