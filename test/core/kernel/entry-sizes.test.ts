// Every entry stays within the record's 65,535 bytes (C2SP tlog-tiles) at the sizes of a real organisation: a
// founding of 1,000 councils and 20,000 members, ranked counts over 50 alternatives, a petition rising under
// 999 councils, a privileged act a council of 20,000 approves. Older entries, which listed more, still apply.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  apply,
  countBallots,
  emptyState,
  InvalidCommand,
  encodeEntry,
  maxEntryBytes,
  replayEntries,
  splitJsonText,
  utf8Length,
  type CouncilSpec,
  type Entry,
} from '../../../src/core/index.ts';
import { canonicalJson } from '../../../src/record/index.ts';
import { inlineResultBytes } from '../../../src/core/votes/result-parts.ts';
import { motionId, PureOrg, voteId } from '../../support/pure-org.ts';
import { organisation } from '../../support/factory.ts';

const utf8 = new TextEncoder();

function assertAllFit(entries: Entry[]): void {
  for (const e of entries) {
    const n = encodeEntry(e).length;
    assert.ok(n <= maxEntryBytes, `${e.act} at seq ${e.seq} is ${n} bytes`);
  }
}

test('splitJsonText: the pieces give the text back and each fits as a JSON string', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.integer({ min: 6, max: 40 }), (s, max) => {
      const pieces = splitJsonText(s, max);
      assert.equal(pieces.join(''), s);
      for (const p of pieces) {
        // The JSON string form (RFC 8785) without its quotes.
        assert.ok(utf8.encode(canonicalJson(p)).length - 2 <= max, JSON.stringify(p));
      }
      assert.ok(pieces.every((p, i) => p.length > 0 || (i === 0 && s.length === 0)));
    }),
  );
  assert.equal(utf8Length('aé€😀'), utf8.encode('aé€😀').length);
  assert.equal(utf8Length('\ud800x'), utf8.encode('\ud800x').length);
});

/** 1 root, 9 regions, 990 workplaces (long names, 64-character ids): 1,000 councils, the most allowed. */
function bigTree() {
  const pad = (s: string) => s.padEnd(64, 'x');
  const councils: CouncilSpec[] = [
    { id: pad('root'), name: 'R'.repeat(120), parentId: null, seatsInParent: 0 },
  ];
  const workplaces: string[] = [];
  for (let r = 0; r < 9; r++) {
    const region = pad(`region-${r}`);
    councils.push({
      id: region,
      name: `Region ${r} `.padEnd(120, 'é'),
      parentId: pad('root'),
      seatsInParent: 2,
    });
    for (let w = 0; w < 110; w++) {
      const id = pad(`workplace-${r}-${w}`);
      workplaces.push(id);
      councils.push({
        id,
        name: `Workplace ${r}/${w} `.padEnd(120, 'ü'),
        parentId: region,
        seatsInParent: 1,
      });
    }
  }
  return { councils, workplaces };
}

test('a founding of 1,000 councils and 20,000 members: every entry fits, the tree is the one given', () => {
  const { councils, workplaces } = bigTree();
  const org = new PureOrg();
  const entries = org.must(
    organisation({
      name: 'A large federation',
      councils,
      founders: Array.from({ length: 20_000 }, (_, i) => ({
        memberId: `member_${i}`,
        name: `Member ${i}`,
        councilId: workplaces[i % workplaces.length]!,
      })),
    }),
    null,
  );
  assertAllFit(entries);
  assert.equal(entries[0]!.act, 'org_founded');
  const more = entries.filter((e) => e.act === 'councils_founded');
  assert.ok(more.length >= 2, `${more.length} councils_founded entries`);
  assert.equal(org.state.councils.size, 1000);
  for (const c of councils) {
    const got = org.state.councils.get(c.id)!;
    assert.equal(got.parentId, c.parentId);
    assert.deepEqual(
      got.childIds,
      councils.filter((x) => x.parentId === c.id).map((x) => x.id),
    );
  }
  assert.equal(org.state.members.size, 20_000);
});

