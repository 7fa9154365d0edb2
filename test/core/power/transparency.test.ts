// The transparency report's order of councils and months (src/core/power/transparency.ts) is the core's, not the
// process's: the same under any locale, so a cursor (a council id) given by one server process pages on in another,
// and every council id is a cursor of its own, also ids a collation would take for equal.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TransparencyTally, type Entry } from '../../../src/core/index.ts';
import { compiled } from '../../support/paths.ts';

/** One request in each council, in months out of order, then the report paged one council at a time. */
function sweep(Tally: typeof TransparencyTally, councils: string[]) {
  const tally = new Tally();
  councils.forEach((councilId, seq) =>
    tally.add({
      seq,
      act: 'privileged_act_requested',
      actor: null,
      time: `2026-${String(12 - (seq % 12)).padStart(2, '0')}-01T00:00:00.000Z`,
      payload: { requestId: `r${seq}`, councilId },
    } as unknown as Entry),
  );
  const pages: string[][] = [];
  let after: string | undefined;
  for (;;) {
    const page = tally.page({ after, limit: 2 })!;
    pages.push(page.councils.map((c) => c.councilId));
    if (page.next === null) return { months: page.byMonth.map((m) => m.month), pages };
    after = page.next;
  }
}

const councils = ['z', 'ä', 'a', 'B', 'å', 'o', 'ö', 'Ω', 'north', 'North', 'é', 'e\u0301', 'e'];

describe('the transparency report’s order', () => {
  test('is the same in a process under any locale (sv-SE puts "ä" after "z", en-US after "a")', () => {
    const module = new URL(`../../../src/core/power/transparency.${compiled ? 'js' : 'ts'}`, import.meta.url);
    const run = (locale: string) => {
      const code = `const { TransparencyTally } = await import(${JSON.stringify(fileURLToPath(module))});
        process.stdout.write(JSON.stringify((${sweep.toString()})(TransparencyTally, ${JSON.stringify(councils)})));`;
      const loader = compiled ? [] : ['--import', 'tsx'];
      const child = spawnSync(process.execPath, [...loader, '--input-type=module', '-e', code], {
        env: { ...process.env, LANG: locale, LC_ALL: locale },
        encoding: 'utf8',
      });
      assert.equal(child.status, 0, child.stderr);
      return JSON.parse(child.stdout) as ReturnType<typeof sweep>;
    };
    const here = sweep(TransparencyTally, councils);
    assert.deepEqual(run('sv_SE.UTF-8'), here);
    assert.deepEqual(run('en_US.UTF-8'), here);
    // Code-point order: months in time order, council ids as the core compares strings.
    assert.deepEqual(here.pages.flat(), [...councils].sort());
    assert.deepEqual(here.months, [...here.months].sort());
  });

  test('pages every council once, also ids a collation takes for equal ("é" and "e" + U+0301)', () => {
    const { pages } = sweep(TransparencyTally, councils);
    assert.equal(pages.flat().length, councils.length);
    assert.deepEqual(new Set(pages.flat()), new Set(councils));
  });
});
