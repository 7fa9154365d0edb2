// Pay schemes decided by a council (docs/PAY.md "Decisions"): a pay motion adopts a scheme into the log, a
// rejected one leaves the current scheme, replay re-decides it, and the entry limit is a clear error.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  allKeys,
  apply,
  currentScheme,
  emptyState,
  parseConstitution,
  payVisibility,
  projectRow,
  replayEntries,
  InvalidCommand,
  type Entry,
} from '../../../src/core/index.ts';
import { foundFederation, motionId, voteId, type PureOrg } from '../../support/pure-org.ts';

const current = JSON.parse(readFileSync('examples/pay/current-scheme.json', 'utf8')) as Record<
  string,
  unknown
>;
const proposed = JSON.parse(readFileSync('examples/pay/proposed-scheme.json', 'utf8')) as Record<
  string,
  unknown
>;

function movePay(org: PureOrg, scheme: unknown, who = 'ana'): string {
  return motionId(
    org.must(
      { type: 'move_pay_motion', councilId: 'north', title: 'Pay scheme', text: 'Adopt it.', scheme },
      who,
    ),
  );
}

function decide(org: PureOrg, m: string, choice: string): Entry[] {
  const v = voteId(org.must({ type: 'open_vote', motionId: m }, 'ana'));
  org.must({ type: 'cast_ballot', voteId: v, ballot: { choice } }, 'ana');
  org.must({ type: 'cast_ballot', voteId: v, ballot: { choice } }, 'ben');
  return org.must({ type: 'cast_ballot', voteId: v, ballot: { choice } }, 'cai');
}

describe('pay motions', () => {
  test('an adopted pay motion makes its scheme the council’s next version; a rejected one changes nothing', async () => {
    const org = foundFederation();
    assert.equal(currentScheme(org.state, 'north'), null);
    const m1 = movePay(org, current);
    assert.equal(org.state.motions.get(m1)!.kind, 'pay');
    const closing = decide(org, m1, 'a1');
    const adopted = closing.find((e) => e.act === 'pay_scheme_adopted');
    assert.ok(adopted && adopted.act === 'pay_scheme_adopted');
    assert.equal(adopted.payload.version, 1);
    assert.equal(adopted.payload.scheme.id, current.id);
    assert.equal(currentScheme(org.state, 'north')!.version, 1);
    assert.equal(currentScheme(org.state, 'south'), null);

    const m2 = movePay(org, proposed);
    const rejected = decide(org, m2, 'against');
    assert.ok(!rejected.some((e) => e.act === 'pay_scheme_adopted'));
    assert.equal(currentScheme(org.state, 'north')!.scheme.id, current.id);

    const m3 = movePay(org, proposed);
    // A second alternative must carry a scheme too.
    assert.throws(
      () => org.run({ type: 'propose_alternative', motionId: m3, title: 'Same', text: '' }, 'ben'),
      (e: unknown) => e instanceof InvalidCommand && e.field === 'scheme',
    );
    org.must(
      { type: 'propose_alternative', motionId: m3, title: 'Old again', text: '', scheme: current },
      'ben',
    );
    decide(org, m3, 'a1');
    const now = currentScheme(org.state, 'north')!;
    assert.equal(now.version, 2);
    assert.equal(now.scheme.id, proposed.id);
    assert.equal(now.motionId, m3);

    // Replay re-decides every act and checks the adoption follows from the vote.
    const checks = await replayEntries(org.log);
    for (const c of checks) assert.equal(c.status, 'pass', `${c.id}: ${c.detail}`);

    // The projection rows equal those of a replayed state.
    const replayed = emptyState();
    for (const e of org.log) apply(replayed, e);
    const rows = (s: typeof replayed) =>
      allKeys(s)
        .filter((k) => k.table.startsWith('pay_'))
        .map((k) => projectRow(s, k.table, k.key));
    assert.deepEqual(rows(replayed), rows(org.state));
    assert.equal(rows(org.state).length, 2);
  });

  test('replay refuses an adoption no vote made, or a scheme other than the one voted on', async () => {
    const org = foundFederation();
    const m = movePay(org, current);
    decide(org, m, 'a1');
    const forged = org.log.map((e) =>
      e.act === 'pay_scheme_adopted'
        ? { ...e, payload: { ...e.payload, scheme: { ...e.payload.scheme, baseRate: 999_999 } } }
        : e,
    );
    const checks = await replayEntries(forged);
    const rules = checks.find((c) => c.id === 'replay_rules')!;
    assert.equal(rules.status, 'fail');
    assert.match(rules.detail!, /not the one voted on/);
  });

  test('a malformed scheme is refused naming the field, and nothing is logged', () => {
    const org = foundFederation();
    const size = org.state.size;
    const bad = { ...current, grades: [{ id: '1', coefficient: 'one' }] };
    assert.throws(
      () =>
        org.run({ type: 'move_pay_motion', councilId: 'north', title: 'x', text: '', scheme: bad }, 'ana'),
      (e: unknown) => e instanceof InvalidCommand && e.field === 'scheme.grades[0].coefficient',
    );
    assert.equal(org.state.size, size);
  });

  test('a scheme too large for one log entry is refused with a clear error', () => {
    const org = foundFederation();
    const grades = Array.from({ length: 3_000 }, (_, i) => ({
      id: `grade-${i}`,
      name: `a long grade name number ${i}`,
      coefficient: '1',
    }));
    assert.throws(
      () =>
        org.run(
          {
            type: 'move_pay_motion',
            councilId: 'north',
            title: 'x',
            text: '',
            scheme: { ...current, grades },
          },
          'ana',
        ),
      (e: unknown) => e instanceof InvalidCommand && e.field === 'scheme' && /65535|entry/.test(e.message),
    );
  });

  test('only members of the council move pay motions and record workforce imports', () => {
    const org = foundFederation();
    const r = org.run(
      { type: 'move_pay_motion', councilId: 'north', title: 'x', text: '', scheme: current },
      'dan',
    );
    assert.ok(!r.ok && r.code === 'not_a_member');
    const sha256 = 'a'.repeat(64);
    const w = org.run({ type: 'record_workforce', councilId: 'north', sha256, workers: 3 }, 'dan');
    assert.ok(!w.ok && w.code === 'not_a_member');
    org.must({ type: 'record_workforce', councilId: 'north', sha256, workers: 3 }, 'ana');
    assert.equal(org.state.pay.get('north')!.imports[0]!.sha256, sha256);
    assert.throws(
      () => org.run({ type: 'record_workforce', councilId: 'north', sha256: 'xyz', workers: 3 }, 'ana'),
      (e: unknown) => e instanceof InvalidCommand && e.field === 'sha256',
    );
  });

  test('the constitution keeps individual pay private unless it says otherwise', () => {
    assert.equal(payVisibility(parseConstitution(undefined)), 'aggregates');
    assert.equal(payVisibility(parseConstitution({ payVisibility: 'individuals' })), 'individuals');
    assert.throws(
      () => parseConstitution({ payVisibility: 'everyone' }),
      (e: unknown) => e instanceof InvalidCommand && e.field === 'constitution.payVisibility',
    );
  });
});
