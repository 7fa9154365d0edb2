// A secret vote whose three trustees use nothing but the browser (three browser contexts): each generates their
// part of the key in the Web Worker under a passphrase, deals, checks; the members vote; after closing, a wrong
// passphrase is refused, Ana decrypts, Ben restores his key file on another machine (a fresh context) — another
// trustee's file is refused there — and decrypts; the result is published, the progress table names Cai as the
// one who did not decrypt, nothing secret ever left a browser, and `councils verify` checks the record.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import {
  electionFromBoard,
  encryptBallot,
  makeCredential,
  nobleGroup,
  type SetupBody,
} from '../../src/ballot/index.ts';
import { openTrusteeSecret, type TrusteeFile } from '../../src/web/secret/trustee-keystore.ts';
import { TestClock } from '../support/databases.ts';
import { castInNode, registerInNode } from './secret-voters.ts';
import { cli } from '../support/cli.ts';
import {
  assertAccessible,
  federation,
  joinByApi,
  personPage,
  screenshot,
  signInByUi,
  startWeb,
  type Api,
  type WebFixture,
} from './harness.ts';

const g = nobleGroup;
const rnd = (n: number) => new Uint8Array(randomBytes(n));
const passphrase = (who: string) => `${who} keeps the harbour key`;

describe('trustees in the browser', () => {
  let f: WebFixture;
  const clock = new TestClock(Date.now());
  before(async () => {
    f = await startWeb(federation, { clock });
  });
  after(async () => {
    await f?.close();
  });

  test('key ceremony, a secret vote, decryption with a restored key file, and the verified result', async () => {
    const pages = [await personPage(f), await personPage(f), await personPage(f)];
    const [ana, ben, cai] = pages as [Page, Page, Page];
    const people: Api[] = [
      await joinByApi(f, ana, 'ana'),
      await joinByApi(f, ben, 'ben'),
      await joinByApi(f, cai, 'cai'),
    ];
    const [a] = people as [Api, Api, Api];
    // every request a trustee's browser sends, to show later that no secret and no passphrase was in one
    const sent: string[] = [];
    const watch = (p: Page) => p.on('request', (r) => sent.push(`${r.url()} ${r.postData() ?? ''}`));
    pages.forEach(watch);

    const { motionId } = await a.post<{ motionId: string }>('/councils/docks/motions', {
      title: 'Harbour safety officer',
      text: '',
      alternatives: [{ title: 'Rosa', text: '' }],
      secret: { trustees: people.map((p) => p.memberId), threshold: 2, registrationMinutes: 10 },
    });
    await a.post(`/motions/${motionId}/vote`, { minutes: 30 });
    const voteId: string = (await a.get(`/motions/${motionId}`)).vote.id;
    const secret = `/votes/${voteId}/secret`;
    const motionPath = `/motions/${motionId}`;

    // Round 1: each trustee generates their part in the worker, sealed under their passphrase.
    const trustees: [Page, string][] = [
      [ana, 'ana'],
      [ben, 'ben'],
      [cai, 'cai'],
    ];
    for (const [i, [page, who]] of trustees.entries()) {
      await page.goto(motionPath);
      await page.getByRole('heading', { name: `You are trustee ${i + 1}` }).waitFor();
      const form = page.getByRole('form', { name: 'Generate my part of the election key' });
      if (i === 0) {
        await assertAccessible(page, 'a trustee before key generation');
        // two different passphrases: refused, nothing made
        await form.getByLabel('Choose a passphrase').fill(passphrase(who));
        await form.getByLabel('Repeat the passphrase').fill('something else entirely');
        await form.getByRole('button', { name: 'Generate my part of the election key' }).click();
        await form.getByRole('alert').filter({ hasText: 'The two passphrases differ.' }).waitFor();
      }
      await form.getByLabel('Choose a passphrase').fill(passphrase(who));
      await form.getByLabel('Repeat the passphrase').fill(passphrase(who));
      await form.getByRole('button', { name: 'Generate my part of the election key' }).click();
      await page
        .getByText(`Waiting for the other trustees to commit (${i + 1} of 3).`)
        .or(page.getByRole('form', { name: 'Deal my shares' }))
        .waitFor();
    }

    // Round 2: deal; round 3: check the shares received.
    for (const [page, who] of trustees) {
      await page.reload();
      const deal = page.getByRole('form', { name: 'Deal my shares' });
      await deal.getByLabel('Your trustee passphrase').fill(passphrase(who));
      await deal.getByRole('button', { name: 'Deal my shares' }).click();
      await page
        .getByText(/^Waiting for the other trustees to deal their shares/)
        .or(page.getByRole('form', { name: 'Check the shares I received' }))
        .waitFor();
    }
    for (const [page, who] of trustees) {
      await page.reload();
      const check = page.getByRole('form', { name: 'Check the shares I received' });
      await check.getByLabel('Your trustee passphrase').fill(passphrase(who));
      await check.getByRole('button', { name: 'Check the shares I received' }).click();
      await page.getByText('You have done your part in making the key.', { exact: false }).waitFor();
    }
    await assertAccessible(ana, 'a trustee after key generation');
    await screenshot(ana, 'trustee-key-made');
    const progress = ana.getByRole('region', { name: 'Trustees' });
    for (const name of ['Ana Ruiz', 'Ben Adeyemi', 'Cai Wong'])
      await progress.getByRole('row', { name: new RegExp(`${name} committed and dealt shares`) }).waitFor();
    assert.equal((await a.get(secret)).phase, 'registration');

    // Ben keeps his key file (downloaded from the page), as he would before changing machines.
    const [download] = await Promise.all([
      ben.waitForEvent('download'),
      ben.getByRole('link', { name: 'Download my key file (encrypted)' }).click(),
    ]);
    const bensFile = readFileSync((await download.path())!, 'utf8');
    assert.equal(JSON.parse(bensFile).trustee, 2);

    // The members register and vote (made in node: the booth is tested in secret-ballot.test.ts).
    const setup = (await a.get(secret)).board[0].body as SetupBody;
    const credentials = people.map(() => makeCredential(g, rnd));
    for (const [i, p] of people.entries()) await registerInNode(f, p, secret, setup, credentials[i]!.public);
    const board = (await a.get(secret)).board.map((e: any) => ({ kind: e.kind, at: e.at, body: e.body }));
    const election = electionFromBoard(g, board)!;
    const options = election.setup.manifest.contests[0]!.options;
    for (const [i, choice] of ['a1', 'a1', 'against'].entries()) {
      const { ballot } = encryptBallot(
        g,
        election,
        credentials[i]!.secret,
        [options.map((o) => (o === choice ? 1 : 0))],
        rnd,
      );
      await castInNode(f, secret, ballot);
    }
    clock.advanceMinutes(31);

    // Ana: a wrong passphrase is refused and sends nothing; the right one decrypts.
    await ana.reload();
    const decryptAna = ana.getByRole('form', { name: 'Decrypt the totals' });
    await decryptAna.getByText('Ballots that count: 3.', { exact: false }).waitFor();
    await decryptAna.getByLabel('Your trustee passphrase').fill('not my passphrase at all');
    await decryptAna.getByRole('button', { name: 'Decrypt the totals' }).click();
    await decryptAna
      .getByRole('alert')
      .filter({ hasText: 'The passphrase is wrong (or the key file was altered). Nothing was sent.' })
      .waitFor();
    assert.deepEqual((await a.get(secret)).decrypted, []);
    await decryptAna.getByLabel('Your trustee passphrase').fill(passphrase('ana'));
    await decryptAna.getByRole('button', { name: 'Decrypt the totals' }).click();
    await ana.getByText('Your decryption is on the board.').waitFor();
    assert.deepEqual((await a.get(secret)).decrypted, [1]);

    // Ben, on another machine: the key is not there; another trustee's file is refused; his own restores it.
    const benElsewhere = await personPage(f);
    watch(benElsewhere);
    await signInByUi(benElsewhere, 'ben');
    await benElsewhere.goto(motionPath);
    await benElsewhere.getByText(/^This browser does not hold your trustee key for this vote/).waitFor();
    await assertAccessible(benElsewhere, 'a trustee whose key is not in this browser');
    const anasFile = await ana.evaluate(
      (k) => (globalThis as any).localStorage.getItem(k) as string,
      `councils.trustee.${f.orgId}.${people[0]!.memberId}.${voteId}`,
    );
    const restore = benElsewhere.getByLabel('Restore my key from a file');
    await restore.setInputFiles({
      name: 'ana.json',
      mimeType: 'application/json',
      buffer: Buffer.from(anasFile),
    });
    await benElsewhere
      .getByRole('alert')
      .filter({ hasText: 'This key file belongs to another vote or another trustee.' })
      .waitFor();
    await restore.setInputFiles({
      name: 'ben.json',
      mimeType: 'application/json',
      buffer: Buffer.from(bensFile),
    });
    const decryptBen = benElsewhere.getByRole('form', { name: 'Decrypt the totals' });
    await decryptBen.getByLabel('Your trustee passphrase').fill(passphrase('ben'));
    await decryptBen.getByRole('button', { name: 'Decrypt the totals' }).click();
    await benElsewhere.getByText('Your decryption is on the board.').waitFor();

    // Two of three decrypted: the result is published; Cai is named as not having decrypted.
    const view = await a.get(secret);
    assert.equal(view.phase, 'decided');
    assert.deepEqual(view.decrypted, [1, 2]);
    const result = view.board.find((e: { kind: string }) => e.kind === 'result').body;
    assert.deepEqual(result.trustees, [1, 2]);
    assert.deepEqual(
      Object.fromEntries(options.map((o, i) => [o, result.tallies[0][i]])),
      Object.fromEntries(options.map((o) => [o, o === 'a1' ? 2 : o === 'against' ? 1 : 0])),
    );
    await benElsewhere.reload();
    const table = benElsewhere.getByRole('region', { name: 'Trustees' });
    await table.getByRole('row', { name: /Cai Wong not decrypted yet/ }).waitFor();
    await table.getByRole('row', { name: /Ana Ruiz decrypted/ }).waitFor();
    await screenshot(benElsewhere, 'trustee-decrypted');
    // the trustee's page in the two other languages
    for (const [label, heading, done] of [
      ['Español', 'Custodios', 'Tu descifrado está en el tablón.'],
      ['Русский', 'Доверенные лица', 'Ваша расшифровка опубликована на доске.'],
    ] as const) {
      await benElsewhere.getByLabel(/^(Language|Idioma|Язык)$/).selectOption({ label });
      await benElsewhere.getByRole('region', { name: heading }).waitFor();
      await benElsewhere.getByText(done).waitFor();
    }

    // Nothing secret left a browser: no coefficient, communication secret or passphrase in any request.
    for (const [who, raw] of [
      ['ana', anasFile],
      ['ben', bensFile],
    ]) {
      const s = openTrusteeSecret(JSON.parse(raw!) as TrusteeFile, passphrase(who!));
      for (const x of [s.communicationSecret, ...s.coefficients, passphrase(who!)])
        assert.ok(!sent.some((r) => r.includes(x)), `${who}'s secret was never sent`);
    }
    assert.ok(
      sent.some((r) => r.includes('partial-decryption')),
      'the requests were watched',
    );

    // councils verify checks the record: the trustees' messages, the shares' proofs, the result.
    const token = await ana.request.post('/api/v1/tokens', {
      data: { name: 'verify' },
      headers: { 'x-csrf-token': a.csrf },
    });
    assert.equal(token.status(), 201, await token.text());
    await f.server.service.record.issue(f.orgId, true);
    const url = `${f.url}/api/v1/orgs/${f.orgId}/record`;
    const verified = await cli('verify', url, '--no-state', '--json', '--token', (await token.json()).token);
    assert.equal(verified.code, 0, verified.out + verified.err);
    const checks = (JSON.parse(verified.out) as { checks: { id: string; status: string; detail?: string }[] })
      .checks;
    const board0 = checks.find((c) => c.id === 'secret_ballot')!;
    assert.equal(board0.status, 'pass', board0.detail);
    assert.match(board0.detail!, /3 ballots counted/);
  });
});
