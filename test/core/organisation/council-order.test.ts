// A council's position is its place in the state's map of councils, found through an index kept per map. A council
// removed and the same id added again in one batch (a dissolution and a creation approved together) leaves the
// map's size and keys as they were but its order changed; the position must follow the order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { councilPosition, deleteCouncil } from '../../../src/core/organisation/council-order.ts';

const positions = (councils: Map<string, unknown>) =>
  [...councils.keys()].map((k) => councilPosition(councils, k));

test('a council removed and added again in one batch is at the end, and those after it move up', () => {
  const councils = new Map<string, unknown>([
    ['all', {}],
    ['north', {}],
    ['south', {}],
    ['east', {}],
  ]);
  assert.deepEqual(positions(councils), [0, 1, 2, 3]);
  deleteCouncil(councils, 'north');
  councils.set('north', {});
  assert.deepEqual([...councils.keys()], ['all', 'south', 'east', 'north']);
  assert.equal(councilPosition(councils, 'north'), 3);
  assert.equal(councilPosition(councils, 'south'), 1);
  assert.equal(councilPosition(councils, 'east'), 2);
  // Two removed and added again in the other order: size, keys and the last key all as before.
  deleteCouncil(councils, 'south');
  deleteCouncil(councils, 'north');
  councils.set('south', {});
  councils.set('north', {});
  assert.deepEqual(positions(councils), [0, 1, 2, 3]);
  assert.equal(councilPosition(councils, 'east'), 1);
  assert.equal(councilPosition(councils, 'gone'), -1);
});
