// `councils verify SOURCE`: checks a public record alone, like Go's checksum-database client. SOURCE is an export
// bundle or tile directory, an entries .jsonl file, or an http(s):// URL prefix serving the record's static
// files. The checks themselves are pure (src/record/record-verifier.ts); this file does the I/O: reading the
// source, keeping the state file of the last checkpoint seen, printing numbered checks, progress and JSON.
import { hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.ts';
import { formatCheck } from '../../record/record-checks.ts';
import { treeHasher } from '../../record/rfc9162.ts';
import {
  verifyRecord,
  type Replay,
  type VerifyProgress,
  type VerifyReport,
} from '../../record/record-verifier.ts';
import {
  CHECKPOINTS_FILE,
  ENTRIES_FILE,
  VKEY_FILE,
  WITNESSES_FILE,
  staticRecordSource,
  type ListTiles,
  type ReadFile,
  type StreamFile,
} from '../../record/static-record.ts';
import { parseVerifierKey, formatKeyId } from '../../record/note-keys.ts';
import { parseWitnessPolicy, type WitnessPolicy } from '../../record/tlog-cosignature.ts';
import { UsageError, type Command, type CommandIo } from '../command.ts';

export const verifyUsage = `usage: councils verify SOURCE [options]
  SOURCE   a directory (an export bundle: entries.jsonl, checkpoints.jsonl, and/or C2SP tlog-tiles: checkpoint,
           tile/…), an entries .jsonl file, or an http(s):// URL prefix such as
           http://127.0.0.1:3000/api/v1/orgs/ORG/record
  --key VKEY               the log's verifier key (name+hash+base64); remembered in the state file
  --origin TEXT            the checkpoint origin (default: the key's name)
  --witness VKEY           a witness key (cosignature type 0x04); repeat for several
  --witnesses-required K   how many listed witnesses must cosign the latest checkpoint (default: all listed);
                           the policy is remembered per origin and used when no --witness is given
  --checkpoints FILE       checkpoints.jsonl for an entries file (default: checkpoints.jsonl beside it)
  --state FILE             the state file (default: $COUNCILS_VERIFY_STATE or ~/.config/councils/verify-state.json)
  --no-state               neither read nor write the state file
  --json                   print the report as JSON
  --workers N              threads for the secret ballots' checks (default: every core, os.availableParallelism)
  --token TOKEN            a member's API token (default: $COUNCILS_TOKEN), sent as a bearer token to an http(s)
                           SOURCE: needed for a record that only members may read (the default visibility)
  Without --key, the key pinned in the state file for SOURCE is used; failing that, the source's own "vkey"
  file is trusted on first use (and said so). Exit code 0: verified; 1: a check failed; 2: usage.`;

/**
 * The state file. Logs are keyed by origin (a log's identity), so a rollback or fork is caught whichever mirror
 * or copy serves it next; sources remember which origin they served.
 */
export interface VerifyState {
  version: 2;
  /** Per origin: the pinned key, the last checkpoint that verified, and the witness policy last asked for. */
  logs: Record<string, { key: string; checkpoint?: string; witnesses?: WitnessPolicy }>;
  sources: Record<string, string>;
}

export interface VerifyCommandOptions {
  /** The core's replay of the entries (docs/RECORD.md, "Extension point"); wired in by the CLI's main. */
  replay?: Replay;
  /** The same with the number of worker threads of --workers (undefined: every core); used instead of replay. */
  replayWith?: (workers: number | undefined) => Replay;
  /** Clock for throttling progress lines (defaults to performance.now). */
  now?: () => number;
}

function stateLocation(flag: string | undefined): string {
  return resolve(flag ?? loadConfig().verifyState);
}

async function readState(path: string): Promise<VerifyState> {
  try {
    const state = JSON.parse(await readFile(path, 'utf8')) as VerifyState;
    if (state?.version !== 2 || typeof state.logs !== 'object' || typeof state.sources !== 'object')
      throw new Error(`${path}: not a verify state file`);
    return state;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw e;
  }
}

const emptyState = (): VerifyState => ({ version: 2, logs: {}, sources: {} });

async function writeState(path: string, state: VerifyState): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(state, null, 2) + '\n');
  await rename(tmp, path);
}

