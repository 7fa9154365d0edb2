// `councils export`: the log as JSON lines, each line exactly an entry's canonical JSON (its Merkle leaf bytes);
// with --bundle DIR, the whole static record (entries, every checkpoint, the log key and C2SP tlog-tiles), which
// can be served as plain files and checked offline by `councils verify DIR`.
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { witnessPolicyOf, type Constitution } from '../../core/index.ts';
import { staticRecordFiles, WITNESSES_FILE } from '../../record/index.ts';
import { getPowerSettings } from '../../store/read-power.ts';
import { getOrg } from '../../store/read-repository.ts';
import { openDatabase, type Db } from '../../store/database.ts';
import { listOrgIds, readRawEntries } from '../../store/log-repository.ts';
import { listCheckpoints, recordKeyHistory } from '../../store/record-repository.ts';
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

export async function writeBundle(db: Db, orgId: string, dir: string, io: CommandIo): Promise<void> {
  const entries: Uint8Array[] = [];
  for await (const e of readRawEntries(db.kysely, orgId)) entries.push(utf8.encode(e.body));
  const checkpoints = await listCheckpoints(db.kysely, orgId);
  const keys = await recordKeyHistory(db.kysely, orgId);
  const logKey = keys.at(-1)?.verifierKey;
  const files = staticRecordFiles(
    entries,
    checkpoints,
    logKey ? { logKey, keyHistory: { origin: logOrigin(orgId), keys } } : {},
  );
  // The constitution's witness policy (docs/OPERATIONS.md "Witnesses"), which `councils verify` offers on a first run.
  const org = await getOrg(db.kysely, orgId);
  const witnesses = (await getPowerSettings(db.kysely, orgId)).witnesses;
  if (org && witnesses.length > 0) {
    const { required } = witnessPolicyOf(org.constitution as unknown as Constitution);
    const policy = { witnesses, required: Math.min(required, witnesses.length) };
    files.set(WITNESSES_FILE, utf8.encode(JSON.stringify(policy, null, 2) + '\n'));
  }
  for (const [path, bytes] of files) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  }
  io.err(
    `wrote the record of ${orgId} to ${dir}: ${entries.length} entries, ${checkpoints.length} checkpoints, ${files.size} files\n`,
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
    const file = values.out ? createWriteStream(values.out) : undefined;
    let n = 0;
    for await (const e of readRawEntries(db.kysely, orgId)) {
      const line = e.body + '\n';
      if (file) {
        if (!file.write(line)) await once(file, 'drain');
      } else io.out(line);
      n++;
    }
    if (file) {
      file.end();
      await once(file, 'finish');
      io.err(`wrote ${n} entries of ${orgId} to ${values.out}\n`);
    }
    return 0;
  } finally {
    await db.close();
  }
};
