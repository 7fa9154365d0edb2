// Lint: the dependency direction of the layers (docs/ARCHITECTURE.md) is enforced here, not by memory.
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const io = [
  'node:*',
  'fs',
  'path',
  'crypto',
  'os',
  'child_process',
  'worker_threads',
  'pg',
  'better-sqlite3',
  'kysely',
  'fastify',
  '@fastify/*',
  '@node-rs/*',
];
const layer = (name) =>
  name === 'config'
    ? {
        group: ['**/config.ts'],
        message: 'only the CLI reads the configuration (src/config.ts); take values as parameters',
      }
    : { group: [`**/${name}/**`, `**/${name}`], message: `this layer may not import src/${name}` };
const layers = [
  'lib',
  'core',
  'count',
  'record',
  'ballot',
  'store',
  'node',
  'server',
  'cli',
  'web',
  'i18n',
  'config',
];
const except = (...allowed) => layers.filter((l) => !allowed.includes(l));
const importsOnly = (...allowed) => ({
  'no-restricted-imports': ['error', { patterns: except(...allowed).map(layer) }],
});
// An order that depends on the process's locale (and its Node's ICU) is not the core's: what is kept, compared or
// paged on is ordered by code units (src/lib/order.ts); a language's collation is for the browser.
const localeOrder = {
  property: 'localeCompare',
  message: "the process's locale decides it: compare with byCodeUnits (src/lib/order.ts)",
};
const pureRules = (forbiddenLayers) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        { group: io, message: 'pure layers take I/O, time and randomness as parameters' },
        ...forbiddenLayers.map(layer),
      ],
    },
  ],
  'no-restricted-globals': [
    'error',
    { name: 'crypto', message: 'pass randomBytes in' },
    { name: 'process', message: 'pure layers read no environment' },
  ],
  'no-restricted-properties': [
    'error',
    { object: 'Math', property: 'random', message: 'pass randomness in' },
    { object: 'Date', property: 'now', message: 'pass `now` in' },
    localeOrder,
  ],
  'no-restricted-syntax': [
    'error',
    { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'pass `now` in' },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'data', 'src/web/dist', 'test/vectors'] },
  ...tseslint.configs.recommended,
  // Tests read JSON responses whose shape the assertions check.
  { files: ['test/**/*.ts', 'bench/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // src/lib: pure utilities any layer may use; it imports nothing of the project and no package.
  {
    files: ['src/lib/**/*.ts'],
    rules: {
      ...pureRules(except()),
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['*', '!./*'], message: 'src/lib imports nothing' }] },
      ],
    },
  },
  ...['count', 'record', 'ballot'].map((self) => ({
    files: [`src/${self}/**/*.ts`],
    rules: pureRules(except('lib', self)),
  })),
  { files: ['src/core/**/*.ts'], rules: pureRules(except('lib', 'core', 'count', 'record', 'ballot')) },
  // The kernel is generic: it names no feature (src/core/model.ts joins the features' types above it).
  {
    files: ['src/core/kernel/**/*.ts'],
    rules: {
      ...pureRules(except('lib', 'count', 'record', 'ballot')),
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: io, message: 'pure layers take I/O, time and randomness as parameters' },
            ...except('lib', 'count', 'record', 'ballot').map(layer),
            {
              regex: '^\\.\\./(?!\\.\\./)',
              message: 'the kernel imports no feature of src/core (docs/ARCHITECTURE.md "The core")',
            },
          ],
        },
      ],
    },
  },
  // src/i18n: the catalogues and their formatter (intl-messageformat, Intl), pure data shared by web, server and CLI.
  { files: ['src/i18n/**/*.ts'], rules: pureRules(except('lib', 'i18n')) },
  {
    files: ['src/store/**/*.ts'],
    rules: {
      ...importsOnly('lib', 'store', 'core', 'record'),
      'no-restricted-properties': ['error', localeOrder],
    },
  },
  // Node adapters (files, node:crypto) that the server and the CLI share.
  {
    files: ['src/node/**/*.ts'],
    rules: importsOnly('lib', 'node', 'core', 'count', 'record', 'ballot', 'store'),
  },
  {
    files: ['src/server/**/*.ts'],
    rules: importsOnly('lib', 'server', 'node', 'core', 'count', 'record', 'ballot', 'store', 'i18n'),
  },
  { files: ['src/config.ts'], rules: importsOnly('lib', 'server') },
  { files: ['src/cli/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [layer('web')] }] } },
  // The browser app talks to the server over HTTP only: no store, server, node adapters, CLI or configuration; it
  // imports the shapes of the server's replies as types only (src/server/responses).
  {
    files: ['src/web/**/*.{ts,tsx}'],
    ignores: ['src/web/build-web.ts', 'src/web/vite.config.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...except('lib', 'web', 'core', 'count', 'record', 'ballot', 'server', 'i18n').map(layer),
            {
              group: ['**/server/**', '!**/server/responses/**'],
              message: 'this layer may not import src/server (only types from src/server/responses)',
            },
            {
              group: ['**/server/responses/**'],
              allowTypeImports: true,
              message: 'the web app imports the response schemas as types only (import type)',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
);
