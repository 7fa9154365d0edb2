// What the benchmarks that talk to a served Councils share (pickers, trustee-picker, web): a server on 127.0.0.1,
// port 0, with its own SQLite file and key folder in a fresh temporary folder; an organisation founded with one
// invitation accepted, so requests carry a member's session; the median; the machine line of every section. The
// code is this tree's, or another tree's (`--root DIR`, or `root`: e.g. the baseline worktree /work/wt/base, so a
// before/after is measured in one run): the server, its built web app and the test factory are imported from
// there. Not a *.bench.ts: bench/run.ts runs only those.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Serve from '../../src/cli/commands/serve.ts';
import type * as Database from '../../src/store/database.ts';
import type * as BuildWeb from '../../src/web/build-web.ts';
import type * as Factory from '../../test/support/factory.ts';
import type * as Harness from '../../test/web/harness.ts';

/** This tree: the folder above bench/. */
export const here = resolve(import.meta.dirname, '..', '..');

/** The tree named by `--root DIR` on the command line, else this one. */
export function rootArg(argv: readonly string[] = process.argv): string {
  const at = argv.indexOf('--root');
  return at > 0 && argv[at + 1] ? resolve(argv[at + 1]!) : here;
}

/** The modules a benchmark needs, from the tree at `root`. */
export async function codeAt(root: string = here) {
  const from = (path: string) => import(pathToFileURL(join(root, path)).href);
  return {
    root,
    serve: (await from('src/cli/commands/serve.ts')) as typeof Serve,
    database: (await from('src/store/database.ts')) as typeof Database,
    buildWeb: (await from('src/web/build-web.ts')) as typeof BuildWeb,
    factory: (await from('test/support/factory.ts')) as typeof Factory,
    harness: (await from('test/web/harness.ts')) as typeof Harness,
  };
}

export type Founding = Parameters<Serve.RunningServer['service']['foundWithInvitations']>[0];

/** A member of a founded organisation, signed in: their session's cookie and CSRF token as request headers. */
export interface Signed {
  orgId: string;
  sessionToken: string;
  /** `cookie` for reads; `x-csrf-token` too for writes. */
  headers: Record<string, string>;
}

export interface BenchServer extends Signed {
  server: Serve.RunningServer;
  /** `http://127.0.0.1:port` */
  url: string;
  /** `${url}/api/v1` */
  api: string;
  /** Founds another organisation on the same server; its first invitation is accepted with `email`. */
  found(founding: Founding, email: string): Promise<Signed>;
  stop(): Promise<void>;
}

/**
 * Starts a server of the code at `root` and founds `founding` (which must invite someone: the first invitation is
 * accepted as ana@example.org, with the test harness's password).
 */
export async function startBenchServer(
  founding: Founding,
  options: { root?: string; name: string },
): Promise<BenchServer> {
  const code = await codeAt(options.root);
  const dir = mkdtempSync(join(os.tmpdir(), `councils-${options.name}-bench-`));
  const server = await code.serve.startServer({
    db: await code.database.openDatabase(join(dir, 'bench.db')),
    host: '127.0.0.1',
    port: 0,
    schedulerMs: 60_000,
    keyDir: join(dir, 'keys'),
  });
  const found = async (f: Founding, email: string): Promise<Signed> => {
    const { orgId, invitations } = await server.service.foundWithInvitations(f);
    const accepted = await server.service.acceptInvitation(invitations[0]!.token, {
      email,
      password: code.harness.password,
    });
    return {
      orgId,
      sessionToken: accepted.sessionToken,
      headers: {
        cookie: `councils_session=${accepted.sessionToken}`,
        'x-csrf-token': accepted.csrfToken,
      },
    };
  };
  return {
    ...(await found(founding, 'ana@example.org')),
    server,
    url: server.url,
    api: `${server.url}/api/v1`,
    found,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

type Organisation = Parameters<typeof Factory.organisation>[0];

/**
 * An organisation of one large base council, Big Works (id `big`), under a Federation Council: `members` founders
 * in it, "Member 0…1" (ids `m0…1`, `digits` wide) and Zoë Ångström (`zz-zoe`) last by id, past any first page of
 * the council; Ana Ruiz invited there. `more` adds councils and founders after those.
 */
export function largeCouncil(
  organisation: typeof Factory.organisation,
  o: { name: string; members: number; digits: number; more?: Pick<Organisation, 'councils' | 'founders'> },
): Founding {
  const pad = (i: number) => String(i).padStart(o.digits, '0');
  return organisation({
    name: o.name,
    councils: [
      { id: 'fed', name: 'Federation Council', parentId: null, seatsInParent: 0 },
      { id: 'big', name: 'Big Works', parentId: 'fed', seatsInParent: 1 },
      ...(o.more?.councils ?? []),
    ],
    founders: [
      ...Array.from({ length: o.members - 1 }, (_, i) => ({
        memberId: `m${pad(i)}`,
        name: `Member ${pad(i)}`,
        councilId: 'big',
      })),
      { memberId: 'zz-zoe', name: 'Zoë Ångström', councilId: 'big' },
      ...(o.more?.founders ?? []),
    ],
    invitations: [{ name: 'Ana Ruiz', councilId: 'big' }],
  }) as Founding;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** "Machine: <CPU> × <cores>; Node <version>; <UTC time>Z; load average <1 min>." for a section's header. */
export function machine(): string {
  return (
    `Machine: ${os.cpus()[0]?.model} × ${os.cpus().length}; Node ${process.version}; ` +
    `${new Date().toISOString().slice(0, 16)}Z; load average ${os.loadavg()[0]!.toFixed(1)}.`
  );
}
