// A secret vote whose trustees did not make the key, held again in the browser with the trustees named anew: the
// vote fails at the registration deadline (the server's clock is moved by hand), the motion page offers the open
// vote form with the council's members as trustees, Ana leaves out Cai, who never took part, and the new vote's
// board has two trustees, both needed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { dkgCommit, nobleGroup, type SetupBody } from '../../src/ballot/index.ts';
import { runDueActs } from '../../src/server/scheduler.ts';
import { TestClock } from '../support/databases.ts';
import { assertAccessible, federation, joinByApi, personPage, startWeb, type WebFixture } from './harness.ts';

const rnd = (n: number) => new Uint8Array(randomBytes(n));

describe('a failed secret vote held again in the browser', () => {
  let f: WebFixture;
  const clock = new TestClock(Date.now());
  before(async () => {
    f = await startWeb(federation, { clock });
  });
  after(async () => {
    await f?.close();
  });

  test('the trustees are named anew, leaving out the one who never took part', async () => {
    const ana = await personPage(f);
    const a = await joinByApi(f, ana, 'ana');
    const b = await joinByApi(f, await personPage(f), 'ben');
    const c = await joinByApi(f, await personPage(f), 'cai');
    const ids = [a.memberId, b.memberId, c.memberId];
    const { motionId } = await a.post<{ motionId: string }>('/councils/docks/motions', {
      title: 'Night shifts',
      text: '',
      alternatives: [{ title: 'Abolish them', text: '' }],
      secret: { trustees: ids, threshold: 2, registrationMinutes: 10 },
    });
    await a.post(`/motions/${motionId}/vote`, { minutes: 30 });
    const first: string = (await a.get(`/motions/${motionId}`)).vote.id;
    const setup = (await a.get(`/votes/${first}/secret`)).board[0].body as SetupBody;
    for (const [i, p] of [a, b].entries())
      await p.post(`/votes/${first}/secret/trustee`, {
        kind: 'dkg-commit',
        body: dkgCommit(nobleGroup, setup, i + 1, rnd).message,
      });
    // Cai never commits; registration ends; the scheduler ends the vote as failed
    clock.advanceMinutes(11);
    await runDueActs(f.server.service);
    assert.equal((await a.get(`/votes/${first}/secret`)).phase, 'failed');

    await ana.goto(`/motions/${motionId}`);
    const form = ana.getByRole('form', { name: 'Open the vote' });
    const trustees = form.getByRole('group', { name: 'Trustees' });
    await trustees.getByText(/Choose the trustees of the new vote/).waitFor();
    for (const name of ['Ana Ruiz', 'Ben Adeyemi', 'Cai Wong'])
      assert.equal(await trustees.getByLabel(name).isChecked(), true, `${name} was a trustee`);
    await assertAccessible(ana, 'open vote form after a failed secret vote');
    // no trustee at all: refused with the reason, and nothing opens
    for (const name of ['Ana Ruiz', 'Ben Adeyemi', 'Cai Wong']) await trustees.getByLabel(name).uncheck();
    await form.getByLabel('How many trustees decrypt together').fill('1');
    await form.getByRole('button', { name: 'Open the vote' }).click();
    await form.getByRole('alert').waitFor();
    assert.match(await form.getByRole('alert').innerText(), /Trustees: choose at least one/);
    assert.equal((await a.get(`/motions/${motionId}`)).vote.id, first);
    for (const name of ['Ana Ruiz', 'Ben Adeyemi']) await trustees.getByLabel(name).check();
    await form.getByLabel('How many trustees decrypt together').fill('2');
    await form.getByRole('button', { name: 'Open the vote' }).click();
    await ana.getByText(/The trustees are making the election key/).waitFor();

    const second: string = (await a.get(`/motions/${motionId}`)).vote.id;
    assert.notEqual(second, first);
    const view = await a.get(`/votes/${second}/secret`);
    assert.equal(view.phase, 'key-generation');
    assert.deepEqual(
      view.trustees.map((t: { memberId: string }) => t.memberId),
      [a.memberId, b.memberId],
    );
    assert.equal(view.threshold, 2);
    void c;
  });
});