async function readOptional(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
    throw e;
  }
}

/** How to read SOURCE's files, and the key under which the state remembers it. */
async function streamOptional(path: string): Promise<AsyncIterable<Uint8Array> | undefined> {
  const info = await stat(path).catch(() => undefined);
  return info?.isFile() ? createReadStream(path, { highWaterMark: 1 << 20 }) : undefined;
}

/** Every file under `dir/sub`, as paths relative to `dir` with forward slashes (a bundle's tile files). */
async function filesUnder(dir: string, sub: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(dir, rel), { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const p = `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(p);
      else out.push(p);
    }
  };
  await walk(sub);
  return out;
}

/** How to read SOURCE's files (whole, or streamed for the entries), and the key the state remembers it by. */
async function openSource(
  source: string,
  checkpoints: string | undefined,
  token: string | undefined,
): Promise<{ read: ReadFile; stream: StreamFile; list?: ListTiles; id: string }> {
  if (/^https?:\/\//.test(source)) {
    const prefix = source.replace(/\/+$/, '');
    // The token goes only to the server the SOURCE names (fetch drops Authorization on a cross-origin redirect).
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const get = async (path: string) => {
      const res = await fetch(`${prefix}/${path}`, { headers });
      if (res.status === 404 || res.status === 410) return undefined;
      if (res.status === 401 || res.status === 403)
        throw new RecordClosed(`${prefix}/${path}`, res.status, token);
      if (!res.ok) throw new Error(`GET ${prefix}/${path}: HTTP ${res.status}`);
      return res;
    };
    const read: ReadFile = async (path) => {
      const res = await get(path);
      return res && new Uint8Array(await res.arrayBuffer());
    };
    const stream: StreamFile = async (path) => {
      const res = await get(path);
      return res?.body ? (res.body as unknown as AsyncIterable<Uint8Array>) : undefined;
    };
    return { read, stream, id: prefix };
  }
  const path = resolve(source);
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new UsageError(`SOURCE ${source} does not exist`);
  if (info.isDirectory()) {
    return {
      read: (p) => readOptional(join(path, p)),
      stream: (p) => streamOptional(join(path, p)),
      list: () => filesUnder(path, 'tile'),
      id: path,
    };
  }
  const cps = resolve(checkpoints ?? join(dirname(path), CHECKPOINTS_FILE));
  const read: ReadFile = async (p) =>
    p === ENTRIES_FILE ? readOptional(path) : p === CHECKPOINTS_FILE ? readOptional(cps) : undefined;
  const stream: StreamFile = async (p) => (p === ENTRIES_FILE ? streamOptional(path) : undefined);
  return { read, stream, id: path };
}

/** The server refused to show the record: members only (401 without a token, 403 with another organisation's). */
class RecordClosed extends Error {
  constructor(url: string, status: number, token: string | undefined) {
    super(
      status === 401 && !token
        ? `GET ${url}: HTTP 401: only members may read this record; give --token or set COUNCILS_TOKEN (an API token made in the app)`
        : `GET ${url}: HTTP ${status}: the token given may not read this record (revoked, or of another organisation)`,
    );
  }
}

// node:crypto's SHA-256 is native and several times faster than the pure default the browser uses.
const nativeHasher = treeHasher((data) => hash('sha256', data, 'buffer'));

function progressPrinter(io: CommandIo, now: () => number): (p: VerifyProgress) => void {
  let last = now();
  return (p) => {
    const t = now();
    if (t - last < 1000 && p.done < p.total) return;
    last = t;
    io.err(`  … ${p.phase}: ${p.done} of ${p.total}\n`);
  };
}

function printReport(
  io: CommandIo,
  report: VerifyReport,
  statePath: string | undefined,
  tofu: boolean,
): void {
  const key = parseVerifierKey(report.logKey);
  io.out(
    `Verifying ${report.source}\n  origin ${report.origin}, log key ${key.name}+${formatKeyId(key.keyId)}\n`,
  );
  if (tofu)
    io.out('  the log key was taken from the source itself (trust on first use); pin it with --key\n');
  for (const c of report.checks) io.out(formatCheck(c) + '\n');
  for (const w of report.warnings) io.out(`WARNING: ${w}.\n`);
  const f = report.firstFailure;
  if (f) {
    io.out(`FAILED at check ${f.number} (${f.id}): ${f.detail ?? f.title}\n`);
    return;
  }
  const c = report.counts;
  io.out(
    `OK: ${report.size} entries verified under a checkpoint of size ${report.size} (root ${report.rootHash}); ` +
      `${c.checkpoints} checkpoints, ${c.sealed} sealed, ${c.revealed} revealed.` +
      (statePath ? ` State saved to ${statePath}.` : '') +
      '\n',
  );
}

/** --key names another key than the one pinned for its origin: a failed check (the log's key changed), not usage. */
class KeyConflict extends Error {
  constructor(
    readonly origin: string,
    readonly pinned: string,
    readonly given: string,
  ) {
    super(
      `the key given (${given}) is not the key pinned for ${origin} in the state file (${pinned}): the log or its key was replaced since you last verified it. If you know why and trust the new key, verify with --no-state or another --state`,
    );
  }
}

/**
 * Which key to trust: --key; else the key pinned for the origin this source served before; else the source's
 * own vkey file, trusted on first use unless a key is already pinned for its origin.
 */
async function resolveKey(
  flag: string | undefined,
  originFlag: string | undefined,
  state: VerifyState,
  sourceId: string,
  read: ReadFile,
): Promise<{ key: string; origin: string; tofu: boolean }> {
  const originOf = (key: string) => originFlag ?? parseVerifierKey(key).name;
  if (flag) {
    const origin = originOf(flag);
    const pinned = state.logs[origin]?.key;
    if (pinned && pinned !== flag) throw new KeyConflict(origin, pinned, flag);
    return { key: flag, origin, tofu: false };
  }
  const known = state.sources[sourceId];
  const pinnedForSource = known ? state.logs[known]?.key : undefined;
  if (known && pinnedForSource) return { key: pinnedForSource, origin: originFlag ?? known, tofu: false };
  const served = await read(VKEY_FILE);
  if (!served)
    throw new UsageError(
      'give the log key with --key (the source has no vkey file and the state none for it)',
    );
  const servedKey = new TextDecoder().decode(served).trim();
  const origin = originOf(servedKey);
  const pinned = state.logs[origin]?.key;
  return { key: pinned ?? servedKey, origin, tofu: !pinned };
}

/**
 * The witness policy the source publishes (`witnesses.json`: its constitution's), used on a first run with no
 * --witness: the organisation's own word, like its vkey, and remembered in the state file from then on.
 */
async function publishedPolicy(read: ReadFile): Promise<WitnessPolicy | undefined> {
  const bytes = await read(WITNESSES_FILE).catch(() => undefined);
  if (!bytes) return undefined;
  try {
    const p = JSON.parse(new TextDecoder().decode(bytes)) as WitnessPolicy;
    parseWitnessPolicy(p);
    return p.required > 0 ? { witnesses: p.witnesses, required: p.required } : undefined;
  } catch {
    return undefined;
  }
}

/** --witness/--witnesses-required, else the policy remembered for the origin (so witnesses stay required). */
function policyFrom(
  keys: string[] | undefined,
  requiredFlag: string | undefined,
  remembered: WitnessPolicy | undefined,
): WitnessPolicy {
  if (!keys && requiredFlag === undefined && remembered) return remembered;
  const witnesses = keys ?? [];
  const required = requiredFlag === undefined ? witnesses.length : Number(requiredFlag);
  if (!Number.isInteger(required) || required < 0 || required > witnesses.length) {
    throw new UsageError(`--witnesses-required must be between 0 and the ${witnesses.length} --witness keys`);
  }
  try {
    parseWitnessPolicy({ witnesses, required });
  } catch (e) {
    throw new UsageError(`--witness: ${(e as Error).message}`);
  }
  return { witnesses, required };
}

/** Builds the command; main.ts uses `verifyCommand`, the lead may wrap this with a replay. */
export function makeVerifyCommand(options: VerifyCommandOptions = {}): Command {
  return async (args, io) => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        key: { type: 'string' },
        origin: { type: 'string' },
        witness: { type: 'string', multiple: true },
        'witnesses-required': { type: 'string' },
        checkpoints: { type: 'string' },
        state: { type: 'string' },
        'no-state': { type: 'boolean' },
        json: { type: 'boolean' },
        workers: { type: 'string' },
        token: { type: 'string' },
      },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one SOURCE');
    const workers = values.workers === undefined ? undefined : Number(values.workers);
    if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 1024))
      throw new UsageError('--workers must be a whole number from 1 to 1024');
    const replay = options.replayWith ? options.replayWith(workers) : options.replay;
    const { read, stream, list, id } = await openSource(
      positionals[0]!,
      values.checkpoints,
      values.token ?? loadConfig().token,
    );
    const statePath = values['no-state'] ? undefined : stateLocation(values.state);
    const state = statePath ? await readState(statePath) : emptyState();
    let resolved;
    try {
      resolved = await resolveKey(values.key, values.origin, state, id, read);
    } catch (e) {
      if (!(e instanceof KeyConflict)) throw e;
      const failure = {
        number: 0,
        id: 'key_pinned',
        title: 'the log key is the one pinned in the state file',
      };
      if (values.json)
        io.out(
          JSON.stringify(
            {
              ok: false,
              source: id,
              origin: e.origin,
              firstFailure: { ...failure, status: 'fail', detail: e.message },
            },
            null,
            2,
          ) + '\n',
        );
      else io.out(`FAILED (key_pinned): ${e.message}\n`);
      io.err(`councils verify: ${e.message}\n`);
      return 1;
    }
    const { key, origin, tofu } = resolved;
    const remembered = state.logs[origin];
    const published =
      values.witness || values['witnesses-required'] !== undefined || remembered?.witnesses
        ? undefined
        : await publishedPolicy(read);
    const witnessPolicy = policyFrom(
      values.witness,
      values['witnesses-required'],
      remembered?.witnesses ?? published,
    );
    if (published && !values.json)
      io.out(
        `  witness policy from the source (its constitution): ${published.required} of ${published.witnesses.length} listed witnesses; pin it with --witness\n`,
      );
    const report = await verifyRecord(staticRecordSource(read, id, stream, list), {
      logKey: key,
      origin,
      hasher: nativeHasher,
      witnessPolicy,
      ...(remembered?.checkpoint ? { trusted: remembered.checkpoint } : {}),
      ...(replay ? { replay } : {}),
      ...(values.json ? {} : { onProgress: progressPrinter(io, options.now ?? (() => performance.now())) }),
    });
    if (report.ok && statePath && report.latestCheckpoint) {
      state.logs[origin] = { key, checkpoint: report.latestCheckpoint, witnesses: witnessPolicy };
      state.sources[id] = origin;
      await writeState(statePath, state);
    }
    if (values.json)
      io.out(
        JSON.stringify({ ...report, keyTrustedOnFirstUse: tofu, state: statePath ?? null }, null, 2) + '\n',
      );
    else printReport(io, report, report.ok ? statePath : undefined, tofu);
    if (!report.ok) io.err(`councils verify: ${report.firstFailure?.detail ?? 'verification failed'}\n`);
    return report.ok ? 0 : 1;
  };
}

export const verifyCommand: Command = makeVerifyCommand();
