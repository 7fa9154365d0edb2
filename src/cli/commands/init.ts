// `councils init FILE`: found an organisation from a YAML or JSON file and print each founder's invitation link.
//
// The founding is all-or-nothing: its entries, its log key's record and its founders' invitation secrets commit in
// one transaction (CouncilsService.foundWithInvitations). The links exist only in this process, so they are kept
// in a journal file beside the log keys (mode 0600) before the commit and removed once printed. A crash before the
// commit leaves a journal whose organisation does not exist: the next `councils init` clears it and its key file.
// A crash after the commit leaves a journal whose organisation exists: the next `councils init` prints its links,
// and founds nothing more if it was given the same file.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.ts';
import { writeFileDurably } from '../../node/signing-mark.ts';
import { CouncilsService, type FounderInvitation, type FoundingJournal } from '../../server/service.ts';
import { openDatabase, type Db } from '../../store/database.ts';
import { listOrgIds } from '../../store/log-repository.ts';
import { UsageError, type Command, type CommandIo } from '../command.ts';
import { databaseUrl, keyDirFor, publicUrl } from '../config.ts';
import { readOrganisationFile } from '../organisation-file.ts';
import { parsePort } from './serve.ts';

export const initUsage = `usage: councils init FILE [--db PATH|postgres://…] [--port 3000] [--url PUBLIC_URL] [--json]
  FILE (YAML or JSON) names the organisation, its constitution and its tree of councils; see examples/federation.yaml.
  The invitation links point at --url, else at 127.0.0.1 on --port (or $PORT): give the port \`councils serve\` uses.`;

const journalSuffix = '.founding.json';

interface Journal {
  orgId: string;
  name: string;
  /** The database it was founded in (its description), so that key folders shared by databases stay apart. */
  database: string;
  /** SHA-256 of the founding command: a re-run with the same file after a crash founds nothing more. */
  source: string;
  /** The founding process: while it runs, its journal is not another's to clear. */
  pid: number;
  invitations?: FounderInvitation[];
}

export const initCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      url: { type: 'string' },
      port: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('init takes exactly one FILE');
  const command = readOrganisationFile(positionals[0]!);
  const url = databaseUrl(values.db);
  const keyDir = keyDirFor(url);
  // The links must reach the server that will serve them (issue #17: they said port 3000 whatever it was).
  const port = parsePort(values.port, loadConfig().port ?? 3000);
  const base = publicUrl(values.url, '127.0.0.1', port);
  const source = createHash('sha256').update(JSON.stringify(command)).digest('hex');
  const db = await openDatabase(url);
  try {
    const show = (j: Required<Journal>, found: boolean) =>
      report(
        io,
        j,
        base,
        !!values.json,
        found ? `in ${db.description} with ${command.councils.length} councils` : '',
      );
    const interrupted = await recoverFoundings(db, keyDir);
    for (const j of interrupted) {
      io.err(
        `An earlier \`councils init\` founded "${j.name}" (${j.orgId}) but stopped before printing its links.\n`,
      );
      if (j.source === source) {
        show(j, false);
        rmSync(journalFile(keyDir, j.orgId), { force: true });
        return 0; // the same file: it is founded already
      }
      if (!values.json) show(j, false);
      rmSync(journalFile(keyDir, j.orgId), { force: true });
    }
    const service = new CouncilsService(db, undefined, { keyDir });
    const { orgId, invitations } = await service.foundWithInvitations(
      command,
      journal(keyDir, { name: command.name, database: db.description, source, pid: process.pid }),
    );
    show(
      { orgId, name: command.name, database: db.description, source, pid: process.pid, invitations },
      true,
    );
    rmSync(journalFile(keyDir, orgId), { force: true });
    return 0;
  } finally {
    await db.close();
  }
};

function report(io: CommandIo, j: Required<Journal>, base: string, json: boolean, where: string): void {
  const links = j.invitations.map((i) => ({ ...i, link: `${base}/invite/${i.token}` }));
  if (json) {
    io.out(JSON.stringify({ orgId: j.orgId, invitations: links }, null, 2) + '\n');
    return;
  }
  if (where) io.out(`Founded "${j.name}" (${j.orgId}) ${where}.\n`);
  io.out('Send each founder their own invitation link (valid 14 days, usable once):\n');
  for (const l of links) io.out(`  ${l.name.padEnd(24)} ${l.councilId.padEnd(16)} ${l.link}\n`);
  io.out('The API takes the token of a link at POST /api/v1/invitations/{token}/accept.\n');
  io.out(
    `The links assume the server answers at ${base} (init's --port or --url; give the port \`councils serve\` ` +
      'uses): where members reach it elsewhere, send the same /invite/… path at that address.\n',
  );
}

function journalFile(keyDir: string, orgId: string): string {
  return join(keyDir, `${orgId}${journalSuffix}`);
}

function journal(keyDir: string, about: Omit<Journal, 'orgId'>): FoundingJournal {
  return {
    started(orgId) {
      mkdirSync(keyDir, { recursive: true, mode: 0o700 });
      if (existsSync(journalFile(keyDir, orgId)))
        throw new Error(`${journalFile(keyDir, orgId)} exists already`);
      writeFileDurably(journalFile(keyDir, orgId), JSON.stringify({ orgId, ...about }), 0o600);
    },
    committing({ orgId, invitations }) {
      const text = JSON.stringify({ orgId, ...about, invitations });
      writeFileDurably(journalFile(keyDir, orgId), text, 0o600);
    },
  };
}

/**
 * Settles foundings of this database that a crash interrupted: one that did not commit leaves nothing (its journal
 * and its log key file are removed); one that did is returned, with its founders' links, to be printed.
 */
async function recoverFoundings(db: Db, keyDir: string): Promise<Required<Journal>[]> {
  if (!existsSync(keyDir)) return [];
  const files = readdirSync(keyDir);
  // Half-written files of a process that is gone (a crash between writing and renaming) are never needed.
  for (const f of files) {
    const pid = /\.tmp-(\d+)$/.exec(f)?.[1];
    if (pid && !running(Number(pid))) rmSync(join(keyDir, f), { force: true });
  }
  const names = files.filter((n) => n.endsWith(journalSuffix));
  if (names.length === 0) return [];
  const founded = new Set(await listOrgIds(db.kysely));
  const interrupted: Required<Journal>[] = [];
  for (const name of names) {
    const j = JSON.parse(readFileSync(join(keyDir, name), 'utf8')) as Journal;
    if (j.database !== db.description || running(j.pid)) continue;
    if (founded.has(j.orgId) && j.invitations) interrupted.push(j as Required<Journal>);
    else if (!founded.has(j.orgId)) {
      rmSync(join(keyDir, `${j.orgId}.key`), { force: true });
      rmSync(join(keyDir, name), { force: true });
    }
  }
  return interrupted;
}

function running(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
