// `councils rebuild`: drop every projection and rebuild it from the log alone.
import { parseArgs } from 'node:util';
import { openDatabase } from '../../store/database.ts';
import { rebuildAll } from '../../store/rebuild.ts';
import type { Command } from '../command.ts';
import { databaseUrl } from '../config.ts';

export const rebuildUsage = 'usage: councils rebuild [--db PATH|postgres://…]';

export const rebuildCommand: Command = async (args, io) => {
  const { values } = parseArgs({ args, options: { db: { type: 'string' } } });
  const db = await openDatabase(databaseUrl(values.db));
  try {
    const done = await rebuildAll(db);
    for (const r of done) io.out(`rebuilt ${r.orgId} from ${r.entries} entries\n`);
    if (done.length === 0) io.out('no organisation in this database\n');
    return 0;
  } finally {
    await db.close();
  }
};
