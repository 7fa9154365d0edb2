// Retry-After as a webhook receiver may send it with a 429 or 503 (RFC 9110 §10.2.3: delay-seconds or an
// HTTP-date), and how far it may put a delivery's next attempt off (docs/NOTIFICATIONS.md "Deliveries").
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  retryAfterCapSeconds,
  retryAfterSeconds,
  retryAt,
  retryDelaysSeconds,
} from '../../../src/server/webhooks/sender.ts';

const now = Date.parse('2026-12-07T01:00:00.000Z');
const delayOf = (iso: string) => (Date.parse(iso) - now) / 1000;

describe('Retry-After', () => {
  test('delay-seconds and the three HTTP-date forms are read; anything else says nothing', () => {
    assert.equal(retryAfterSeconds('120', now), 120);
    assert.equal(retryAfterSeconds(' 0 ', now), 0);
    assert.equal(retryAfterSeconds('Mon, 07 Dec 2026 01:10:00 GMT', now), 600);
    assert.equal(retryAfterSeconds('Monday, 07-Dec-26 01:10:00 GMT', now), 600);
    assert.equal(retryAfterSeconds('Mon Dec  7 01:10:00 2026', now), 600, 'asctime, which is GMT');
    assert.equal(retryAfterSeconds('Sun, 06 Dec 2026 01:00:00 GMT', now), 0, 'a date past is now');
    for (const bad of [undefined, '', '-5', '1.5', '2026-12-07T01:10:00Z', 'soon', '12 parsecs', 'Mon 5'])
      assert.equal(retryAfterSeconds(bad, now), null, String(bad));
  });

  test('it puts an attempt off, never earlier than the schedule and at most an hour (or the schedule) later', () => {
    for (let i = 0; i < 50; i++) {
      // the schedule alone: its delay plus up to 10% jitter
      const first = delayOf(retryAt(now, 1));
      assert.ok(first >= 5 && first <= 5.5, `${first}`);
      // asked for less than the schedule: the schedule
      const less = delayOf(retryAt(now, 2, 10));
      assert.ok(less >= 300 && less <= 330, `${less}`);
      // asked for more: what was asked
      assert.equal(delayOf(retryAt(now, 1, 120)), 120);
      // asked for days: an hour
      assert.equal(delayOf(retryAt(now, 1, 10 * 86_400)), retryAfterCapSeconds);
      // past an hour's schedule, the schedule's delay is the cap
      const late = delayOf(retryAt(now, 9, 10 * 86_400));
      assert.ok(late >= retryDelaysSeconds[8] && late <= retryDelaysSeconds[8] * 1.1, `${late}`);
    }
  });
});
