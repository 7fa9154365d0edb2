// A secret vote in the browser: register a credential made in the page, encrypt in the Web Worker, read the
// confirmation code, challenge (the opened content is shown), encrypt again and cast, then "My receipts" finds
// the ballot counted. The server's open-vote API is real; the secret-ballot routes the app will call
// (src/web/secret/secret-api.ts) are answered here at the network layer by a board built with src/ballot, and
// every ballot the browser sends is checked with src/ballot's own checkBallot / verifySpoiled, as the server will.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkBallot,
  makeElection,
  nobleGroup,
  verifySpoiled,
  type BallotBody,
  type BoardEntry,
  type Election,
  type SpoiledBody,
} from '../../src/ballot/index.ts';
import { runDkg, seededRandom } from '../ballot/fixture.ts';
import { assertAccessible, joinByApi, personPage, screenshot, startWeb, type WebFixture } from './harness.ts';

const g = nobleGroup;

describe('a secret vote in the browser', () => {
  let f: WebFixture;
  before(async () => {
    f = await startWeb();
  });
  after(async () => {
    await f?.close();
  });

  test('register, encrypt in the worker, challenge, cast, and find the receipt counted', async () => {
    const ana = await personPage(f);
    const api = await joinByApi(f, ana, 'ana');
    const { motionId } = await api.post<{ motionId: string }>('/councils/docks/motions', {
      title: 'Elect the safety officer by secret ballot',
      text: '',
      alternatives: [
        { title: 'Rosa', text: '' },
        { title: 'Tomás', text: '' },
      ],
    });
    await api.post(`/motions/${motionId}/vote`, {});
    const voteId: string = (await api.get(`/motions/${motionId}`)).vote.id;

    // The board: setup and DKG now; the credential list once the browser has registered.
    const now = Date.now();
    const manifest = {
      electionId: voteId,
      title: 'Elect the safety officer by secret ballot',
      opensAt: now - 60_000,
      closesAt: now + 3_600_000,
      contests: [
        {
          id: 'motion',
          title: '',
          options: ['a1', 'a2', 'against', 'abstain'],
          min: 1,
          max: 1,
          optionMax: 1,
        },
      ],
    };
    const dkg = runDkg(g, { n: 2, k: 2, voters: 0, manifest }, seededRandom('web-secret'));
    const at = manifest.opensAt;
    const board: BoardEntry[] = [
      { kind: 'setup', at, body: dkg.setup },
      ...dkg.commits.map((body) => ({ kind: 'dkg-commit' as const, at, body })),
      ...dkg.shares.map((body) => ({ kind: 'dkg-shares' as const, at, body })),
    ];
    let election: Election | undefined;
    const used = new Set<string>();
    const received: { cast: BallotBody[]; spoiled: SpoiledBody[]; registered: string[] } = {
      cast: [],
      spoiled: [],
      registered: [],
    };

    const context = ana.context();
    await context.route(`**/api/v1/orgs/${f.orgId}/motions/${motionId}`, async (route) => {
      const res = await route.fetch();
      const m = await res.json();
      m.vote.secret = true;
      await route.fulfill({ response: res, json: m });
    });
    const votePath = `**/api/v1/orgs/${f.orgId}/votes/${voteId}`;
    await context.route(`${votePath}/board`, (route) =>
      route.fulfill({ json: { board, registrationEnds: new Date(now + 600_000).toISOString() } }),
    );
    await context.route(`${votePath}/credentials`, async (route) => {
      const body = route.request().postDataJSON() as { credential: string };
      assert.deepEqual(Object.keys(body), ['credential'], 'only the public credential is sent');
      const { credential } = body;
      assert.ok(route.request().headers()['x-csrf-token'], 'writes carry the CSRF token');
      received.registered.push(credential);
      election = makeElection(g, dkg.setup, dkg.key, { credentials: [{ credential, weight: 1 }] });
      board.push({ kind: 'credentials', at, body: { credentials: election.credentials } });
      await route.fulfill({ status: 201, json: {} });
    });
    await context.route(`${votePath}/spoiled`, async (route) => {
      const { spoiled } = route.request().postDataJSON() as { spoiled: SpoiledBody };
      assert.equal(
        verifySpoiled(g, election!, spoiled),
        null,
        'the challenged ballot opens to what it shows',
      );
      used.add(spoiled.ballot.id);
      received.spoiled.push(spoiled);
      board.push({ kind: 'spoiled', at: Date.now(), body: spoiled });
      await route.fulfill({ status: 201, json: {} });
    });
    await context.route(`${votePath}/secret-ballots`, async (route) => {
      const { ballot } = route.request().postDataJSON() as { ballot: BallotBody };
      assert.deepEqual(checkBallot(g, election!, ballot, Date.now(), used), { ok: true });
      used.add(ballot.id);
      received.cast.push(ballot);
      board.push({ kind: 'ballot', at: Date.now(), body: ballot });
      await route.fulfill({ status: 201, json: {} });
    });

    await ana.goto(`/motions/${motionId}`);
    await ana.getByRole('heading', { name: 'Secret vote' }).waitFor();
    await assertAccessible(ana, 'secret vote before registration');
    await ana.getByRole('button', { name: 'Register to vote secretly' }).click();
    await ana.getByText('You are registered.').waitFor();
    assert.equal(received.registered.length, 1);
    const kept: [string, string][] = await ana.evaluate(() =>
      Object.entries((globalThis as any).localStorage as Record<string, string>).filter(([k]) =>
        k.startsWith('councils.credential.'),
      ),
    );
    assert.equal(kept.length, 1, 'the credential secret stays in this browser');
    const { secret, public: pub } = JSON.parse(kept[0]![1]) as { secret: string; public: string };
    assert.equal(pub, received.registered[0]);
    assert.notEqual(secret, pub);

    // The list is frozen (the board now has it): fill in, encrypt, challenge.
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
    assert.deepEqual(received.spoiled[0]!.plaintext, [[0, 1, 0, 0]]);

    // Encrypt again (a new code) and cast.
    await ana.getByRole('button', { name: 'Fill in a new ballot' }).click();
    await form.getByLabel('Tomás').check();
    await form.getByRole('button', { name: 'Encrypt my ballot' }).click();
    await code.waitFor();
    const second = (await code.innerText()).replace(/\s/g, '');
    assert.notEqual(second, first);
    await ana.getByRole('button', { name: 'Cast it' }).click();
    await ana.getByText(/Your ballot is cast/).waitFor();
    assert.equal(received.cast.length, 1);
    assert.equal(received.cast[0]!.code, second);

    // My receipts: the code is on the board and counted.
    await ana.getByRole('link', { name: 'My receipts' }).first().click();
    await ana.getByRole('heading', { name: 'My receipts' }).waitFor();
    await ana.getByRole('button', { name: 'Check' }).click();
    await ana.getByText('On the board and counted.').waitFor();
    await assertAccessible(ana, 'receipts');
    await screenshot(ana, 'receipts');
  });
});
