// A secret STV election of deputies through the mix-net, done in the browser against the real server (docs/MIXNET.md
// §16): the Dockworkers send two deputies to the Federation Council; Ana calls the election in the UI, decided by
// Scottish STV in secret, with three trustees (Ana in English, Ben in Spanish, Cai in Russian), any two decrypting,
// who are also the mixers. Four members stand; the trustees make the key in their browsers, in their languages; six
// members register and rank in the ranked booth (Ben challenges a ballot first); after the close each mixer shuffles
// in the Web Worker in turn, Ben and Cai decrypt, the result shows every round, and Eva's browser checks every shuffle
// proof, every decryption proof and the recount. Fay's browser is served a board whose second shuffle was tampered
// with (as a lying server would) and says the vote does not check out.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { translator, type Locale } from '../../src/i18n/index.ts';
import type { MessageKey } from '../../src/i18n/en.ts';
import { TestClock } from '../support/databases.ts';
import { organisation } from '../support/factory.ts';
import { assertAccessible, joinByApi, pick, type Api, type WebFixture, startWeb } from './harness.ts';

const names = ['Ana Ruiz', 'Ben Adeyemi', 'Cai Wong', 'Dan Novak', 'Eva Lindqvist', 'Fay Osei'];
/** Each member's browser language: the three trustees (and mixers) each in their own. */
const languages: Locale[] = ['en', 'es', 'ru', 'en', 'en', 'en'];
const browserLanguage: Record<Locale, string> = { en: 'en-GB', es: 'es-ES', ru: 'ru-RU' };
const founding = organisation({
  name: 'Harbour Workers Federation',
  councils: [
    { id: 'fed', name: 'Federation Council', parentId: null, seatsInParent: 0 },
    { id: 'docks', name: 'Dockworkers', parentId: 'fed', seatsInParent: 2 },
  ],
  founders: [],
  invitations: names.map((name) => ({ name, councilId: 'docks' })),
});
const passphrase = (who: string) => `${who} keeps the harbour key`;
const first = (name: string) => name.split(' ')[0]!.toLowerCase();
/** How long a step waits on the Web Worker's crypto (or the server's proof checks): long, as CI may be loaded. */
const slow = 180_000;

/** One member: their page, their API client, and the catalogue of their language. */
interface Person {
  name: string;
  page: Page;
  api: Api;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  /** The words of `key` before its first placeholder: what a page shows whatever fills the placeholder. */
  start(key: MessageKey): string;
}

