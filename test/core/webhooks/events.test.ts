// Which entries make webhook events and for which endpoints (src/core/webhooks/events.ts): only the catalogue's acts
// (never a ballot, open or secret, nor a secret vote's board), a draft motion not until it is debated, an endpoint of
// a council only its own council's events and those below it, and the body is the entry itself.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  endpointsFor,
  webhookActs,
  webhookBody,
  webhookEventActs,
  webhookEventOf,
  type Entry,
  type WebhookEndpoint,
} from '../../../src/core/index.ts';
import { foundFederation, motionId, voteId } from '../../support/pure-org.ts';

function endpoint(id: string, councilId: string | null, removedAt: string | null = null): WebhookEndpoint {
  return {
    id,
    url: `https://${id}.example/hook`,
    events: ['motion.moved', 'vote.opened'],
    councilId,
    requestId: `request_${id}`,
    registeredAt: '2026-01-05T09:00:00.000Z',
    secretRequestId: `request_${id}`,
    previousSecretRequestId: null,
    rotatedAt: null,
    removedAt,
  };
}

describe('webhook events', () => {
  test('the acts that make events are exactly the catalogue; no ballot or board entry is one', () => {
    assert.deepEqual([...webhookActs].sort(), Object.values(webhookEventActs).sort());
    for (const act of [
      'ballot_cast',
      'board_posted',
      'comment_posted',
      'member_key_registered',
      'approval_given',
    ])
      assert.equal(webhookActs.has(act), false, act);
  });

  test('a motion, a vote and its ballots: events for the motion and the vote, none for a ballot', () => {
    const org = foundFederation();
    const moved = org.must(
      { type: 'move_motion', councilId: 'north', title: 'Canteen', text: 'Open it.' },
      'ana',
    );
    const m = motionId(moved);
    const opened = org.must({ type: 'open_vote', motionId: m }, 'ana');
    const cast = org.must({ type: 'cast_ballot', voteId: voteId(opened), ballot: { choice: 'a1' } }, 'ben');
    const events = (entries: Entry[]) =>
      entries.map((e) => webhookEventOf(org.state, e)).filter((x) => x !== null);
    assert.deepEqual(events(moved), [{ type: 'motion.moved', councilId: 'north' }]);
    assert.deepEqual(events(opened), [{ type: 'vote.opened', councilId: 'north' }]);
    const ballot = cast.find((e) => e.act === 'ballot_cast');
    assert.ok(ballot);
    assert.equal(webhookEventOf(org.state, ballot), null);
  });

  test('an endpoint of a council gets its own and lower councils’ events; removed or unsubscribed ones none', () => {
    const org = foundFederation();
    const whole = endpoint('whole', null);
    const fed = endpoint('fed', 'fed');
    const north = endpoint('north', 'north');
    const south = endpoint('south', 'south');
    const gone = endpoint('gone', null, '2026-01-05T09:00:00.000Z');
    const other = { ...endpoint('other', null), events: ['petition.opened' as const] };
    for (const e of [whole, fed, north, south, gone, other]) org.state.power.webhooks.set(e.id, e);
    const [inNorth] = org.must({ type: 'move_motion', councilId: 'north', title: 'N', text: 'N.' }, 'ana');
    const [inSouth] = org.must({ type: 'move_motion', councilId: 'south', title: 'S', text: 'S.' }, 'dan');
    const ids = (entry: Entry) => endpointsFor(org.state, webhookEventOf(org.state, entry)!).map((e) => e.id);
    assert.deepEqual(ids(inNorth!), ['whole', 'fed', 'north']);
    assert.deepEqual(ids(inSouth!), ['whole', 'fed', 'south']);
  });

  test('the body is the entry, with the organisation and council, in Standard Webhooks’ shape', () => {
    const org = foundFederation();
    const [e] = org.must({ type: 'move_motion', councilId: 'north', title: 'T', text: 'X.' }, 'ana');
    const body = JSON.parse(webhookBody('org_1', e!, webhookEventOf(org.state, e!)!));
    assert.deepEqual(body, {
      type: 'motion.moved',
      timestamp: e!.time,
      data: {
        organisation: 'org_1',
        council: 'north',
        seq: e!.seq,
        act: e!.act,
        actor: 'ana',
        time: e!.time,
        payload: JSON.parse(JSON.stringify(e!.payload)),
      },
    });
  });
});
