// What one scheduler pass reads of the items that are not due (docs/SCALE.md "The scheduler's scans"): nothing.
// Motions waiting for seconders are read from the index of when they began to wait, not one by one to compute
// each one's lapse (dueLapses walked every waiting motion, a read each, every second); sealed records whose key
// their sealer keeps (`keyKeptBy`) are never in the index of due records. What falls due is still acted on, and an
// amendment of the lapse's days moves every waiting motion's lapse at once.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  apply,
  dueLapses,
  dueLapsesByScan,
  dueSealedRecords,
  emptyState,
  InvalidCommand,
  replayEntries,
  type Command,
  type Entry,
  type Motion,
} from '../../../src/core/index.ts';
import { seal } from '../../../src/record/index.ts';
import { members } from '../../support/factory.ts';
import { amendConstitution, motionId, PureOrg, registerKeys } from '../../support/pure-org.ts';

const day = 24 * 60;

/** A map that counts the reads of its entries (get, has, and any walk). */
class CountedMap<K, V> extends Map<K, V> {
  reads = 0;
  override get(k: K) {
    this.reads++;
    return super.get(k);
  }
  override has(k: K) {
    this.reads++;
    return super.has(k);
  }
  override values() {
    this.reads++;
    return super.values();
  }
  override entries() {
    this.reads++;
    return super.entries();
  }
  override keys() {
    this.reads++;
    return super.keys();
  }
  override forEach(...args: Parameters<Map<K, V>['forEach']>) {
    this.reads++;
    super.forEach(...args);
  }
  override [Symbol.iterator]() {
    this.reads++;
    return super[Symbol.iterator]();
  }
}

function council(procedure: Record<string, unknown>): PureOrg {
  const org = new PureOrg();
  org.must(
    {
      type: 'found_organisation',
      name: 'Works council',
      councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
      founders: members('all', 'Ana', 'Ben', 'Cai'),
      constitution: { procedure },
    },
    null,
  );
  return org;
}

const move = (title: string): Command => ({ type: 'move_motion', councilId: 'all', title, text: '' });

/** `n` motions waiting for seconders, an hour apart; their ids in the order moved. */
function waiting(org: PureOrg, n: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(motionId(org.must(move(`Motion ${i}`), 'ana')));
    org.advanceMinutes(60);
  }
  return ids;
}

/** What `read` reads of the state's motions. */
function motionReads<T>(org: PureOrg, read: () => T): { result: T; reads: number } {
  const real = org.state.motions;
  const counted = new CountedMap<string, Motion>(real);
  org.state.motions = counted;
  try {
    return { result: read(), reads: counted.reads };
  } finally {
    org.state.motions = real;
  }
}