test('a small founding is one org_founded entry, as before', () => {
  const org = new PureOrg();
  const entries = org.must(
    organisation({
      name: 'Small',
      councils: [
        { id: 'b', name: 'B', parentId: 'a', seatsInParent: 1 },
        { id: 'a', name: 'A', parentId: null, seatsInParent: 0 },
      ],
      founders: [],
    }),
    null,
  );
  assert.deepEqual(
    entries.map((e) => e.act),
    ['org_founded'],
  );
  assert.deepEqual([...org.state.councils.keys()], ['b', 'a']);
});

test('councils_founded after someone joined is refused by apply', () => {
  const org = new PureOrg();
  org.must(
    organisation({
      name: 'Small',
      councils: [{ id: 'a', name: 'A', parentId: null, seatsInParent: 0 }],
      founders: [{ memberId: 'm', name: 'M', councilId: 'a' }],
    }),
    null,
  );
  const late = {
    seq: org.state.size,
    act: 'councils_founded',
    actor: null,
    time: org.now(),
    payload: { councils: [{ id: 'b', name: 'B', parentId: 'a', seatsInParent: 1 }] },
  } as Entry;
  assert.throws(() => apply(org.state, late), /belongs to the founding/);
});

type RankedMethod = 'schulze' | 'ranked-pairs' | 'irv' | 'scottish-stv' | 'meek-stv' | 'wigm-stv';
const stv = (m: RankedMethod) => m.endsWith('stv');

/**
 * A base council of `members` sending `seats` deputies. An ordinary ranked motion with `alternatives` alternatives,
 * or for STV an election of `seats` among as many candidates; every member ranks some of them.
 */
function largeRankedVote(method: RankedMethod, members = 1_500, alternatives = 50, seats = 10) {
  const org = new PureOrg();
  org.must(
    organisation({
      name: 'Assembly',
      councils: [
        { id: 'fed', name: 'Federation', parentId: null, seatsInParent: 0 },
        { id: 'works', name: 'Works', parentId: 'fed', seatsInParent: seats },
      ],
      founders: Array.from({ length: members }, (_, i) => ({
        memberId: `m${i}`,
        name: `M ${i}`,
        councilId: 'works',
      })),
    }),
    null,
  );
  let m: string;
  if (stv(method)) {
    m = motionId(org.must({ type: 'call_election', councilId: 'works', method }, 'm0'));
    for (let i = 0; i < alternatives; i++)
      org.must(
        { type: 'propose_alternative', motionId: m, title: `M ${i}`, text: '', candidateId: `m${i}` },
        `m${i}`,
      );
  } else {
    m = motionId(
      org.must(
        {
          type: 'move_motion',
          councilId: 'works',
          title: 'Which plan',
          text: 'Many plans',
          alternatives: Array.from({ length: alternatives }, (_, i) => ({
            title: `Plan ${i}`,
            text: `Plan number ${i}`,
          })),
          method,
        },
        'm0',
      ),
    );
  }
  const v = voteId(org.must({ type: 'open_vote', motionId: m }, 'm0'));
  const options = org.state.votes.get(v)!.options;
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < members; i++) {
    const order = [...options];
    for (let k = order.length - 1; k > 0; k--) {
      const j = Math.floor(rnd() ** 1.5 * (k + 1));
      [order[k], order[j]] = [order[j]!, order[k]!];
    }
    const ballot = { ranking: order.slice(0, 1 + Math.floor(rnd() * order.length)).map((o) => [o]) };
    org.must({ type: 'cast_ballot', voteId: v, ballot }, `m${i}`);
  }
  return { org, vote: org.state.votes.get(v)!, motion: org.state.motions.get(m)! };
}

/** The vote as it stood before its closing entry: a closed vote keeps its counts, not its ballots (votes/settled.ts). */
function beforeClosing(org: PureOrg, voteId: string) {
  const s = emptyState();
  for (const e of org.log) {
    if (e.act === 'vote_closed' && e.payload.voteId === voteId) break;
    apply(s, e);
  }
  return s.votes.get(voteId)!;
}

