#!/usr/bin/env node
// The `councils` command. Sources are TypeScript; tsx compiles them as they load (see docs/ARCHITECTURE.md).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
