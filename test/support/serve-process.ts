// Starts `councils serve --port 0` as a child process and resolves with the address it prints: how the CLI
// test and the API benchmarks run a real server in a process of its own (`bin`: another checkout's, for a
// benchmark's same-run comparison with the code before).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths.ts';

export const councilsBin = join(repoRoot, 'bin', 'councils.js');

export function serveProcess(
  db: string,
  env: Record<string, string> = {},
  bin = councilsBin,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--db', db], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /serving (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}