for (const method of ['schulze', 'ranked-pairs', 'irv', 'scottish-stv', 'meek-stv', 'wigm-stv'] as const) {
  test(`${method} over 50 alternatives: the report goes into parts, joins back whole, and the replay passes`, async () => {
    const { org, vote, motion } = largeRankedVote(method);
    assert.ok(vote.closedAt !== null, 'everyone voted: the vote closed');
    assertAllFit(org.log);
    const parts = org.log.filter((e) => e.act === 'vote_result_part');
    const closed = org.log.find((e) => e.act === 'vote_closed')!;
    assert.ok(closed.act === 'vote_closed');
    assert.ok(parts.length >= 1);
    assert.equal(closed.payload.result, undefined);
    assert.equal(closed.payload.resultParts!.parts, parts.length);
    assert.equal(parts.at(-1)!.seq + 1, closed.seq);
    // The state holds the whole report: the one a recount gives.
    const recount = countBallots(beforeClosing(org, vote.id), motion.decision, stv(method));
    assert.ok(typeof recount !== 'string');
    assert.equal(canonicalJson(vote.result), canonicalJson(recount.report));
    assert.ok(
      utf8Length(canonicalJson(vote.result)) > inlineResultBytes,
      'the report is too large to inline',
    );
    const checks = await replayEntries(org.log);
    assert.ok(
      checks.every((c) => c.status === 'pass'),
      JSON.stringify(checks.filter((c) => c.status !== 'pass')),
    );
  });
}

test('an STV election in a council of 20,000 members: a report of several parts, every entry fits', async () => {
  // One seat among 50 candidates: 49 rounds of transfers, each listing every candidate's votes.
  const { org, vote, motion } = largeRankedVote('scottish-stv', 20_000, 50, 1);
  assertAllFit(org.log);
  const parts = org.log.filter((e) => e.act === 'vote_result_part');
  const bytes = utf8Length(canonicalJson(vote.result));
  assert.ok(parts.length >= 2 && bytes > maxEntryBytes, `${bytes} bytes in ${parts.length} parts`);
  const recount = countBallots(beforeClosing(org, vote.id), motion.decision, true);
  assert.ok(typeof recount !== 'string');
  assert.equal(canonicalJson(vote.result), canonicalJson(recount.report));
  assert.equal(vote.winners.length, 1);
  const checks = await replayEntries(org.log);
  assert.ok(checks.every((c) => c.status === 'pass'));
});

test('a changed, missing or misplaced result part is caught by apply (and so by the replay)', async () => {
  const { org } = largeRankedVote('schulze', 60);
  const at = org.log.findIndex((e) => e.act === 'vote_result_part');
  assert.ok(at > 0);
  const changed = structuredClone(org.log);
  const part = changed[at]!;
  assert.ok(part.act === 'vote_result_part');
  part.payload.text = part.payload.text.replace('"', "'");
  const checks = await replayEntries(changed);
  const failed = checks.find((c) => c.id === 'replay_apply')!;
  assert.equal(failed.status, 'fail');
  assert.match(failed.detail!, /do not hash/);
  assert.equal(failed.where!.entry, changed.find((e) => e.act === 'vote_closed')!.seq);

  const dropped = org.log.filter((_, i) => i !== at + 1).map((e, i) => ({ ...e, seq: i }) as Entry);
  const failed2 = (await replayEntries(dropped)).find((c) => c.id === 'replay_apply')!;
  assert.equal(failed2.status, 'fail');
  assert.match(failed2.detail!, /result parts|out of place/);
});

test('a small report stays in its vote_closed entry', () => {
  const { org, vote } = largeRankedVote('schulze', 20, 5);
  const closed = org.log.find((e) => e.act === 'vote_closed')!;
  assert.ok(closed.act === 'vote_closed');
  assert.equal(org.log.filter((e) => e.act === 'vote_result_part').length, 0);
  assert.deepEqual(closed.payload.result, vote.result);
  assert.equal(closed.payload.resultParts, undefined);
});

