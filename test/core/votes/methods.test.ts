// Every counting method of src/count is selectable for a council's open vote.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { councilMembers, InvalidCommand, type BallotContent } from '../../../src/core/index.ts';
import { motionId, PureOrg, voteId } from '../../support/pure-org.ts';
import { organisation } from '../../support/factory.ts';

const people = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'];

function assembly(seats = 2): PureOrg {
  const org = new PureOrg();
  org.must(
    organisation({
      name: 'Assembly',
      councils: [
        { id: 'top', name: 'Top', parentId: null, seatsInParent: 0 },
        { id: 'base', name: 'Base', parentId: 'top', seatsInParent: seats },
      ],
      founders: people.map((p) => ({ memberId: p, name: p.toUpperCase(), councilId: 'base' })),
    }),
    null,
  );
  return org;
}

function decide(org: PureOrg, method: string, ballots: BallotContent[], extra: Record<string, unknown> = {}) {
  const m = motionId(
    org.must(
      {
        type: 'move_motion',
        councilId: 'base',
        title: 'Which plan?',
        text: '',
        alternatives: [
          { title: 'A', text: '' },
          { title: 'B', text: '' },
          { title: 'C', text: '' },
        ],
        method: method as never,
        ...extra,
      },
      'p1',
    ),
  );
  const v = voteId(org.must({ type: 'open_vote', motionId: m, minutes: 60 }, 'p1'));
  ballots.forEach((b, i) => org.must({ type: 'cast_ballot', voteId: v, ballot: b }, people[i]!));
  if (org.state.votes.get(v)!.closedAt === null) {
    org.advanceMinutes(61);
    org.must({ type: 'close_vote', voteId: v }, null);
  }
  return { motion: org.state.motions.get(m)!, vote: org.state.votes.get(v)! };
}

const r = (...groups: string[][]): BallotContent => ({ ranking: groups });

describe('methods for open votes', () => {
  test('Schulze with the status quo on the ballot: a Condorcet winner is adopted', () => {
    const { motion, vote } = decide(assembly(), 'schulze', [
      r(['a2'], ['a1'], ['against']),
      r(['a2'], ['a3']),
      r(['a1'], ['a2']),
      r(['a2'], ['against']),
      r(['against'], ['a2']),
    ]);
    assert.equal(vote.outcome, 'adopted');
    assert.equal(motion.adoptedAlternativeId, 'a2');
    assert.ok((vote.result as { rounds: unknown[] }).rounds !== undefined);
  });

  test('ranked pairs: when the status quo beats every alternative, nothing is adopted', () => {
    const { motion, vote } = decide(assembly(), 'ranked-pairs', [
      r(['against'], ['a1']),
      r(['against'], ['a2']),
      r(['against']),
      r(['a1'], ['against']),
    ]);
    assert.equal(vote.outcome, 'rejected');
    assert.equal(motion.state, 'failed');
  });

  // Seven electors and a quorum of half: each vote here has at least four ballots.
  test('approval, score, Borda, plurality and IRV decide', () => {
    assert.equal(
      decide(assembly(), 'approval', [
        { approve: ['a1', 'a2'] },
        { approve: ['a2'] },
        { approve: ['a3'] },
        { approve: [] },
      ]).vote.winner,
      'a2',
    );
    assert.equal(
      decide(
        assembly(),
        'score',
        [{ scores: { a1: 5, a2: 1 } }, { scores: { a1: 4, a3: 5 } }, { scores: {} }, { scores: { a1: 1 } }],
        { maxScore: 5 },
      ).vote.winner,
      'a1',
    );
    assert.equal(
      decide(assembly(), 'borda', [
        r(['a3'], ['a1'], ['a2']),
        r(['a3'], ['a2'], ['a1']),
        r(['a1'], ['a3'], ['a2']),
        r(['a2'], ['a3'], ['a1']),
      ]).vote.winner,
      'a3',
    );
    assert.equal(
      decide(assembly(), 'plurality', [
        { choice: 'a1' },
        { choice: 'a1' },
        { choice: 'a2' },
        { choice: null },
      ]).vote.winner,
      'a1',
    );
    assert.equal(
      decide(assembly(), 'irv', [r(['a1'], ['a2']), r(['a2']), r(['a3'], ['a2']), r(['a1']), r(['a2'])]).vote
        .winner,
      'a2',
    );
  });

  test('a ballot of the wrong shape or naming an unknown option is refused and changes nothing', () => {
    const org = assembly();
    const m = motionId(
      org.must({ type: 'move_motion', councilId: 'base', title: 'X', text: '', method: 'schulze' }, 'p1'),
    );
    const v = voteId(org.must({ type: 'open_vote', motionId: m }, 'p1'));
    const size = org.state.size;
    for (const bad of [{ choice: 'a1' }, r(['a9']), r(['a1'], ['a1']), r([])] as BallotContent[]) {
      const res = org.run({ type: 'cast_ballot', voteId: v, ballot: bad }, 'p2');
      assert.ok(!res.ok && res.code === 'invalid_choice', JSON.stringify(bad));
    }
    assert.equal(org.state.size, size);
    assert.throws(
      () =>
        org.run({ type: 'move_motion', councilId: 'base', title: 'X', text: '', method: 'meek-stv' }, 'p1'),
      InvalidCommand,
    );
  });

  test('quorum applies to every method; an abstention counts for it', () => {
    const { vote } = decide(assembly(), 'schulze', [r(['a1']), r([]) as BallotContent].slice(0, 1));
    assert.equal(vote.outcome, 'no_quorum');
    const { vote: v2 } = decide(assembly(), 'approval', [
      { approve: ['a1'] },
      { approve: [] },
      { approve: [] },
      { approve: [] },
    ]);
    assert.equal(v2.outcome, 'adopted');
  });
});

describe('elections by STV fill every open seat', () => {
  for (const method of ['scottish-stv', 'meek-stv', 'wigm-stv']) {
    test(`${method}: two deputies elected at once`, () => {
      const org = assembly(2);
      const m = motionId(
        org.must({ type: 'call_election', councilId: 'base', method: method as never }, 'p1'),
      );
      for (const c of ['p1', 'p2', 'p3']) {
        org.must({ type: 'propose_alternative', motionId: m, title: c, text: '', candidateId: c }, 'p1');
      }
      const v = voteId(org.must({ type: 'open_vote', motionId: m }, 'p1'));
      assert.equal(org.state.votes.get(v)!.seats, 2);
      const ballots = [
        r(['a1'], ['a2']),
        r(['a1'], ['a3']),
        r(['a1'], ['a2']),
        r(['a2']),
        r(['a2'], ['a1']),
        r(['a3']),
        r(['a3'], ['a2']),
      ];
      let last: ReturnType<PureOrg['must']> = [];
      ballots.forEach((b, i) => (last = org.must({ type: 'cast_ballot', voteId: v, ballot: b }, people[i]!)));
      const started = last.filter((e) => e.act === 'mandate_started');
      assert.equal(started.length, 2);
      assert.deepEqual(councilMembers(org.state, 'top', org.now()).sort(), ['p1', 'p2']);
    });
  }
});
