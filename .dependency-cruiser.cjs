// The import graph of src has no cycles, type-only imports included (docs/ARCHITECTURE.md "Dependency rules").
// Run by `npm run lint` on src with no list of tolerated cycles: any cycle fails it. Break one by moving the shared
// part down into a module both sides can import (in src/core: a feature's types.ts, joined in src/core/model.ts).
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