test('a petition rising under 990 councils opens with a small entry; its thresholds are derived', () => {
  const { councils, workplaces } = bigTree();
  const org = new PureOrg();
  org.must(
    organisation({
      name: 'A large federation',
      councils,
      founders: workplaces.flatMap((w, i) =>
        Array.from({ length: 1 + (i % 4) }, (_, k) => ({ memberId: `m${i}_${k}`, name: 'M', councilId: w })),
      ),
    }),
    null,
  );
  // Region 0's 110 workplaces sign a rising petition to region 0; opened from its first workplace.
  const region = councils[1]!.id;
  const entries = org.must(
    {
      type: 'open_petition',
      kind: 'agenda',
      councilId: workplaces[0]!,
      targetCouncilId: region,
      title: 'Put it on the agenda',
      text: 'x'.repeat(20_000),
    },
    'm0_0',
  );
  assertAllFit(entries);
  const opened = entries.find((e) => e.act === 'petition_opened')!;
  assert.ok(opened.act === 'petition_opened' && opened.payload.required === undefined);
  const petition = org.state.power.petitions.get(opened.payload.petitionId)!;
  const children = org.state.councils.get(region)!.childIds;
  assert.equal(Object.keys(petition.required).length, children.length);
  // One member of a council of 1 signs alone; the default threshold is a share of the council, at least 1.
  assert.equal(petition.required[workplaces[0]!], 1);
  assert.ok(Object.values(petition.required).every((n) => n >= 1));
});

test('an expulsion a council of 20,000 approves: the request lists no approvers, the state knows them', () => {
  const org = new PureOrg();
  org.must(
    organisation({
      name: 'Assembly',
      councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
      founders: Array.from({ length: 20_000 }, (_, i) => ({
        memberId: `member_${i}`,
        name: `M ${i}`,
        councilId: 'all',
      })),
    }),
    null,
  );
  const entries = org.must(
    { type: 'request_act', kind: 'expel_member', content: { memberId: 'member_7', reason: 'Fraud' } },
    'member_0',
  );
  assertAllFit(entries);
  const requested = entries.find((e) => e.act === 'privileged_act_requested')!;
  assert.ok(requested.act === 'privileged_act_requested');
  assert.equal(requested.payload.approvers, undefined);
  assert.deepEqual(requested.payload.excluded, ['member_7']);
  assert.ok(encodeEntry(requested).length < 2_000);
  const r = org.state.power.requests.get(requested.payload.requestId)!;
  assert.equal(r.approvers.length, 19_999);
  assert.ok(!r.approvers.includes('member_7'));
  // The one to be expelled cannot approve; anyone else can.
  const self = org.run({ type: 'approve_request', requestId: r.id } as never, 'member_7');
  assert.ok(!self.ok && self.code === 'not_an_approver');
});

test('older entries that list thresholds, approvers or a whole report apply with exactly those', () => {
  const org = new PureOrg();
  org.must(
    organisation({
      name: 'Old',
      councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
      founders: ['a', 'b', 'c'].map((m) => ({ memberId: m, name: m, councilId: 'all' })),
    }),
    null,
  );
  const at = (act: string, actor: string | null, payload: unknown) =>
    apply(org.state, { seq: org.state.size, act, actor, time: org.now(), payload } as Entry);
  at('petition_opened', 'a', {
    petitionId: 'petition_old',
    kind: 'agenda',
    councilId: 'all',
    targetCouncilId: null,
    mandateId: null,
    title: 'Old',
    text: '',
    deadline: '2026-02-01T00:00:00.000Z',
    required: { all: 3 },
    councilsRequired: 1,
  });
  assert.deepEqual(org.state.power.petitions.get('petition_old')!.required, { all: 3 });
  at('privileged_act_requested', 'a', {
    requestId: 'request_old',
    kind: 'rotate_log_key',
    content: { verifierKey: 'k' },
    contentHash: '00',
    councilId: 'all',
    authority: { by: 'council', council: 'root', threshold: { num: 1, den: 2 } },
    approvers: ['a', 'b'],
    required: 1,
    expiresAt: '2026-02-01T00:00:00.000Z',
  });
  assert.deepEqual(org.state.power.requests.get('request_old')!.approvers, ['a', 'b']);
});

