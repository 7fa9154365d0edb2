// A generated workforce and the example pay scheme, for the payroll's tests (test/server/list-paging.test.ts) and
// benchmarks (bench/list-pages.bench.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.ts';

/** examples/pay/current-scheme.json: a scheme of eight grades. */
export const scheme = JSON.parse(
  readFileSync(join(repoRoot, 'examples', 'pay', 'current-scheme.json'), 'utf8'),
) as Record<string, unknown>;

/** A workforce of `n` workers (up to 100,003) over the scheme's eight grades, its ids not in sorted order. */
export const workforceCsv = (n: number): string =>
  ['id,grade,hours,output']
    .concat(
      Array.from(
        { length: n },
        (_, i) =>
          `w${(i * 7919) % 100_003},${1 + (i % 8)},${150 + (i % 30)},${(0.9 + (i % 5) / 10).toFixed(2)}`,
      ),
    )
    .join('\n') + '\n';
