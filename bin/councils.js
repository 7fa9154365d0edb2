#!/usr/bin/env node
// The `councils` command. The sources are TypeScript; `npm install` compiles them into dist/node (the `prepare`
// script, scripts/build-node.mjs), and the command runs that build when it is newer than every source. When a
// source has changed since, or there is no build, it runs the sources through tsx instead: slower to start, never
// stale (`npm run build` makes it fast again). COUNCILS_FROM_SOURCE=1 asks for the sources.
import { buildIsFresh } from '../scripts/build-node.mjs';

let main;
if (process.env.COUNCILS_FROM_SOURCE !== '1' && buildIsFresh()) {
  ({ main } = await import('../dist/node/cli/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
