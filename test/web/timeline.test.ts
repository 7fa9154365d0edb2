// A motion's timeline in the browser (docs/PROCEDURE.md "The timeline"), under a procedure with one seconder and an
// hour's minimum debate: a member sees the motion waiting for a seconder and a Second button, seconds it; the
// mover is told when voting can open and a member who is not the mover has no Open the vote form; once the
// server's clock passes the minimum debate, the mover opens the vote.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestClock } from '../support/databases.ts';
import { assertAccessible, federation, joinByApi, personPage, startWeb, type WebFixture } from './harness.ts';

const procedure = {
  seconders: { kind: 'absolute', count: 1 },
  debateMinimumMinutes: 60,
  closure: { num: 2, den: 3 },
  votingMinimumMinutes: 60,
  coolingOffDays: 0,
};

describe('a motion timeline in the browser', () => {
  let f: WebFixture;
  // From now: the session cookie's expiry is set by the server's clock and read by the browser's.
  const clock = new TestClock(Date.now());
  before(async () => {
    f = await startWeb({ ...federation, constitution: { procedure } }, { clock });
  });
  after(async () => {
    await f?.close();
  });

  test('seconded by another member, then opened by the mover after the minimum debate', async () => {
    const ana = await personPage(f);
    const ben = await personPage(f);
    const cai = await personPage(f);
    const a = await joinByApi(f, ana, 'ana');
    await joinByApi(f, ben, 'ben');
    await joinByApi(f, cai, 'cai');
    const { motionId } = await a.post<{ motionId: string }>('/councils/docks/motions', {
      title: 'Night shifts',
      text: 'Abolish night shifts on the docks.',
      alternatives: [],
    });
    const timeline = (p: typeof ana) => p.getByRole('region', { name: 'Timeline' });

    // Ben: the motion waits for a seconder; he seconds it.
    await ben.goto(`/motions/${motionId}`);
    await timeline(ben).getByText('awaiting seconders').waitFor();
    await timeline(ben)
      .getByText('It goes on the agenda once 1 other member seconds it (0 so far).')
      .waitFor();
    assert.equal(await ben.getByRole('button', { name: 'Open the vote' }).count(), 0);
    await assertAccessible(ben, 'motion page awaiting a seconder');
    await ben.getByRole('button', { name: 'Second this motion' }).click();
    await timeline(ben)
      .getByText(/^Voting can open from .*, when the mover asks/)
      .waitFor();
    assert.equal(await ben.getByRole('button', { name: 'Second this motion' }).count(), 0);

    // Ana, the mover: when voting can open, no Second button for her own motion, and no Open the vote yet.
    await ana.goto(`/motions/${motionId}`);
    const when = timeline(ana).getByText(/^Voting can open from /);
    await when.waitFor();
    assert.match(
      await when.innerText(),
      /earlier by a closure carried by 2\/3 of the council \(0 of 2 so far\)/,
    );
    assert.equal(await ana.getByRole('button', { name: 'Second this motion' }).count(), 0);
    assert.equal(await ana.getByRole('button', { name: 'Open the vote' }).count(), 0);
    await assertAccessible(ana, 'motion page in debate');

    // Cai, not the mover: may support closure, never open the vote himself.
    await cai.goto(`/motions/${motionId}`);
    await cai.getByRole('button', { name: 'Support closing the debate' }).waitFor();
    assert.equal(await cai.getByRole('button', { name: 'Open the vote' }).count(), 0);

    // An hour later the minimum debate is over: the mover opens the vote.
    clock.advanceMinutes(61);
    await ana.reload();
    await ana.getByRole('button', { name: 'Open the vote' }).click();
    await timeline(ana)
      .getByText(/^Voting opened /)
      .waitFor();
    await cai.reload();
    await timeline(cai)
      .getByText(/^Voting opened /)
      .waitFor();
    assert.equal(await cai.getByRole('button', { name: 'Open the vote' }).count(), 0);
    await assertAccessible(ana, 'motion page with the vote open');
  });
});
