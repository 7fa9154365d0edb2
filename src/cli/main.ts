// The `councils` command: one sub-command per file in ./commands, loaded only when used.
import { ConfigError, loadConfig } from '../config.ts';
import { type Command, type CommandIo, UsageError } from './command.ts';

const commands: Record<
  string,
  { summary: string; load: () => Promise<Command>; usage: () => Promise<string> }
> = {
  serve: {
    summary: 'serve the API and the web app',
    load: async () => (await import('./commands/serve.ts')).serveCommand,
    usage: async () => (await import('./commands/serve.ts')).serveUsage,
  },
  init: {
    summary: 'found an organisation from a YAML/JSON file and print invitation links',
    load: async () => (await import('./commands/init.ts')).initCommand,
    usage: async () => (await import('./commands/init.ts')).initUsage,
  },
  demo: {
    summary: 'serve a ready-made demo organisation',
    load: async () => (await import('./commands/demo.ts')).demoCommand,
    usage: async () => (await import('./commands/demo.ts')).demoUsage,
  },
  rebuild: {
    summary: 'rebuild every table from the log',
    load: async () => (await import('./commands/rebuild.ts')).rebuildCommand,
    usage: async () => (await import('./commands/rebuild.ts')).rebuildUsage,
  },
  backup: {
    summary: 'back up a running server: SQLite online backup, log keys and signing marks',
    load: async () => (await import('./commands/backup.ts')).backupCommand,
    usage: async () => (await import('./commands/backup.ts')).backupUsage,
  },
  witness: {
    summary: "witness records: cosign each log's checkpoints only if consistent with what it cosigned before",
    load: async () => (await import('./commands/witness.ts')).witnessCommand,
    usage: async () => (await import('./commands/witness.ts')).witnessUsage,
  },
  export: {
    summary: 'write the log as JSON lines',
    load: async () => (await import('./commands/export.ts')).exportCommand,
    usage: async () => (await import('./commands/export.ts')).exportUsage,
  },
  verify: {
    summary: 'verify a record: signatures, consistency, every entry, reveals, the rules and every recount',
    load: async () => {
      const { makeVerifyCommand } = await import('./commands/verify.ts');
      const { parallelReplay } = await import('./ballot-workers/parallel-replay.ts');
      // secret votes' boards are verified with the faster ballot backends (identical results,
      // src/node/ballot-crypto.ts), their ballots on worker threads
      return makeVerifyCommand({ replayWith: parallelReplay });
    },
    usage: async () => (await import('./commands/verify.ts')).verifyUsage,
  },
  count: {
    summary: 'count a ballot file by any method, round by round',
    load: async () => (await import('./commands/count.ts')).countCommand,
    usage: async () => (await import('./commands/count.ts')).countUsage,
  },
  mixer: {
    summary: 'a mixer of a ranked secret vote: shuffle the ballots in turn, with a proof (docs/MIXNET.md)',
    load: async () => (await import('./commands/mixer.ts')).mixerCommand,
    usage: async () => (await import('./commands/mixer.ts')).mixerUsage,
  },
  trustee: {
    summary: 'a trustee of a secret vote: key generation and decryption, secrets kept in 0600 files',
    load: async () => (await import('./commands/trustee.ts')).trusteeCommand,
    usage: async () => (await import('./commands/trustee.ts')).trusteeUsage,
  },
  ballot: {
    summary: 'vote by secret ballot: register a credential, cast or challenge, check my receipt',
    load: async () => (await import('./commands/ballot.ts')).ballotCommand,
    usage: async () => (await import('./commands/ballot.ts')).ballotUsage,
  },
  petition: {
    summary: 'open, sign and read petitions (through the HTTP API)',
    load: async () => (await import('./commands/petition.ts')).petitionCommand,
    usage: async () => (await import('./commands/petition.ts')).petitionUsage,
  },
  approve: {
    summary: 'approval keys, privileged requests and signed approvals (through the HTTP API)',
    load: async () => (await import('./commands/approve.ts')).approveCommand,
    usage: async () => (await import('./commands/approve.ts')).approveUsage,
  },
  pay: {
    summary: 'run or compare pay and pension schemes',
    load: async () => (await import('./commands/pay.ts')).payCommand,
    usage: async () => (await import('./commands/pay.ts')).PAY_USAGE,
  },
};

export const stdio: CommandIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

function help(): string {
  const width = Math.max(...Object.keys(commands).map((k) => k.length));
  return (
    'usage: councils <command> [options]\n\n' +
    Object.entries(commands)
      .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
      .join('\n') +
    '\n\nRun "councils <command> --help" for its options.\n'
  );
}

export async function main(argv: string[], io: CommandIo = stdio): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name === undefined ? 2 : 0;
  }
  const entry = commands[name];
  if (!entry) {
    io.err(`councils: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out((await entry.usage()) + '\n');
    return 0;
  }
  try {
    return await (
      await entry.load()
    )(args, io);
  } catch (e) {
    const err = e as Error & { code?: string };
    if (e instanceof ConfigError) {
      io.err(`councils ${name}: the environment: ${err.message}\n`);
      return 2;
    }
    if (e instanceof UsageError || err.code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`councils ${name}: ${err.message}\n${await entry.usage()}\n`);
      return 2;
    }
    io.err(`councils ${name}: ${err.message}\n`);
    if (debugging()) io.err(`${err.stack}\n`);
    return 1;
  }
}

/** COUNCILS_DEBUG, even when another variable has a bad value. */
function debugging(): boolean {
  try {
    return loadConfig().debug;
  } catch {
    return false;
  }
}
