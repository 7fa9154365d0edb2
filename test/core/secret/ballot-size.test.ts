// A secret ballot must fit one log entry (65,535 bytes): a range proof has a branch per possible value, so a
// score ballot grows with options × (highest score + 1). ballotBytes gives its exact size, and the core refuses a
// secret motion whose ballot would not fit, when it is moved or when an alternative would make it so.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import * as ballot from '../../../src/ballot/index.ts';
import { encodeEntry, type Entry } from '../../../src/core/index.ts';
import { MAX_SECRET_BALLOT_BYTES } from '../../../src/core/secret/decide.ts';
import { buildElection, manifest3 } from '../../ballot/fixture.ts';
import { foundFederation, motionId, PureOrg } from '../../support/pure-org.ts';

const g = ballot.nobleGroup;
const rnd = (n: number) => new Uint8Array(randomBytes(n));

test('ballotBytes is the exact length of a real ballot, for every contest shape', () => {
  const shapes: ballot.Contest[] = [
    { id: 'c', title: 'single', options: ['a', 'b', 'c'], min: 1, max: 1, optionMax: 1 },
    { id: 'c', title: 'approval', options: ['a', 'b', 'c', 'd', 'e'], min: 0, max: 5, optionMax: 1 },
    { id: 'c', title: 'score', options: ['a', 'b', 'c', 'd'], min: 0, max: 20, optionMax: 5 },
  ];
  for (const contest of shapes) {
    const manifest = { ...manifest3, contests: [contest] };
    const f = buildElection(g, { n: 1, k: 1, voters: 1, manifest, seed: contest.title });
    const choices = [contest.options.map((_, i) => (i === 0 ? contest.optionMax : 0))];
    if (contest.min === 1) choices[0] = contest.options.map((_, i) => (i === 0 ? 1 : 0));
    const { ballot: b } = ballot.encryptBallot(g, f.election, f.voters[0]!.secret, choices, rnd);
    assert.equal(ballot.ballotBytes([contest]), JSON.stringify(b).length, contest.title);
  }
});

test('a secret motion whose ballot would not fit an entry is refused when moved, or when an alternative would make it so', () => {
  const org = foundFederation(new PureOrg());
  const alternatives = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ title: `Option ${i + 1}`, text: '' }));
  const move = (n: number, maxScore: number) => ({
    type: 'move_motion' as const,
    councilId: 'north',
    title: 'Priorities',
    text: '',
    alternatives: alternatives(n),
    method: 'score' as const,
    maxScore,
    secret: { trustees: ['ana'], threshold: 1 },
  });
  // the largest score motion with scores 0..5 whose ballot fits
  const fits = (n: number) => {
    const options = [...alternatives(n).map((_, i) => `a${i + 1}`), 'against'];
    const contest = { id: 'motion', title: '', options, min: 0, max: options.length * 5, optionMax: 5 };
    return ballot.ballotBytes([contest]) <= MAX_SECRET_BALLOT_BYTES;
  };
  let n = 1;
  while (fits(n + 1)) n++;
  assert.ok(n >= 10 && n < 30, `${n} options with scores 0..5 fit`);
  const size = org.log.length;
  assert.throws(
    () => org.run(move(n + 1, 5), 'ana'),
    (e: Error & { field?: string }) => {
      assert.match(
        e.message,
        /a secret ballot over \d+ alternatives would take \d+ bytes, more than a record entry holds/,
      );
      assert.match(e.message, /fewer alternatives or a lower highest score/);
      assert.equal(e.field, 'alternatives');
      return true;
    },
  );
  assert.equal(org.log.length, size, 'nothing appended');
  // scores 0..100 do not fit even one alternative
  assert.throws(() => org.run(move(1, 100), 'ana'), /would take/);
  // n fit; the (n+1)th alternative is refused, and changes nothing
  const m = motionId(org.must(move(n, 5), 'ana'));
  const more = org.run({ type: 'propose_alternative', motionId: m, title: 'One more', text: '' }, 'ben');
  assert.equal(!more.ok && more.code, 'not_allowed');
  assert.match(!more.ok ? more.message : '', /would take \d+ bytes/);
  assert.equal(org.state.motions.get(m)!.alternatives.length, n);
  // an open ballot has no such bound
  const open = motionId(org.must({ ...move(n + 5, 5), secret: undefined }, 'ana'));
  assert.equal(org.state.motions.get(open)!.alternatives.length, n + 5);
  // and the largest secret ballot allowed, challenged (ballot, nonce and plaintext), fits one entry
  const options = [...alternatives(n).map((_, i) => `a${i + 1}`), 'against'];
  const contest = { id: 'motion', title: '', options, min: 0, max: options.length * 5, optionMax: 5 };
  const f = buildElection(g, { n: 1, k: 1, voters: 1, manifest: { ...manifest3, contests: [contest] } });
  const choices = [options.map(() => 5)];
  const enc = ballot.encryptBallot(g, f.election, f.voters[0]!.secret, choices, rnd);
  const spoiled = ballot.spoilBallot(g, f.election, enc.ballot, enc.ballotNonce);
  const posted = {
    seq: 123_456,
    act: 'board_posted',
    actor: null,
    time: org.now(),
    payload: { voteId: 'vote_0123456789ab', kind: 'spoiled', body: spoiled },
  } as Entry;
  assert.ok(encodeEntry(posted).length <= 65_535, `${encodeEntry(posted).length} bytes`);
});
