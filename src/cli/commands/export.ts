// `councils export`: the log as JSON lines, each line exactly an entry's canonical JSON (its Merkle leaf bytes);
// with --bundle DIR, the whole static record (entries, every checkpoint, the log key and C2SP tlog-tiles), which
// can be served as plain files and checked offline by `councils verify DIR`.
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { witnessPolicyOf, type Constitution } from '../../core/index.ts';
import {
  encodeEntryBundle,
  ENTRIES_FILE,
  staticRecordHeads,
  staticRecordTiles,
  tileBytes,
  TILE_WIDTH,
  WITNESSES_FILE,
} from '../../record/index.ts';
import { getPowerSettings } from '../../store/read-power.ts';
import { getOrg } from '../../store/read-repository.ts';
import { openDatabase, type Db } from '../../store/database.ts';
import { entryLines, listOrgIds, logSize, readRawEntries } from '../../store/log-repository.ts';
import { dbHashReader, listCheckpoints, recordKeyHistory } from '../../store/record-repository.ts';
import { logOrigin } from '../../node/record-keeper.ts';
import { UsageError, type Command, type CommandIo } from '../command.ts';
import { databaseUrl } from '../config.ts';

export const exportUsage = `usage: councils export [--org ID] [--out FILE | --bundle DIR] [--db PATH|postgres://…]
  Writes the organisation's log as JSON lines (to standard output without --out). --bundle DIR writes the static
  record instead: entries.jsonl, checkpoints.jsonl, checkpoint, vkey (the current log key), keys.json (every
  log key with the sizes it signs), witnesses.json (the constitution's witness policy, if witnesses are listed)
  and tile/… (C2SP tlog-tiles).
  --org may be left out when the database holds one organisation.`;

const utf8 = new TextEncoder();

/** Writes `chunks` to a new file, waiting whenever the file's buffer is full: memory bounded by one chunk. */
async function writeStreamed(path: string, chunks: AsyncIterable<string>): Promise<void> {
  const file = createWriteStream(path);
  const failed = new Promise<never>((_, reject) => file.once('error', reject));
  for await (const chunk of chunks) {
    if (!file.write(chunk)) await Promise.race([once(file, 'drain'), failed]);
  }
  file.end();
  await Promise.race([once(file, 'finish'), failed]);
}

/**
 * The static record of an organisation in `dir`. Streamed from the database: entries.jsonl a page of entries at
 * a time, each tile and entry bundle read and written on its own (hash tiles from the stored Merkle nodes), so the
 * memory it takes does not grow with the log (docs/SCALE.md "Streaming the record").
 */
export async function writeBundle(db: Db, orgId: string, dir: string, io: CommandIo): Promise<void> {
  const q = db.kysely;
  const checkpoints = await listCheckpoints(q, orgId);
  const keys = await recordKeyHistory(q, orgId);
  const logKey = keys.at(-1)?.verifierKey;
  const files = staticRecordHeads(
    checkpoints,
    logKey ? { logKey, keyHistory: { origin: logOrigin(orgId), keys } } : {},
  );
  // The constitution's witness policy (docs/OPERATIONS.md "Witnesses"), which `councils verify` offers on a first run.
  const org = await getOrg(q, orgId);
  const witnesses = (await getPowerSettings(q, orgId)).witnesses;
  if (org && witnesses.length > 0) {
    const { required } = witnessPolicyOf(org.constitution as unknown as Constitution);
    const policy = { witnesses, required: Math.min(required, witnesses.length) };
    files.set(WITNESSES_FILE, utf8.encode(JSON.stringify(policy, null, 2) + '\n'));
  }
  const write = (path: string, bytes: Uint8Array) => {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  };
  for (const [path, bytes] of files) write(path, bytes);
  mkdirSync(dir, { recursive: true });
  await writeStreamed(join(dir, ENTRIES_FILE), entryLines(q, orgId));
  const size = await logSize(q, orgId);
  const layout = staticRecordTiles(checkpoints);
  if (layout && layout.latest > size)
    throw new RangeError(`checkpoints: size ${layout.latest} exceeds the ${size} entries`);
  const hashes = dbHashReader(q, orgId);
  for (const [path, t] of layout?.tiles ?? []) {
    if (t.level === 'entries') {
      const bodies: Uint8Array[] = [];
      for await (const e of readRawEntries(q, orgId, t.index * TILE_WIDTH, t.width)) {
        bodies.push(utf8.encode(e.body));
        if (bodies.length === t.width) break;
      }
      write(path, encodeEntryBundle(bodies));
    } else write(path, await tileBytes(hashes, t));
  }
  io.err(
    `wrote the record of ${orgId} to ${dir}: ${size} entries, ${checkpoints.length} checkpoints, ${files.size + 1 + (layout?.tiles.size ?? 0)} files\n`,
  );
}

export const exportCommand: Command = async (args, io) => {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: 'string' },
      org: { type: 'string' },
      out: { type: 'string' },
      bundle: { type: 'string' },
    },
  });
  if (values.out && values.bundle) throw new UsageError('give --out or --bundle, not both');
  const db = await openDatabase(databaseUrl(values.db));
  try {
    const orgs = await listOrgIds(db.kysely);
    const orgId = values.org ?? (orgs.length === 1 ? orgs[0] : undefined);
    if (!orgId) {
      throw new UsageError(
        orgs.length === 0 ? 'no organisation in this database' : `name one with --org: ${orgs.join(', ')}`,
      );
    }
    if (!orgs.includes(orgId)) throw new UsageError(`no organisation ${orgId} in this database`);
    if (values.bundle) {
      await writeBundle(db, orgId, values.bundle, io);
      return 0;
    }
    if (values.out) {
      await writeStreamed(values.out, entryLines(db.kysely, orgId));
      io.err(`wrote ${await logSize(db.kysely, orgId)} entries of ${orgId} to ${values.out}\n`);
    } else for await (const chunk of entryLines(db.kysely, orgId)) io.out(chunk);
    return 0;
  } finally {
    await db.close();
  }
};
