// The import graph of src has no cycles, type-only imports included (docs/ARCHITECTURE.md "Dependency rules").
// Run by `npm run lint` with --ignore-known: the cycles listed in .dependency-cruiser-known-violations.json (those
// inside src/core, whose kernel still names its features' types, and one in src/ballot) are tolerated until they
// are taken apart; any other cycle fails. After removing one, regenerate the list:
//   npx depcruise src --config .dependency-cruiser.cjs --output-type baseline \
//     --output-to .dependency-cruiser-known-violations.json
// The layer rules themselves live in eslint.config.js.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment:
        'an import cycle, counting type-only imports: move the shared part down into a module both can import',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/web/dist' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
