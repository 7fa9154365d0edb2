// A closed vote keeps its counts, not its ballots (src/core/votes/settled.ts, docs/SCALE.md "Closing a vote"): the
// state drops the per-elector maps, and every act after the close still reads what it needs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  attentionFor,
  noticesOf,
  replayEntries,
  SettledElectorate,
  type Entry,
} from '../../../src/core/index.ts';
import { votedMotion } from '../../support/pure-org.ts';

/** Six members; ana, ben and cai choose a1, dia a2, eli abstains, fay does not vote; the vote closes on time. */
function closedVote() {
  const { org, m, v } = votedMotion(
    ['Ana', 'Ben', 'Cai', 'Dia', 'Eli', 'Fay'],
    [
      ['ana', 'a1'],
      ['ben', 'a1'],
      ['cai', 'a1'],
      ['dia', 'a2'],
      ['eli', null],
    ],
  );
  org.advanceMinutes(61);
  const closing = org.must({ type: 'close_vote', voteId: v }, 'ben');
  return { org, m, v, closing: closing.find((e) => e.act === 'vote_closed')! };
}

test('a closed vote holds no per-elector map: a sorted electorate and the positions of its voters', () => {
  const { org, v, closing } = closedVote();
  assert.ok(closing.act === 'vote_closed' && closing.payload.winner === 'a1');
  const vote = org.state.votes.get(v)!;
  assert.equal(vote.ballots, null, 'the ballots are dropped');
  assert.ok(!(vote.electorate instanceof Map), 'the electorate is no longer a map');
  assert.ok(vote.electorate instanceof SettledElectorate);
  assert.deepEqual(vote.electorate.ids, ['ana', 'ben', 'cai', 'dia', 'eli', 'fay']);
  assert.equal(vote.electorate.weights, null, 'every weight is 1');
  assert.deepEqual(vote.settled, {
    voters: Uint32Array.from([0, 1, 2, 3, 4]),
    minority: Uint32Array.from([3]),
  });
  // It still reads as the electorate it was.
  assert.equal(vote.electorate.size, 6);
  assert.equal(vote.electorate.get('fay'), 1n);
  assert.equal(vote.electorate.get('zed'), undefined);
  assert.equal(vote.electorate.has('dia'), true);
  assert.deepEqual([...vote.electorate.keys()], ['ana', 'ben', 'cai', 'dia', 'eli', 'fay']);
  assert.equal(
    [...vote.electorate.values()].reduce((a, b) => a + b, 0n),
    6n,
  );
  assert.deepEqual(new Map(vote.electorate), new Map([...vote.electorate.ids].map((id) => [id, 1n])));
  assert.equal(vote.outcome, 'adopted');
});

test('after the close: only who voted against the winner may attach a minority statement', () => {
  const { org, m } = closedVote();
  const statement = { type: 'attach_minority_statement' as const, motionId: m, text: 'Six is too early.' };
  org.refuses(statement, 'ana', 'not_in_minority'); // voted for the winner
  org.refuses(statement, 'eli', 'not_in_minority'); // abstained
  org.refuses(statement, 'fay', 'not_in_minority'); // did not vote
  org.refuses(statement, 'zed', 'not_a_member');
  org.must(statement, 'dia');
  org.refuses(statement, 'dia', 'already_exists');
});

test('after the close: the result reaches those who voted, in the inbox and the notices', () => {
  const { org, v, closing } = closedVote();
  const results = (who: string) =>
    attentionFor(org.state, who, org.now()).filter((i) => i.kind === 'vote_result' && i.voteId === v);
  for (const who of ['ana', 'dia', 'eli']) assert.equal(results(who).length, 1, who);
  assert.equal(results('fay').length, 0, 'fay did not vote');
  const notices = noticesOf(org.state, closing, org.now()).filter((n) => n.kind === 'vote_result');
  assert.deepEqual(
    notices.map((n) => n.memberIds),
    [['ana', 'ben', 'cai', 'dia', 'eli']],
  );
});

test('the replay decides acts after the close on the settled vote as the live process did', async () => {
  const { org, m } = closedVote();
  org.must({ type: 'attach_minority_statement', motionId: m, text: 'Six is too early.' }, 'dia');
  const checks = await replayEntries(org.log);
  assert.deepEqual(
    checks.filter((c) => c.status !== 'pass'),
    [],
  );
  // An operator who writes a statement by a member of the majority into the log is caught.
  const forged = [
    ...org.log,
    {
      seq: org.log.length,
      act: 'minority_statement_attached',
      actor: 'ben',
      time: org.now(),
      payload: { motionId: m, statementId: 'statement_forged', text: 'I too' },
    } as Entry,
  ];
  const rules = (await replayEntries(forged)).find((c) => c.id === 'replay_rules')!;
  assert.equal(rules.status, 'fail');
  assert.match(rules.detail ?? '', /not_in_minority/);
});

test('a vote closed twice in a log is named by the recount (its ballots are gone after the first)', async () => {
  const { org, closing } = closedVote();
  const again = { ...closing, seq: org.log.length, time: org.now() } as Entry;
  const recount = (await replayEntries([...org.log, again])).find((c) => c.id === 'replay_recount')!;
  assert.equal(recount.status, 'fail');
  assert.match(recount.detail ?? '', /closes again/);
});

test('a settled electorate keeps weights other than 1, and finds ids by code units', () => {
  const e = new SettledElectorate(['Zoe', 'ana', 'ben', 'émile'], [1n, 3n, 1n, 2n]);
  assert.equal(e.get('ana'), 3n);
  assert.equal(e.get('émile'), 2n);
  assert.equal(e.get('Zoe'), 1n);
  assert.equal(e.indexOf('bea'), -1);
  assert.deepEqual(
    [...e],
    [
      ['Zoe', 1n],
      ['ana', 3n],
      ['ben', 1n],
      ['émile', 2n],
    ],
  );
});
