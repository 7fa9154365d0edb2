// The council tree page comes a page of councils at a time, top-down (docs/SCALE.md): an organisation of 130
// councils shows the first 100 with how many there are and "More councils", which draws the rest under their
// region; the last page has no "More".
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { organisation } from '../support/factory.ts';
import { assertAccessible, joinByApi, personPage, startWeb, type WebFixture } from './harness.ts';

const regions = 3;
const bases = 126;

const wide = organisation({
  name: 'Wide Federation',
  councils: [
    { id: 'fed', name: 'Federation Council', parentId: null, seatsInParent: 0 },
    ...Array.from({ length: regions }, (_, r) => ({
      id: `r${r}`,
      name: `Region ${r}`,
      parentId: 'fed',
      seatsInParent: 1,
    })),
    ...Array.from({ length: bases }, (_, b) => ({
      id: `b${String(b).padStart(3, '0')}`,
      name: `Workplace ${b}`,
      parentId: `r${b % regions}`,
      seatsInParent: 1,
    })),
  ],
  founders: [],
  invitations: [{ name: 'Ana Ruiz', councilId: 'b000' }],
});

describe('the tree page in pages', () => {
  let f: WebFixture;
  before(async () => {
    f = await startWeb(wide);
  });
  after(async () => {
    await f?.close();
  });

  test('130 councils: the first 100 drawn, "More councils" draws the rest under their regions', async () => {
    const ana = await personPage(f);
    await joinByApi(f, ana, 'ana');
    await ana.goto('/tree');
    await ana.getByText('100 of 130 councils shown').waitFor();
    const links = ana.locator('.tree a.node-name');
    assert.equal(await links.count(), 100);
    // Top-down: the root, region 0 and its 42 workplaces, region 1 and its 42, region 2 and the first 13 of its.
    assert.equal(await ana.getByRole('link', { name: 'Workplace 125' }).count(), 0);
    await assertAccessible(ana, 'tree, first page');
    await ana.getByRole('button', { name: 'More councils' }).click();
    await ana.getByRole('link', { name: 'Workplace 125' }).waitFor();
    assert.equal(await links.count(), 130);
    assert.equal(await ana.getByRole('button', { name: 'More councils' }).count(), 0);
    // A workplace of the second page sits under its region, drawn on the first (its own item is the innermost).
    const region2 = ana.locator('li.tnode', {
      has: ana.getByRole('link', { name: 'Region 2', exact: true }),
    });
    await region2.getByRole('link', { name: 'Workplace 125' }).waitFor();
    const w125 = ana
      .locator('li.tnode', {
        has: ana.getByRole('link', { name: 'Workplace 125', exact: true }),
      })
      .last();
    await w125.getByText('sends 1 deputy to Region 2').waitFor();
  });
});
