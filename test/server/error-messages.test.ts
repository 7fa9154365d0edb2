// Parameters that look like a moment are shown as a local date only when they are one: a member's text shaped like
// an ISO moment (a council's name, a pay grade's id) must not make the refusal's wording throw (a 500 for a 400).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { localMessage } from '../../src/server/error-messages.ts';

describe('error messages with moments among their parameters', () => {
  test('a real moment is shown the local way; a text shaped like one that is none is shown as it is', () => {
    const said = (name: string) =>
      localMessage(
        'en',
        'invalid_request',
        'detail',
        undefined,
        { name, field: 'councils[1].parent' },
        'unknown_parent',
      );
    assert.doesNotThrow(() => said('2026-99-99T99:99Z'));
    assert.match(said('2026-99-99T99:99Z'), /2026-99-99T99:99Z/);
    assert.match(said('2026-12-07T02:00Z'), /Dec 7, 2026/);
  });
});
