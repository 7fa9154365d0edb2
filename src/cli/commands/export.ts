// `councils export`: the log as JSON lines, each line exactly an entry's canonical JSON (its Merkle leaf bytes).
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { openDatabase } from '../../store/database.ts';
import { listOrgIds, readRawEntries } from '../../store/log-repository.ts';
import { UsageError, type Command } from '../command.ts';
import { databaseUrl } from '../config.ts';

export const exportUsage = `usage: councils export [--org ID] [--out FILE] [--db PATH|postgres://…]
  Writes the organisation's log as JSON lines (to standard output without --out). --org may be left out when
  the database holds one organisation.`;

export const exportCommand: Command = async (args, io) => {
  const { values } = parseArgs({
    args,
    options: { db: { type: 'string' }, org: { type: 'string' }, out: { type: 'string' } },
  });
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
