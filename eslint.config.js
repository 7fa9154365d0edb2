// Lint: the dependency direction of the layers (docs/ARCHITECTURE.md) is enforced here, not by memory.
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
const layer = (name) => ({
  group: [`**/${name}/**`, `**/${name}`],
  message: `this layer may not import src/${name}`,
});
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
  ...['count', 'record', 'ballot'].map((self) => ({
    files: [`src/${self}/**/*.ts`],
    rules: pureRules(
      ['core', 'store', 'server', 'cli', 'web', 'count', 'record', 'ballot'].filter((l) => l !== self),
    ),
  })),
  { files: ['src/core/**/*.ts'], rules: pureRules(['store', 'server', 'cli', 'web']) },
  {
    files: ['src/store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [layer('server'), layer('cli'), layer('web'), layer('ballot'), layer('count')] },
      ],
    },
  },
  {
    files: ['src/server/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layer('cli'), layer('web')] }] },
  },
);
