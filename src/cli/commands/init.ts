// `councils init FILE`: found an organisation from a YAML or JSON file and print each founder's invitation link.
import { parseArgs } from 'node:util';
import { CouncilsService } from '../../server/service.ts';
import { openDatabase } from '../../store/database.ts';
import { UsageError, type Command } from '../command.ts';
import { databaseUrl, keyDirFor, publicUrl } from '../config.ts';
import { readOrganisationFile } from '../organisation-file.ts';

export const initUsage = `usage: councils init FILE [--db PATH|postgres://…] [--url PUBLIC_URL] [--json]
  FILE (YAML or JSON) names the organisation, its constitution and its tree of councils; see examples/federation.yaml.`;

export const initCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { db: { type: 'string' }, url: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError('init takes exactly one FILE');
  const command = readOrganisationFile(positionals[0]!);
  const url = databaseUrl(values.db);
  const db = await openDatabase(url);
  try {
    const service = new CouncilsService(db, undefined, { keyDir: keyDirFor(url) });
    const { orgId, invitations } = await service.foundWithInvitations(command);
    const base = publicUrl(values.url, '127.0.0.1', Number(process.env.PORT ?? 3000));
    const links = invitations.map((i) => ({ ...i, link: `${base}/invite/${i.token}` }));
    if (values.json) {
      io.out(JSON.stringify({ orgId, invitations: links }, null, 2) + '\n');
    } else {
      io.out(
        `Founded "${command.name}" (${orgId}) in ${db.description} with ${command.councils.length} councils.\n`,
      );
      io.out('Send each founder their own invitation link (valid 14 days, usable once):\n');
      for (const l of links) io.out(`  ${l.name.padEnd(24)} ${l.councilId.padEnd(16)} ${l.link}\n`);
      io.out('The API takes the token of a link at POST /api/v1/invitations/{token}/accept.\n');
    }
    return 0;
  } finally {
    await db.close();
  }
};
