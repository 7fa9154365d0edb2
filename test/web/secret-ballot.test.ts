// A secret vote in the browser, against the real server: a motion moved with "Decide by secret ballot" in the UI;
// the trustees make the key (through the API, as `councils trustee` does); the member registers a credential
// made in the page (only its public part leaves), encrypts in the Web Worker, reads the confirmation code,
// challenges (the opened content is shown), encrypts again and casts — anonymously; after a reload the booth says
// that this browser cast a ballot (its code) and that casting again replaces it, and she casts again; "My receipts"
// finds the first ballot replaced and the last on the board and counted.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Request } from 'playwright-core';
import { randomBytes } from 'node:crypto';
import {
  dkgCommit,
  dkgShares,
  electionFromBoard,
  encryptBallot,
  makeCredential,
  nobleGroup,
  type BoardEntry,
  type SetupBody,
} from '../../src/ballot/index.ts';
import {
  assertAccessible,
  joinByApi,
  personPage,
  screenshot,
  startWeb,
  type Api,
  type WebFixture,
} from './harness.ts';
import { castInNode, registerInNode } from './secret-voters.ts';

const g = nobleGroup;
const rnd = (n: number) => new Uint8Array(randomBytes(n));

describe('a secret vote in the browser', () => {
  let f: WebFixture;
  before(async () => {
    f = await startWeb();
  });
  after(async () => {
    await f?.close();
  });

  test('move it, register, encrypt in the worker, challenge, cast, and find the receipt counted', async () => {
    const ana = await personPage(f);
    const a = await joinByApi(f, ana, 'ana');
    const b = await joinByApi(f, await personPage(f), 'ben');
    const c = await joinByApi(f, await personPage(f), 'cai');

    // Ana moves the motion in the UI, to be decided by secret ballot with three trustees, any two decrypting.
    await ana.goto('/councils/docks');
    await ana.getByRole('button', { name: 'Move a motion' }).click();
    const motionForm = ana.getByRole('form', { name: 'Move a motion' });
    await motionForm.getByLabel('Title', { exact: true }).fill('Safety officer');
    await motionForm.getByLabel('Title of alternative 1').fill('Rosa');
    await motionForm.getByRole('button', { name: 'Add an alternative' }).click();
    await motionForm.getByLabel('Title of alternative 2').fill('Tomás');
    await motionForm.getByLabel(/^Decide by secret ballot/).check();
    const trustees = motionForm.getByRole('group', { name: 'Trustees' });
    for (const name of ['Ana Ruiz', 'Ben Adeyemi', 'Cai Wong']) await trustees.getByLabel(name).check();
    await motionForm.getByLabel('How many trustees decrypt together').fill('2');
    await assertAccessible(ana, 'motion form with a secret ballot');
    await motionForm.getByRole('button', { name: 'Move the motion' }).click();
    await ana.getByRole('heading', { name: 'Safety officer' }).waitFor();
    const motionPath = new URL(ana.url()).pathname;
    await a.post(`${motionPath}/vote`, { minutes: 20 });
    const voteId: string = (await a.get(motionPath)).vote.id;
    const secret = `/votes/${voteId}/secret`;

    // The trustees make the joint key.
    const people: Api[] = [a, b, c];
    const setup = (await a.get(secret)).board[0].body as SetupBody;
    const round1 = people.map((_, i) => dkgCommit(g, setup, i + 1, rnd));
    for (const [i, p] of people.entries())
      await p.post(`${secret}/trustee`, { kind: 'dkg-commit', body: round1[i]!.message });
    for (const [i, p] of people.entries()) {
      const body = dkgShares(
        g,
        setup,
        round1[i]!.secret,
        round1.map((r) => r.message),
        rnd,
      );
      await p.post(`${secret}/trustee`, { kind: 'dkg-shares', body });
    }

    // Ana registers from the browser; the secret stays there, only the public credential is sent.
    await ana.reload();
    await ana.getByRole('heading', { name: 'Secret vote' }).waitFor();
    await assertAccessible(ana, 'secret vote before registration');
    const listings: Request[] = [];
    ana.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/secret/credentials')) listings.push(r);
    });
    await ana.getByRole('button', { name: 'Register to vote secretly' }).click();
    await ana.getByText(/You are registered from this browser/).waitFor();
    assert.equal(listings.length, 1);
    assert.equal((await listings[0]!.allHeaders()).cookie, undefined, 'listed without the session cookie');
    const kept: [string, string][] = await ana.evaluate(() =>
      Object.entries((globalThis as any).localStorage as Record<string, string>).filter(([k]) =>
        k.startsWith('councils.credential.'),
      ),
    );
    assert.equal(kept.length, 1);
    const mine = JSON.parse(kept[0]![1]) as {
      secret: string;
      public: string;
      signed?: unknown;
      listed?: boolean;
    };
    assert.ok(mine.signed && mine.listed, 'issued, unblinded and listed from the page');
    // Ben and Cai register (made in node): issued with their session, listed with none; the list freezes.
    const others = [makeCredential(g, rnd), makeCredential(g, rnd)];
    let frozen = false;
    for (const [i, p] of [b, c].entries())
      frozen = (await registerInNode(f, p, secret, setup, others[i]!.public)).frozen;
    assert.equal(frozen, true);
    // the page listed its credential without the session cookie: the log names Ana as issued, not her credential
    const log = await a.get(`/log?limit=1000`);
    const issuedEntries = log.entries.filter(
      (e: { payload: { kind?: string } }) => e.payload.kind === 'credential-issued',
    );
    const issuedTo = issuedEntries.map((e: { actor: string }) => e.actor);
    assert.deepEqual(issuedTo.sort(), [a.memberId, b.memberId, c.memberId].sort());
    assert.ok(!JSON.stringify(issuedEntries).includes(mine.public), 'an issuance never names the credential');
    const view = await a.get(secret);
    const list = view.board.find((e: BoardEntry) => e.kind === 'credentials').body.credentials;
    assert.ok(list.some((x: { credential: string }) => x.credential === mine.public));
    assert.ok(!JSON.stringify(view).includes(mine.secret), 'the server never saw the credential secret');

    // Fill in, encrypt in the worker, challenge: the opened ballot says what was chosen.
    await ana.reload();
    const form = ana.getByRole('form', { name: 'Vote' });
    await form.getByLabel('Tomás').check();
    await form.getByRole('button', { name: 'Encrypt my ballot' }).click();
    const code = ana.getByLabel('Confirmation code');
    await code.waitFor();
    const first = (await code.innerText()).replace(/\s/g, '');
    assert.match(first, /^[0-9a-f]{64}$/);
    await assertAccessible(ana, 'secret ballot with its confirmation code');
    await screenshot(ana, 'secret-ballot');
    await ana.getByRole('button', { name: /^Challenge it/ }).click();
    await ana.getByText(/The challenged ballot was opened/).waitFor();
    assert.match(await ana.locator('.opened').innerText(), /Tomás: 1/);
    assert.match(await ana.locator('.opened').innerText(), /Rosa: 0/);

    // Encrypt again (a new code) and cast; Ben casts too (encrypted in node, sent anonymously).
    await ana.getByRole('button', { name: 'Fill in a new ballot' }).click();
    await form.getByLabel('Tomás').check();
    await form.getByRole('button', { name: 'Encrypt my ballot' }).click();
    await code.waitFor();
    const second = (await code.innerText()).replace(/\s/g, '');
    assert.notEqual(second, first);
    await ana.getByRole('button', { name: 'Cast it' }).click();
    await ana.getByText(/Your ballot is cast/).waitFor();
    const board = (await a.get(secret)).board.map((e: any) => ({ kind: e.kind, at: e.at, body: e.body }));
    const election = electionFromBoard(g, board)!;
    const options = election.setup.manifest.contests[0]!.options;
    const bens = encryptBallot(
      g,
      election,
      others[0]!.secret,
      [options.map((o) => (o === 'a1' ? 1 : 0))],
      rnd,
    );
    await castInNode(f, secret, bens.ballot);
    const after = (await a.get(secret)).board as any[];
    assert.equal(after.filter((e) => e.kind === 'spoiled').length, 1);
    assert.equal(after.filter((e) => e.kind === 'ballot').length, 2);
    const entry = (await a.get(`/log?from=${after.at(-2).seq}&limit=1`)).entries[0];
    assert.equal(entry.actor, null, 'the cast is anonymous in the log');

    // After a reload the booth says this browser cast a ballot, with its code, and that casting again replaces it.
    await ana.reload();
    const castHere = ana.getByText(/^This browser cast a ballot in this vote/);
    await castHere.waitFor();
    assert.match(await castHere.innerText(), new RegExp(second.match(/.{1,8}/g)!.join(' ')));
    assert.match(await castHere.innerText(), /Casting again replaces it: only your last ballot is counted/);
    await assertAccessible(ana, 'secret ballot cast from this browser');
    await form.getByLabel('Rosa').check();
    await form.getByRole('button', { name: 'Encrypt my ballot' }).click();
    await code.waitFor();
    const third = (await code.innerText()).replace(/\s/g, '');
    await ana.getByRole('button', { name: 'Cast it' }).click();
    await ana.getByText(/Your ballot is cast/).waitFor();
    // once cast, the booth shows the new code alone: the earlier ballot's code no longer stands beside it
    await castHere.waitFor({ state: 'detached' });
    const recast = (await a.get(secret)).board as any[];
    assert.equal(recast.filter((e) => e.kind === 'ballot').length, 3, 'both of hers stay on the board');

    // My receipts: the first is replaced by the later ballot, the last is on the board and counted.
    await ana.getByRole('link', { name: 'My receipts' }).first().click();
    await ana.getByRole('heading', { name: 'My receipts' }).waitFor();
    const receipt = (c: string) =>
      ana.locator('ul.receipts > li', { hasText: c.match(/.{1,8}/g)!.join(' ') });
    await receipt(second).getByRole('button', { name: 'Check' }).click();
    await receipt(second)
      .getByText(/replaced by a later ballot of yours/)
      .waitFor();
    await receipt(third).getByRole('button', { name: 'Check' }).click();
    await receipt(third).getByText('On the board and counted.').waitFor();
    await assertAccessible(ana, 'receipts');
    await screenshot(ana, 'receipts');

    // The record page checks the secret vote's board from the log alone, in this browser (the core's replay).
    const { issueDueCheckpoints } = await import('../../src/server/scheduler.ts');
    await issueDueCheckpoints(f.server.service, true);
    await ana.goto('/record');
    await ana.getByRole('button', { name: 'Verify in my browser' }).click();
    await ana.getByText(/^Verified in this browser/).waitFor({ timeout: 60_000 });
    const boardCheck = ana.locator('.verify li.check-pass', { hasText: /the ballot verifier's checks 1–10/ });
    assert.match(await boardCheck.innerText(), /secret vote/);
    assert.equal(await ana.locator('.verify li.check-fail').count(), 0);
  });
});
