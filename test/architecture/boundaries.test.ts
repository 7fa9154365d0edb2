// The dependency rules of docs/ARCHITECTURE.md are enforced by the lint (eslint.config.js): an import across a
// forbidden boundary fails, an allowed one passes, and React's rules of hooks hold in the web app.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const eslint = new ESLint();

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

const forbidden: [file: string, code: string, rule: RegExp][] = [
  [
    'src/web/x.ts',
    "import { openDatabase } from '../store/database.ts';\nexport { openDatabase };\n",
    /src\/store/,
  ],
  ['src/web/x.ts', "import { buildApp } from '../server/app.ts';\nexport { buildApp };\n", /src\/server/],
  [
    'src/web/x.ts',
    "import { Org } from '../server/responses/organisation.ts';\nexport { Org };\n",
    /types only/,
  ],
  ['src/web/x.ts', "import { loadConfig } from '../config.ts';\nexport { loadConfig };\n", /configuration/],
  [
    'src/core/x.ts',
    "import { RecordKeeper } from '../node/record-keeper.ts';\nexport { RecordKeeper };\n",
    /src\/node/,
  ],
  [
    'src/store/x.ts',
    "import { RecordKeeper } from '../node/record-keeper.ts';\nexport { RecordKeeper };\n",
    /src\/node/,
  ],
  ['src/node/x.ts', "import { buildApp } from '../server/app.ts';\nexport { buildApp };\n", /src\/server/],
  ['src/server/x.ts', "import { main } from '../cli/main.ts';\nexport { main };\n", /src\/cli/],
  ['src/cli/x.ts', "import { App } from '../web/app.tsx';\nexport { App };\n", /src\/web/],
  ['src/lib/x.ts', "import { toHex } from '../record/bytes.ts';\nexport { toHex };\n", /imports nothing/],
  ['src/count/x.ts', "import { emptyState } from '../core/index.ts';\nexport { emptyState };\n", /src\/core/],
  [
    'src/core/kernel/x.ts',
    "import type { Motion } from '../motions/types.ts';\nexport type { Motion };\n",
    /kernel imports no feature/,
  ],
  [
    'src/core/kernel/x.ts',
    "import { emptyState } from '../model.ts';\nexport { emptyState };\n",
    /kernel imports no feature/,
  ],
];

test('an import across a forbidden boundary fails the lint', async () => {
  for (const [file, code, rule] of forbidden) {
    const found = await problems(file, code);
    assert.ok(
      found.some((p) => /no-restricted-imports/.test(p) && rule.test(p)),
      `${file}: ${code.split('\n')[0]} → ${found.join('; ') || 'no problem'}`,
    );
  }
});

test('allowed imports pass', async () => {
  for (const [file, code] of [
    ['src/web/x.ts', "import { toHex } from '../lib/bytes.ts';\nexport { toHex };\n"],
    [
      'src/web/x.ts',
      "import type { Org } from '../server/responses/organisation.ts';\nexport type { Org };\n",
    ],
    ['src/core/x.ts', "import { gcd } from '../lib/rational.ts';\nexport { gcd };\n"],
    [
      'src/core/kernel/x.ts',
      "import { canonicalJson } from '../../record/index.ts';\nexport { canonicalJson };\n",
    ],
    [
      'src/server/x.ts',
      "import { RecordKeeper } from '../node/record-keeper.ts';\nexport { RecordKeeper };\n",
    ],
  ] as const)
    assert.deepEqual(await problems(file, code), [], `${file}: ${code.split('\n')[0]}`);
});

test("React's rules of hooks hold in the web app", async () => {
  const code = [
    "import { useState } from 'react';",
    'export function Counter({ on }: { on: boolean }) {',
    '  if (on) {',
    '    const [n] = useState(0);',
    '    return n;',
    '  }',
    '  return 0;',
    '}',
    '',
  ].join('\n');
  assert.ok((await problems('src/web/x.tsx', code)).some((p) => p.startsWith('react-hooks/rules-of-hooks')));
});