describe('a secret STV election in the browser', () => {
  let f: WebFixture;
  const clock = new TestClock(Date.now());
  before(async () => {
    f = await startWeb(founding, { clock });
  });
  after(async () => {
    await f?.close();
  });

  test('two deputies among four candidates: booth, mixers, trustees and verification in three languages', async () => {
    const people: Person[] = [];
    for (const [i, name] of names.entries()) {
      const context = await f.browser.newContext({
        baseURL: f.url,
        viewport: { width: 1200, height: 900 },
        locale: browserLanguage[languages[i]!],
      });
      const page = await context.newPage();
      page.on('pageerror', (e) => {
        throw e;
      });
      const words = translator(languages[i]!);
      people.push({
        name,
        page,
        api: await joinByApi(f, page, first(name)),
        t: (key, values) => words.t(key, values),
        start: (key) => words.t(key).split('{')[0]!.trim(),
      });
    }
    const [ana, ben, cai, dan, eva, fay] = people as [Person, Person, Person, Person, Person, Person];
    const trustees = [ana, ben, cai];

    // Ana calls the election in the UI: Scottish STV, secret, trustees Ana, Ben and Cai, any two decrypting.
    await ana.page.goto('/councils/docks');
    await ana.page.getByRole('button', { name: 'Call an election' }).click();
    const call = ana.page.getByRole('form', { name: 'Call an election' });
    await call.getByLabel('Counting method').selectOption({ label: ana.t('method_scottish-stv') });
    await call.getByLabel(/^Decide by secret ballot \(rankings encrypted/).check();
    // the trustees are told they shuffle too
    await call.getByText(/^Members who, when voting closes, shuffle the ballots in turn/).waitFor();
    const boxes = call.getByRole('group', { name: 'Trustees' });
    for (const t of trustees) await boxes.getByLabel(t.name).check();
    await call.getByLabel('How many trustees decrypt together').fill('2');
    await assertAccessible(ana.page, 'calling a secret election');
    await call.getByRole('button', { name: 'Call the election' }).click();
    // two open seats, said in the title (the core's default said "a deputy" in English whatever the seats)
    await ana.page.getByRole('heading', { name: /^Election of 2 deputies to / }).waitFor();
    const electionPath = new URL(ana.page.url()).pathname;

    // Four members stand: Dan in the UI, then Eva, Fay and Ben.
    await ana.page.getByRole('button', { name: 'Stand a candidate' }).click();
    const stand = ana.page.getByRole('form', { name: 'Stand a candidate' });
    await pick(stand, 'Candidate', dan.name, dan.name);
    await stand.getByRole('button', { name: 'Propose' }).click();
    await ana.page.getByText(dan.name).first().waitFor();
    for (const c of [eva, fay, ben])
      await ana.api.post(`${electionPath}/alternatives`, {
        title: c.name,
        text: '',
        candidateId: c.api.memberId,
      });
    await ana.api.post(`${electionPath}/vote`, { minutes: 20 });
    const voteId: string = (await ana.api.get(electionPath)).vote.id;
    const secret = `/votes/${voteId}/secret`;
    assert.equal((await ana.api.get(secret)).ballotKind, 'ranked');

    // The key: each trustee commits, deals and checks in their browser, in their language, under their passphrase.
    for (const t of trustees) {
      await t.page.goto(electionPath);
      const form = t.page.getByRole('form', { name: t.t('trusteeGenerate') });
      await form.getByLabel(t.t('trusteeNewPassphrase')).fill(passphrase(first(t.name)));
      await form.getByLabel(t.t('trusteeRepeatPassphrase')).fill(passphrase(first(t.name)));
      await form.getByRole('button', { name: t.t('trusteeGenerate') }).click();
      await t.page
        .getByText(t.start('trusteeWaitCommits'))
        .or(t.page.getByRole('form', { name: t.t('trusteeDeal') }))
        .first()
        .waitFor({ timeout: slow });
    }
    const withPassphrase = async (t: Person, form: MessageKey, next: string) => {
      const it = t.page.getByRole('form', { name: t.t(form) });
      await it.getByLabel(t.t('trusteePassphrase')).fill(passphrase(first(t.name)));
      await it.getByRole('button', { name: t.t(form) }).click();
      await t.page.getByText(next).first().waitFor({ timeout: slow });
    };
    for (const t of trustees) {
      await t.page.reload();
      const next = t.page
        .getByText(t.start('trusteeWaitShares'))
        .or(t.page.getByRole('form', { name: t.t('trusteeCheck') }));
      const it = t.page.getByRole('form', { name: t.t('trusteeDeal') });
      await it.getByLabel(t.t('trusteePassphrase')).fill(passphrase(first(t.name)));
      await it.getByRole('button', { name: t.t('trusteeDeal') }).click();
      await next.first().waitFor({ timeout: slow });
    }
    for (const t of trustees) {
      await t.page.reload();
      await withPassphrase(t, 'trusteeCheck', t.t('trusteeKeyDone'));
    }

    // Everyone registers from their browser; the last listing freezes the list and voting opens.
    for (const p of people) {
      await p.page.goto(electionPath);
      await p.page.getByRole('button', { name: p.t('registerCredential') }).click();
    }
    for (const p of people)
      await p.page
        .getByText(p.start('registeredWaiting'))
        .or(p.page.getByRole('form', { name: p.t('vote') }))
        .first()
        .waitFor({ timeout: slow });
    await waitFor(async () => (await ana.api.get(secret)).phase === 'voting');

    // The rankings (quota 3 of 6 for 2 seats): Dan is elected in the first round with 4, his surplus goes on to Eva
    // (and Fay); Eva, lowest, is excluded, then Ben, whose ballot goes to Fay, elected with the second seat.
    const rankings: [Person, string[]][] = [
      [ben, [dan.name, eva.name]],
      [ana, [dan.name, eva.name]],
      [cai, [dan.name, fay.name]],
      [dan, [dan.name, eva.name]],
      [eva, [fay.name, eva.name]],
      [fay, [ben.name, fay.name]],
    ];
    const rank = async (p: Person, order: string[]) => {
      const form = p.page.getByRole('form', { name: p.t('vote') });
      for (const o of order) await form.getByRole('button', { name: p.t('putBack', { option: o }) }).click();
      return form;
    };
    const cast = async (p: Person) => {
      await p.page
        .getByRole('form', { name: p.t('vote') })
        .getByRole('button', { name: p.t('encryptBallot') })
        .click();
      await p.page.getByRole('button', { name: p.t('castIt') }).click({ timeout: slow });
      await p.page.getByText(p.start('castReceipt')).waitFor({ timeout: slow });
    };
    // Ben, in Spanish, ranks, encrypts and challenges: the opened ballot shows his ranking; then he casts.
    await ben.page.reload();
    const benForm = await rank(ben, [dan.name, eva.name]);
    await benForm.getByRole('button', { name: ben.t('encryptBallot') }).click();
    await ben.page.getByLabel(ben.t('confirmationCodeLabel')).waitFor({ timeout: slow });
    assert.deepEqual(await ben.page.locator('.sealed-ranking li').allInnerTexts(), [dan.name, eva.name]);
    await ben.page.getByRole('button', { name: ben.t('challengeIt') }).click();
    await ben.page.getByText(ben.start('challengedShows')).waitFor({ timeout: slow });
    assert.deepEqual(await ben.page.locator('ol.opened li').allInnerTexts(), [dan.name, eva.name]);
    await assertAccessible(ben.page, 'a challenged ranked ballot, in Spanish');
    await ben.page.getByRole('button', { name: ben.t('encryptAgain') }).click();
    await cast(ben);
    for (const [p, order] of rankings.slice(1)) {
      await p.page.reload();
      await rank(p, order);
      await cast(p);
    }
    assert.equal((await ana.api.get(`${secret}/mix`)).cast, 6);

    // The close: the mixers, in trustee order, shuffle in their browsers, each in their language.
    clock.advanceMinutes(21);
    for (const [i, t] of trustees.entries()) {
      await t.page.reload();
      const step = t.page.getByRole('region', { name: t.t('mixYou', { slot: i + 1 }) });
      await step.getByText(t.start('mixYouDue')).waitFor({ timeout: slow });
      // as trustee, told to come back when the mixers are done (not when voting closes: it has)
      await t.page.getByText(t.t('trusteeMixWaiting')).waitFor();
      // the shuffle is signed with the trustee key, opened with its passphrase (docs/MIXNET.md §12)
      await step.getByLabel(t.t('trusteePassphrase')).fill(passphrase(first(t.name)));
      await step.getByRole('button', { name: t.t('mixShuffle') }).click();
      await step.getByText(t.t('mixYouPosted')).waitFor({ timeout: slow });
    }
    await assertAccessible(cai.page, 'a mixer who has shuffled, in Russian');

    // Ben and Cai decrypt the shuffled ballots; the second decryption counts and decides the election.
    for (const t of [ben, cai]) {
      await t.page.reload();
      await withPassphrase(t, 'trusteeMixDecrypt', t.t('trusteeDecryptDone'));
    }
    await waitFor(async () => (await ana.api.get(secret)).phase === 'decided');

    // The result, with every round of the count.
    const published = (await ana.api.get(electionPath)).vote.result as {
      rounds: unknown[];
      winners: string[];
    };
    assert.ok(published.rounds.length >= 3, `rounds: ${published.rounds.length}`);
    await eva.page.reload();
    const rounds = eva.page.getByRole('table', { name: 'Every round of the count' });
    await rounds.waitFor({ timeout: slow });
    assert.equal(await rounds.locator('thead th[scope="col"]').count(), published.rounds.length + 1);

    // Both deputies are marked elected among the candidates (a question marks the one alternative adopted).
    const candidates = eva.page.getByRole('region', { name: 'Candidates' });
    const elected = candidates.locator('li.adopted h3');
    await elected.first().waitFor();
    assert.deepEqual(await elected.allInnerTexts(), [dan.name, fay.name]);
    assert.equal(await candidates.getByText('elected', { exact: true }).count(), 2);

    // Eva, no trustee, verifies the election in her browser: every shuffle, decryption and the recount.
    const verify = eva.page.getByRole('region', { name: 'Verify this vote' });
    await verify.getByRole('button', { name: 'Verify in this browser' }).click();
    await verify.getByText('Everything checks.').waitFor({ timeout: slow });
    await verify.getByText('Counted again in this browser: the same result, round by round.').waitFor();
    const checks = await verify.locator('.mix-checks li').allInnerTexts();
    assert.equal(checks.length, 4, checks.join('\n'));
    assert.ok(
      checks.every((c) => c.endsWith('passed')),
      checks.join('\n'),
    );
    assert.match(checks[0]!, /\(6 counted\)/);
    assert.match(checks[1]!, /3 shuffles/);
    assert.equal(await verify.locator('.mix-rounds li').count(), published.rounds.length);
    await verify.getByText(/^Decrypted: 6 valid rankings \(0 blank\), 0 invalid ballots\.$/).waitFor();
    await assertAccessible(eva.page, 'a verified secret election');

    // Fay's browser is served the board with two ballots of the second shuffle swapped: it must say so.
    await fay.page.route('**/secret/mix/board', async (route) => {
      const response = await route.fetch();
      const board = (await response.json()) as { shuffles: { shuffle: { ciphertexts: unknown[] } }[] };
      const list = board.shuffles[1]!.shuffle.ciphertexts;
      [list[0], list[1]] = [list[1], list[0]];
      await route.fulfill({ response, json: board });
    });
    await fay.page.reload();
    const forged = fay.page.getByRole('region', { name: 'Verify this vote' });
    await forged.getByRole('button', { name: 'Verify in this browser' }).click();
    await forged
      .getByText('This vote does NOT check out. Tell the other members.')
      .waitFor({ timeout: slow });
    const failed = await forged.locator('.mix-checks li').allInnerTexts();
    await forged.getByText(/^Not counted again: the board does not check out/).waitFor();
    assert.match(failed[1]!, /FAILED: shuffle 2 \(mixer 2\): shuffle proof invalid/, failed.join('\n'));
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