describe('a scheduler pass reads nothing of what is not due', () => {
  test('motions waiting for seconders: none read; those due lapse, in the order they began to wait', () => {
    const org = council({ unsecondedLapseDays: 3 });
    const ids = waiting(org, 40);
    const seconded = ids[5]!;
    org.must({ type: 'second_motion', motionId: seconded }, 'ben');
    const none = motionReads(org, () => dueLapses(org.state, org.now()));
    assert.deepEqual(none, { result: [], reads: 0 }, 'nothing due: no motion read');
    // three days after the first began to wait: the first ten are due (moved an hour apart, 40 hours ago)
    org.advanceMinutes(3 * day - 40 * 60 + 9 * 60);
    const due = motionReads(org, () => dueLapses(org.state, org.now()));
    const expected = ids.slice(0, 10).filter((id) => id !== seconded);
    assert.deepEqual(due, { result: expected, reads: 0 });
    assert.deepEqual(due.result, dueLapsesByScan(org.state, org.now()));
    // the scheduler's act on each: lapsed, and none due until the next falls due
    for (const id of due.result) org.must({ type: 'lapse_motion', motionId: id }, null);
    assert.deepEqual(
      expected.map((id) => org.state.motions.get(id)!.state),
      expected.map(() => 'lapsed'),
    );
    assert.deepEqual(dueLapses(org.state, org.now()), []);
    org.advanceMinutes(60);
    assert.deepEqual(dueLapses(org.state, org.now()), [ids[10]]);
  });

  test("an amendment of the lapse's days moves every waiting motion's lapse", () => {
    const org = council({ unsecondedLapseDays: 30 });
    const ids = waiting(org, 5); // the last began to wait 1 hour ago, the first 5
    org.advanceMinutes(2 * day - 3 * 60); // 2 days after the third began to wait
    assert.deepEqual(dueLapses(org.state, org.now()), []);
    // the council amends its procedure (PureOrg checks the index against the scan after each entry)
    registerKeys(org, 'ana', 'ben', 'cai');
    amendConstitution(org, { procedure: { unsecondedLapseDays: 2 } }, 'ana', ['ana', 'ben', 'cai']);
    assert.equal(org.state.org!.constitution.procedure!.unsecondedLapseDays, 2);
    assert.deepEqual(dueLapses(org.state, org.now()), dueLapsesByScan(org.state, org.now()));
    assert.deepEqual(dueLapses(org.state, org.now()), ids.slice(0, 3));
  });

  test('a sealed record whose sealer keeps the key is never due: the index holds only the service’s', async () => {
    const org = council({});
    const base64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
    const sealOne = (i: number, minutes: number, keyKeptBy?: 'service' | 'sealer') => {
      const content = new TextEncoder().encode(`record ${i}`);
      const release = { at: new Date(org.t + minutes * 60_000).toISOString() };
      const { sealed, key } = seal(content, 'Minutes', release, (n) => new Uint8Array(n).fill(i));
      const seq = org.state.size;
      const [e] = org.must(
        {
          type: 'seal_record',
          councilId: 'all',
          label: 'Minutes',
          commitment: sealed.commitment,
          release,
          ...(keyKeptBy ? { keyKeptBy } : {}),
        },
        'ana',
      );
      // the entry says who keeps the key only when the command did: one without it is the entry it always was
      assert.deepEqual(e!.payload, { councilId: 'all', ...sealed, ...(keyKeptBy ? { keyKeptBy } : {}) });
      return { seq, at: release.at, key: base64(key), content: base64(content) };
    };
    const kept = [1, 2, 3].map((i) => sealOne(i, 60, 'sealer'));
    const service = sealOne(4, 60, 'service');
    const older = sealOne(5, 60); // as entries were written before keyKeptBy: the service's
    const later = sealOne(6, 120, 'service');
    const other = { type: 'seal_record', councilId: 'all', label: 'Minutes', commitment: kept[0]!.key };
    assert.throws(
      () =>
        org.run({ ...other, release: { at: later.at }, keyKeptBy: 'operator' } as unknown as Command, 'ana'),
      (e) => e instanceof InvalidCommand && e.field === 'keyKeptBy',
    );
    org.advanceMinutes(61);
    assert.deepEqual(dueSealedRecords(org.state, org.now()), [service.seq, older.seq]);
    assert.equal(org.state.due.sealed.has(kept[0]!.seq), false, 'not in the index at all');
    org.advanceMinutes(60);
    assert.deepEqual(dueSealedRecords(org.state, org.now()), [service.seq, older.seq, later.seq]);
    // the sealer's own reveal is taken as any reveal is
    const [first] = kept;
    org.must(
      { type: 'reveal_record', sealedSeq: first!.seq, key: first!.key, content: first!.content },
      'ben',
    );
    assert.notEqual(org.state.sealed.get(first!.seq)!.revealedAt, null);
    // `councils verify` decides every entry again: both kinds of entry, and the older one, replay as logged
    const checks = await replayEntries(org.log);
    const rules = checks.find((c) => c.id === 'replay_rules')!;
    assert.equal(rules.status, 'pass', JSON.stringify(rules));
    // A log written by hand whose entry says something seal_record refuses (an empty keeper, review 1 of session
    // 13) is named by the replay, and the state still files the record as the service's: only an entry that says
    // "sealer" takes a record out of the scheduler's hands.
    for (const forgedKeeper of ['', 'operator']) {
      const forged = org.log.map((e) =>
        e.seq === service.seq ? ({ ...e, payload: { ...e.payload, keyKeptBy: forgedKeeper } } as Entry) : e,
      );
      const forgedRules = (await replayEntries(forged)).find((c) => c.id === 'replay_rules')!;
      assert.equal(forgedRules.status, 'fail', `keyKeptBy ${JSON.stringify(forgedKeeper)}`);
      const state = emptyState();
      for (const e of forged) apply(state, e);
      assert.equal(state.sealed.get(service.seq)!.keyKeptBy, 'service');
      assert.equal(state.due.sealed.has(service.seq), true, 'still the scheduler’s to reveal');
    }
  });
});