test('a motion moved with alternatives too long for one entry is refused naming the field, with the way out', () => {
  const org = new PureOrg();
  org.must(
    organisation({
      name: 'Small',
      councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
      founders: [{ memberId: 'm', name: 'M', councilId: 'all' }],
    }),
    null,
  );
  const long = { title: 'Long', text: 'x'.repeat(20_000) };
  const move = (alternatives: { title: string; text: string }[]) =>
    org.run({ type: 'move_motion', councilId: 'all', title: 'Big', text: '', alternatives }, 'm');
  assert.throws(
    () => move([long, long, long, long]),
    (e: unknown) =>
      e instanceof InvalidCommand &&
      e.field === 'alternatives' &&
      /propose the long ones one by one/.test(e.message),
  );
  assert.equal(org.state.motions.size, 0);
  // The way out: move it with three, propose the fourth; every entry fits.
  const entries = move([long, long, long]);
  assert.ok(entries.ok);
  const m = motionId(entries.entries);
  const proposed = org.must({ type: 'propose_alternative', motionId: m, ...long }, 'm');
  assertAllFit([...entries.entries, ...proposed]);
  assert.equal(org.state.motions.get(m)!.alternatives.length, 4);
});

test('a motion of 20,000 characters in a three-byte script fits: its single proposal is not written twice', async () => {
  const org = new PureOrg();
  org.must(
    organisation({
      name: 'Small',
      councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
      founders: [{ memberId: 'm', name: 'M', councilId: 'all' }],
    }),
    null,
  );
  const text = '議'.repeat(20_000);
  const entries = org.must({ type: 'move_motion', councilId: 'all', title: '提案', text }, 'm');
  assertAllFit(entries);
  const moved = entries[0]!;
  assert.ok(moved.act === 'motion_moved' && moved.payload.alternatives === undefined);
  const motion = org.state.motions.get(motionId(entries))!;
  assert.deepEqual(
    motion.alternatives.map((a) => [a.id, a.title, a.text]),
    [['a1', '提案', text]],
  );
  assert.ok(
    (await replayEntries(org.log)).every((c) => c.status === 'pass'),
    'the replay passes',
  );
  // An older entry (of a shorter text: it held it twice) lists the proposal; it gives the same motion and replays.
  const short = org.must(
    { type: 'move_motion', councilId: 'all', title: '短い', text: '議'.repeat(5_000) },
    'm',
  );
  const older = structuredClone(org.log);
  const m = older.at(-1)!;
  assert.ok(m.act === 'motion_moved');
  m.payload.alternatives = [{ id: 'a1', title: '短い', text: '議'.repeat(5_000) }];
  const checks = await replayEntries(older);
  assert.ok(
    checks.every((c) => c.status === 'pass'),
    JSON.stringify(checks),
  );
  const again = new PureOrg();
  for (const e of older) apply(again.state, e);
  const id = motionId(short);
  assert.deepEqual(again.state.motions.get(id)!.alternatives, org.state.motions.get(id)!.alternatives);
});

test('a petition or a request whose text escapes past the entry limit is refused naming the field', () => {
  const org = new PureOrg();
  org.must(
    organisation({
      name: 'Small',
      councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
      founders: ['a', 'b'].map((m) => ({ memberId: m, name: m, councilId: 'all' })),
    }),
    null,
  );
  // 20,000 control characters: within the character limit, but each is six bytes (\u0001) in the entry.
  const text = '\u0001'.repeat(20_000);
  const field = (f: string) => (e: unknown) =>
    e instanceof InvalidCommand && e.field === f && /over the record's limit of 65535/.test(e.message);
  assert.throws(
    () => org.run({ type: 'open_petition', kind: 'agenda', councilId: 'all', title: 'T', text }, 'a'),
    field('text'),
  );
  assert.throws(
    () =>
      org.run({ type: 'request_act', kind: 'expel_member', content: { memberId: 'b', reason: text } }, 'a'),
    field('content'),
  );
  assert.equal(org.state.power.petitions.size, 0);
  assert.equal(org.state.power.requests.size, 0);
});
