// The procedure's later rules in the browser (docs/PROCEDURE.md), under a constitution that lets a ballot be
// changed: a member supports closure and withdraws her support; an elector is told that her ballot may be changed,
// casts, changes it (the roll call shows the new one); once the vote is decided, only the losing side is offered
// the minority-statement form.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestClock } from '../support/databases.ts';
import type { Page } from 'playwright-core';
import {
  assertAccessible,
  federation,
  joinByApi,
  personPage,
  startWeb,
  type Api,
  type WebFixture,
} from './harness.ts';

const procedure = {
  seconders: { kind: 'absolute', count: 1 },
  debateMinimumMinutes: 60,
  closure: { num: 2, den: 3 },
  votingMinimumMinutes: 60,
  coolingOffDays: 0,
  ballotsChangeable: true,
};

describe('closure support, changed ballots and minority statements in the browser', () => {
  let f: WebFixture;
  // From now: the session cookie's expiry is set by the server's clock and read by the browser's.
  const clock = new TestClock(Date.now());
  let ana: Page, ben: Page, cai: Page;
  let a: Api, b: Api;
  before(async () => {
    f = await startWeb({ ...federation, constitution: { procedure } }, { clock });
    [ana, ben, cai] = [await personPage(f), await personPage(f), await personPage(f)];
    a = await joinByApi(f, ana, 'ana');
    b = await joinByApi(f, ben, 'ben');
    await joinByApi(f, cai, 'cai');
  });
  after(async () => {
    await f?.close();
  });

  test('closure support withdrawn; a ballot changed; the statement form only for the losing side', async () => {
    const { motionId } = await a.post<{ motionId: string }>('/councils/docks/motions', {
      title: 'Weekend pay',
      text: 'Double pay at weekends.',
      alternatives: [],
    });
    await b.post(`/motions/${motionId}/second`, {});
    const timeline = (p: Page) => p.getByRole('region', { name: 'Timeline' });

    // Cai supports closure, thinks again and withdraws his support: the count goes back.
    await cai.goto(`/motions/${motionId}`);
    await cai.getByRole('button', { name: 'Support closing the debate' }).click();
    await timeline(cai)
      .getByText(/\(1 of 2 so far\)/)
      .waitFor();
    await cai.getByRole('button', { name: 'Withdraw my support for closure' }).click();
    await timeline(cai)
      .getByText(/\(0 of 2 so far\)/)
      .waitFor();
    await cai.getByRole('button', { name: 'Support closing the debate' }).waitFor();
    assert.equal(await cai.getByRole('button', { name: 'Withdraw my support for closure' }).count(), 0);
    await assertAccessible(cai, 'motion page after withdrawing closure support');

    // The mover opens the vote after the minimum debate.
    clock.advanceMinutes(61);
    await a.post(`/motions/${motionId}/vote`, { minutes: 60 });

    // Cai: told that a ballot can be changed; votes against, then changes to for.
    await cai.reload();
    const vote = cai.getByRole('region', { name: 'Vote' });
    await vote.getByText('You may change your ballot until the vote closes').first().waitFor();
    const form = cai.getByRole('form', { name: 'Vote' });
    await form.getByLabel(/Against/).check();
    await form.getByRole('button', { name: 'Cast my ballot' }).click();
    await cai.getByText('You have voted.').waitFor();
    await cai.getByRole('button', { name: 'Change my ballot' }).click();
    await cai.getByRole('form', { name: 'Vote' }).getByLabel('Weekend pay').check();
    await cai.getByRole('form', { name: 'Vote' }).getByRole('button', { name: 'Cast my ballot' }).click();
    // The roll call shows the new ballot (it loads again when a ballot changes); still one ballot of three.
    await vote.getByText('Roll call').click();
    await vote.getByText(/Cai Wong — Weekend pay/).waitFor();
    await vote.getByText('1 of 3 electors have voted.').waitFor();
    await assertAccessible(cai, 'vote panel with a ballot that may be changed');

    // Ana and Ben vote against: it fails, 2 to 1. Only Cai, on the losing side, is offered the statement form.
    const { voteId } = await a.get<{ voteId: string }>(`/motions/${motionId}`);
    for (const who of [a, b]) await who.post(`/votes/${voteId}/ballots`, { choice: 'against' });
    // Where ballots can be changed the vote runs to its time, even when everyone has voted.
    await a.post(`/votes/${voteId}/close`, {}).then(
      () => assert.fail('a member closed early a vote whose ballots can still be changed'),
      (e: unknown) => assert.match(String(e), /too_early|409/),
    );
    clock.advanceMinutes(61);
    await a.post(`/votes/${voteId}/close`, {});
    await cai.reload();
    await cai.getByRole('form', { name: 'Attach a minority statement' }).waitFor();
    await ben.goto(`/motions/${motionId}`);
    await ben.getByRole('heading', { name: 'Minority statements' }).waitFor();
    assert.equal(await ben.getByRole('form', { name: 'Attach a minority statement' }).count(), 0);
  });

  test('a motion that failed for lack of quorum: only its mover gets the form to put it to the vote again', async () => {
    const { motionId } = await a.post<{ motionId: string }>('/councils/docks/motions', {
      title: 'Quiet hours',
      text: '',
      alternatives: [],
    });
    await b.post(`/motions/${motionId}/second`, {});
    clock.advanceMinutes(61);
    await a.post(`/motions/${motionId}/vote`, { minutes: 60 });
    const { voteId } = await a.get<{ voteId: string }>(`/motions/${motionId}`);
    clock.advanceMinutes(61);
    await b.post(`/votes/${voteId}/close`, {});

    await ben.goto(`/motions/${motionId}`);
    await ben
      .getByRole('region', { name: 'Timeline' })
      .getByText(/the mover may put it to the vote again/)
      .waitFor();
    assert.equal(await ben.getByRole('form', { name: 'Open the vote' }).count(), 0);
    await ana.goto(`/motions/${motionId}`);
    const form = ana.getByRole('form', { name: 'Open the vote' });
    // the form says the procedure's shortest and longest vote
    await form.getByText('At least 60 minutes, at most 10,080.').waitFor();
    await form.getByLabel(/minutes/i).fill('60');
    await form.getByRole('button', { name: 'Open the vote' }).click();
    await ana
      .getByRole('region', { name: 'Timeline' })
      .getByText(/^Voting opened /)
      .nth(1)
      .waitFor();
    await assertAccessible(ana, 'motion page after a re-vote opened');
  });
});
