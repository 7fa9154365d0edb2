// A secret vote whose key generation fails must not hang: after the registration deadline the organisation (actor
// null) ends it as failed, with the reason the core derives; the motion returns to debate and the council can
// vote again. Replay decides the ending again, reason included, and accepts the failed vote's board.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import * as ballot from '../../../src/ballot/index.ts';
import { replayEntries, type Entry } from '../../../src/core/index.ts';
import { secretFailure } from '../../../src/core/secret/abort.ts';
import { foundFederation, motionId, PureOrg, voteId } from '../../support/pure-org.ts';

const g = await ballot.sodiumGroup();
const backends = { group: g }; // the core's and the replay's backend, passed in
const rnd = (n: number) => new Uint8Array(randomBytes(n));
const trustees = ['ana', 'ben', 'cai'];

function post(voteId: string, kind: string, body: unknown) {
  return { type: 'post_trustee_message' as const, voteId, message: { kind, body } as never };
}

/** North votes by secret ballot, 2 of 3 trustees; `committing` trustees commit, and deal if all committed. */
function northVote(committing: number[]) {
  const org = foundFederation(new PureOrg(backends));
  const motion = motionId(
    org.must(
      {
        type: 'move_motion',
        councilId: 'north',
        title: 'Strike?',
        text: '',
        secret: { trustees, threshold: 2, registrationMinutes: 30 },
      },
      'ana',
    ),
  );
  org.advanceMinutes(24 * 60);
  const vote = voteId(org.must({ type: 'open_vote', motionId: motion, minutes: 120 }, 'ana'));
  const setup = org.state.votes.get(vote)!.secret!.setup;
  const round1 = committing.map((i) => ({ i, r: ballot.dkgCommit(g, setup, i, rnd) }));
  for (const { i, r } of round1) org.must(post(vote, 'dkg-commit', r.message), trustees[i - 1]!);
  return { org, motion, vote, setup, round1 };
}

const failedReason = (org: PureOrg, vote: string) => secretFailure(g, org.state.votes.get(vote)!, org.now());

describe('a secret vote whose key generation fails', () => {
  test('is ended as failed by the organisation after the deadline, with the reason, and can be held again', async () => {
    const { org, motion, vote } = northVote([1, 2]); // cai never commits: nobody can deal shares
    assert.equal(failedReason(org, vote), null, 'not before the registration deadline');
    const early = org.run({ type: 'abort_secret_vote', voteId: vote, reason: 'x' }, null);
    assert.equal(!early.ok && early.code, 'too_early');

    org.advanceMinutes(31);
    const reason = failedReason(org, vote)!;
    assert.match(
      reason,
      /^key generation failed by the registration deadline .*: 0 of 3 trustees qualified, 2 needed/,
    );
    assert.match(reason, /trustee 3: /);
    // a member cannot end it, nor can the organisation with another reason
    const byMember = org.run({ type: 'abort_secret_vote', voteId: vote, reason }, 'ana');
    assert.equal(!byMember.ok && byMember.code, 'not_allowed');
    const lie = org.run({ type: 'abort_secret_vote', voteId: vote, reason: 'the trustees asked' }, null);
    assert.equal(!lie.ok && lie.code, 'wrong_state');

    const [ended] = org.must({ type: 'abort_secret_vote', voteId: vote, reason }, null);
    assert.deepEqual({ act: ended!.act, actor: ended!.actor }, { act: 'vote_failed', actor: null });
    const v = org.state.votes.get(vote)!;
    assert.equal(v.outcome, 'failed');
    assert.equal(v.closedAt, org.now());
    assert.match((v.result as { explanation: string[] }).explanation[0]!, new RegExp(reason.slice(0, 40)));
    assert.equal(org.state.motions.get(motion)!.state, 'debate');

    // nothing more happens on the failed vote
    const again = org.run({ type: 'abort_secret_vote', voteId: vote, reason }, null);
    assert.equal(!again.ok && again.code, 'vote_closed');
    const late = org.run(post(vote, 'dkg-commit', {}), 'cai');
    assert.equal(!late.ok && late.code, 'vote_closed');

    // the council votes again: a new vote with a new board
    const second = voteId(org.must({ type: 'open_vote', motionId: motion, minutes: 60 }, 'ana'));
    assert.notEqual(second, vote);
    assert.equal(org.state.motions.get(motion)!.voteId, second);
    assert.equal(org.state.votes.get(second)!.secret!.board.length, 1);

    // replay decides the ending again and accepts the failed board
    const checks = await replayEntries(org.log, { crypto: backends });
    assert.deepEqual(
      checks.filter((c) => c.status !== 'pass'),
      [],
    );
    const boards = checks.filter((c) => c.id === 'secret_ballot');
    assert.match(boards[0]!.detail!, new RegExp(`vote ${vote} failed: key generation failed`));
  });

  test('fewer than k qualified trustees after accusations also fails the vote', () => {
    const { org, vote, setup, round1 } = northVote([1, 2, 3]);
    const commits = round1.map((x) => x.r.message);
    // trustees 1 and 2 deal bad shares to each other's receivers: only trustee 3 stays qualified, 2 needed
    for (const { i, r } of round1) {
      const body = ballot.dkgShares(g, setup, r.secret, commits, rnd);
      if (i !== 3) {
        const other = {
          ...r.secret,
          coefficients: r.secret.coefficients.map((c, j) => (j === 0 ? '01' + c.slice(2) : c)),
        };
        const bad = ballot.dkgShares(g, setup, other, commits, rnd);
        body.shares = body.shares.map((s) => (s.to === 3 ? bad.shares.find((b) => b.to === 3)! : s));
      }
      org.must(post(vote, 'dkg-shares', body), trustees[i - 1]!);
    }
    const shares = org.state.votes
      .get(vote)!
      .secret!.board.filter((e) => e.kind === 'dkg-shares')
      .map((e) => e.body as ballot.DkgSharesBody);
    const third = round1.find((x) => x.i === 3)!.r.secret;
    for (const a of ballot.dkgReceive(g, setup, third, shares, rnd).accusations)
      org.must(post(vote, 'dkg-accusation', a), 'cai');
    org.advanceMinutes(31);
    const reason = failedReason(org, vote)!;
    assert.match(
      reason,
      /1 of 3 trustees qualified, 2 needed \(trustee 1: bad share to trustee 3; trustee 2: bad share to trustee 3\)/,
    );
    org.must({ type: 'abort_secret_vote', voteId: vote, reason }, null);
    assert.equal(org.state.votes.get(vote)!.outcome, 'failed');
  });

  test('a vote whose key was made is never ended as failed before its voting time is over', () => {
    const { org, vote, setup, round1 } = northVote([1, 2, 3]);
    const commits = round1.map((x) => x.r.message);
    for (const { i, r } of round1)
      org.must(
        post(vote, 'dkg-shares', ballot.dkgShares(g, setup, r.secret, commits, rnd)),
        trustees[i - 1]!,
      );
    org.advanceMinutes(31);
    assert.equal(failedReason(org, vote), null);
    const r = org.run({ type: 'abort_secret_vote', voteId: vote, reason: 'x' }, null);
    assert.equal(!r.ok && r.code, 'too_early');
    // nobody registered and the list was never frozen: once voting time is over, it fails too
    org.advanceMinutes(120);
    assert.match(failedReason(org, vote)!, /before the credential list was frozen/);
  });

  test('replay refuses a failure entry the rules would not have made', async () => {
    const { org, vote } = northVote([1, 2, 3]);
    org.advanceMinutes(31);
    const reason = failedReason(org, vote)!;
    assert.match(reason, /trustee 1: /);
    org.must({ type: 'abort_secret_vote', voteId: vote, reason }, null);
    // an operator rewrites the reason, or ends the vote before its deadline
    const log = org.log.map((e) =>
      e.act === 'vote_failed'
        ? ({ ...e, payload: { ...e.payload, reason: 'the trustees quit' } } as Entry)
        : e,
    );
    const rules = (await replayEntries(log, { crypto: backends })).find((c) => c.id === 'replay_rules')!;
    assert.equal(rules.status, 'fail');
    assert.match(rules.detail!, /vote_failed by null: the rules refuse it \(wrong_state/);
    const early = org.log.map((e) =>
      e.act === 'vote_failed' ? ({ ...e, time: org.log.at(-2)!.time } as Entry) : e,
    );
    const rules2 = (await replayEntries(early, { crypto: backends })).find((c) => c.id === 'replay_rules')!;
    assert.equal(rules2.status, 'fail');
    assert.match(rules2.detail!, /too_early/);
  });

  test('held again with trustees named anew: only after a failure, checked as a mover’s, and decided again by the replay', async () => {
    const { org, motion, vote } = northVote([1, 2]); // cai never commits
    // before any failure the motion's trustees stand
    const early = org.run(
      { type: 'open_vote', motionId: motion, secret: { trustees: ['ana', 'ben'] } },
      'ana',
    );
    assert.equal(!early.ok && early.code, 'wrong_state');
    org.advanceMinutes(31);
    org.must({ type: 'abort_secret_vote', voteId: vote, reason: failedReason(org, vote)! }, null);
    // a non-member of North, or a threshold above the trustees: refused, nothing appended
    const size = org.log.length;
    assert.throws(
      () => org.run({ type: 'open_vote', motionId: motion, secret: { trustees: ['ana', 'dan'] } }, 'ana'),
      /secret.trustees\[1\] is not a member of this council/,
    );
    assert.throws(
      () =>
        org.run({ type: 'open_vote', motionId: motion, secret: { trustees: ['ana'], threshold: 2 } }, 'ana'),
      /secret.threshold must be 1..1/,
    );
    assert.equal(org.log.length, size);
    // without cai: 2 of 2
    const entries = org.must(
      {
        type: 'open_vote',
        motionId: motion,
        minutes: 60,
        secret: { trustees: ['ana', 'ben'], threshold: 2 },
      },
      'ana',
    );
    const second = voteId(entries);
    const sv = org.state.votes.get(second)!.secret!;
    assert.deepEqual(sv.trustees, ['ana', 'ben']);
    assert.deepEqual([sv.setup.n, sv.setup.k], [2, 2]);
    const opened = entries.find((e) => e.act === 'vote_opened')!;
    assert.deepEqual((opened.payload as { secret?: unknown }).secret, {
      trustees: ['ana', 'ben'],
      threshold: 2,
      registrationMinutes: 30,
    });
    // the two make the key
    const round1 = [1, 2].map((i) => ballot.dkgCommit(g, sv.setup, i, rnd));
    round1.forEach((r, i) => org.must(post(second, 'dkg-commit', r.message), ['ana', 'ben'][i]!));
    round1.forEach((r, i) =>
      org.must(
        post(
          second,
          'dkg-shares',
          ballot.dkgShares(
            g,
            sv.setup,
            r.secret,
            round1.map((x) => x.message),
            rnd,
          ),
        ),
        ['ana', 'ben'][i]!,
      ),
    );
    assert.equal(org.state.votes.get(second)!.secret!.board.length, 5);
    const checks = await replayEntries(org.log, { crypto: backends });
    assert.deepEqual(
      checks.filter((c) => c.status !== 'pass'),
      [],
    );
  });

  test('replay refuses a setup entry the opening would not have made', async () => {
    const { org, vote } = northVote([1, 2, 3]);
    const i = org.log.findIndex((e) => e.act === 'board_posted' && e.payload.kind === 'setup');
    const entry = org.log[i]! as Extract<Entry, { act: 'board_posted' }>;
    const logged = entry.payload.body as ballot.SetupBody;
    const rulesWith = async (payload: object) => {
      const log = org.log.map((e, j) =>
        j === i ? ({ ...e, payload: { ...entry.payload, ...payload } } as Entry) : e,
      );
      return (await replayEntries(log, { crypto: backends })).find((c) => c.id === 'replay_rules')!;
    };
    // an operator makes itself the only trustee (the setup hash made right, so the board's own check 1 passes)
    const mine = ballot.makeSetup(logged.manifest, { n: 1, k: 1 });
    const solo = await rulesWith({ body: mine, trustees: ['ana'] });
    assert.equal(solo.status, 'fail');
    assert.match(solo.detail!, /other trustees than its motion’s, though no vote of it failed/);
    assert.equal(solo.where?.entry, entry.seq);
    // or keeps the trustees and lowers the threshold
    const low = await rulesWith({ body: ballot.makeSetup(logged.manifest, { n: 3, k: 1 }) });
    assert.equal(low.status, 'fail');
    assert.match(
      low.detail!,
      /a threshold of 1 of 3 trustees, not its motion’s 2, though no vote of it failed/,
    );
    // or changes the options, the closing time or the end of registration
    const manifest = { ...logged.manifest, closesAt: logged.manifest.closesAt + 3_600_000 };
    const longer = await rulesWith({ body: ballot.makeSetup(manifest, { n: 3, k: 2 }) });
    assert.match(longer.detail!, /the setup is not the one the opening makes/);
    const reg = await rulesWith({
      registrationEnds: new Date(Date.parse(entry.time) + 5 * 60_000).toISOString(),
    });
    assert.match(reg.detail!, /registration ends at another time/);
    assert.equal(org.state.votes.get(vote)!.secret!.setup.setupHash, logged.setupHash);
  });
});
