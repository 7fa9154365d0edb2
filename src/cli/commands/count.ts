// `councils count`: count a ballot file (BLT/.hil, CSV, Debian tally sheet, .cvotes) by any method and print the
// round-by-round report as text or JSON. Bad input exits non-zero with a message naming the line.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command, CommandIo } from '../command.ts';
import { UsageError } from '../command.ts';
import {
  BallotFileError,
  ballotFileReader,
  detectFormat,
  formatFromName,
  ballotShape,
  countStore,
  countVote,
  formatReportText,
  methodIds,
  readBallotFile,
  type BallotFile,
  type BallotFormat,
  type CountBallot,
  type CountSpec,
  type MethodId,
  type TieBreakSpec,
} from '../../count/index.ts';

export const countUsage = `usage: councils count --method M [--seats N] [--tie-break backwards|fixed|lot[:seed]]
                      [--format json|text] [--input blt|csv|debian|cvotes] [--developers N]
                      [--max-score N] [--strength winning-votes|margins]
                      [--default-option OPTION] [--supermajority OPTION=S]... FILE|-
methods: ${methodIds.join(', ')}
  FILE's format is taken from its extension (.blt .hil .csv .cvotes) or its content (Debian tally sheet);
  "-" reads standard input. Debian: --developers N sets the quorum 3·√N/2; --supermajority OPTION=S adds
  an S:1 requirement to those the tally sheet marks "[3:1]"; --default-option overrides the last option.`;

export const countCommand: Command = async (args, io) => {
  try {
    return await run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\n${countUsage}\n`);
      return 2;
    }
    if (e instanceof BallotFileError || e instanceof RangeError || e instanceof TypeError) {
      io.err(`councils count: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
};

async function run(args: string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        method: { type: 'string', short: 'm' },
        seats: { type: 'string', short: 's' },
        'tie-break': { type: 'string' },
        format: { type: 'string', default: 'text' },
        input: { type: 'string' },
        developers: { type: 'string' },
        'max-score': { type: 'string' },
        strength: { type: 'string' },
        supermajority: { type: 'string', multiple: true },
        'default-option': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(countUsage + '\n');
    return 0;
  }
  if (!values.method) throw new UsageError('--method is required');
  if (!(methodIds as readonly string[]).includes(values.method))
    throw new UsageError(`unknown method "${values.method}"`);
  if (positionals.length !== 1) throw new UsageError('give exactly one ballot file, or - for standard input');
  if (values.format !== 'json' && values.format !== 'text')
    throw new UsageError('--format must be json or text');
  const input = values.input as BallotFormat | undefined;
  if (input && !['blt', 'csv', 'debian', 'cvotes'].includes(input))
    throw new UsageError(`unknown input format "${input}"`);
  // Check every option before touching the file, so a usage error is reported as one.
  parseTieBreak(values['tie-break']);
  for (const [flag, v] of [
    ['--seats', values.seats],
    ['--developers', values.developers],
    ['--max-score', values['max-score']],
  ]) {
    positiveInt(v, flag!);
  }
  for (const v of values.supermajority ?? []) parseSupermajority(v);
  if (values.strength && values.strength !== 'winning-votes' && values.strength !== 'margins') {
    throw new UsageError('--strength must be winning-votes or margins');
  }
  const path = positionals[0]!;
  const file =
    path === '-' ? readBallotFile(readFileSync(0, 'utf8'), undefined, input) : streamBallotFile(path, input);
  const spec = specFor(values.method as MethodId, file, values);
  // A ranked count runs on the reader's store itself when it holds exactly the options (nothing withdrawn) and no
  // overvoted rank (which ballotsFor leaves out); otherwise through the ballots, reshaped.
  const direct =
    ballotShape(spec.method) === 'ranking' &&
    !file.store.hasOvervotes &&
    file.store.candidates.length === spec.options.length;
  const report = direct ? countStore(spec, file.store) : countVote(spec, ballotsFor(spec.method, file));
  io.out(values.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatReportText(report));
  return 0;
}

/**
 * A ballot file read in chunks of 1 MiB into its reader, which builds the ballot store as it reads and keeps no
 * line of the file (issue #19). Without --input or a known extension, the format is told from the first chunk.
 */
function streamBallotFile(path: string, input: BallotFormat | undefined): BallotFile {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new RangeError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const buf = new Uint8Array(1 << 20);
    let got = readSync(fd, buf, 0, buf.length, null);
    const format =
      input ?? formatFromName(path) ?? detectFormat(new TextDecoder().decode(buf.subarray(0, got)), path);
    const reader = ballotFileReader(format);
    for (; got > 0; got = readSync(fd, buf, 0, buf.length, null)) reader.push(buf.subarray(0, got));
    return reader.end();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw code ? new RangeError(`cannot read ${path}: ${code}`) : e;
  } finally {
    closeSync(fd);
  }
}

function positiveInt(v: string | undefined, what: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`${what} must be a positive whole number`);
  return Number(v);
}

export function parseTieBreak(v: string | undefined): TieBreakSpec | undefined {
  if (v === undefined) return undefined;
  const [kind, ...rest] = v.split(':');
  const seed = rest.join(':');
  if (kind === 'lot') {
    if (!seed) throw new UsageError('--tie-break lot needs a seed: lot:SEED');
    return { kind: 'lot', seed };
  }
  if (kind === 'backwards') return seed ? { kind, seed } : { kind };
  if (kind === 'fixed' && !seed) return { kind };
  throw new UsageError('--tie-break must be backwards[:seed], fixed or lot:seed');
}

/** "Option title=3" → ["Option title", 3] (the last "=" separates, so titles may contain "="). */
function parseSupermajority(v: string): [string, number] {
  const at = v.lastIndexOf('=');
  const s = v.slice(at + 1);
  if (at <= 0 || !/^\d+$/.test(s) || Number(s) < 1) {
    throw new UsageError('--supermajority must be OPTION=S with S a positive whole number');
  }
  return [v.slice(0, at), Number(s)];
}

function specFor(
  method: MethodId,
  file: BallotFile,
  values: Record<string, string | boolean | string[] | undefined>,
): CountSpec {
  const options = file.candidates.filter((c) => !file.withdrawn.includes(c));
  const seats = positiveInt(values.seats as string | undefined, '--seats') ?? file.seats ?? 1;
  const tieBreak = parseTieBreak(values['tie-break'] as string | undefined);
  const strength = values.strength as string | undefined;
  if (strength && strength !== 'winning-votes' && strength !== 'margins')
    throw new UsageError('--strength must be winning-votes or margins');
  const developers = positiveInt(values.developers as string | undefined, '--developers');
  const maxScore = positiveInt(values['max-score'] as string | undefined, '--max-score');
  return {
    method,
    options,
    seats,
    ...(tieBreak ? { tieBreak } : {}),
    ...(strength ? { strength: strength as 'winning-votes' | 'margins' } : {}),
    ...(maxScore ? { maxScore } : {}),
    unranked: file.implicitRanking ? 'below' : 'ignore',
    ...(method === 'debian'
      ? {
          defaultOption:
            (values['default-option'] as string | undefined) ??
            file.defaultOption ??
            options[options.length - 1]!,
          supermajority: {
            ...Object.fromEntries(Object.entries(file.supermajority ?? {}).map(([o, s]) => [o, Number(s)])),
            ...Object.fromEntries(
              ((values.supermajority as string[] | undefined) ?? []).map(parseSupermajority),
            ),
          },
          ...(developers ? { quorum: { kind: 'debian' as const, developers } } : {}),
        }
      : {}),
  };
}

/** Ranked ballots from the file, reshaped for methods that need another shape (documented in docs/COUNTING.md). */
function* ballotsFor(method: MethodId, file: BallotFile): Generator<CountBallot> {
  const shape = ballotShape(method);
  if (shape === 'scores')
    throw new RangeError('score voting needs scores, which ranked ballot files do not hold');
  for (const { ranking, weight } of file.store.entries()) {
    const clean = ranking.filter((g) => !g.includes('#'));
    if (shape === 'ranking') yield { ranking: clean, weight };
    else if (shape === 'approve') yield { approve: clean.flat(), weight };
    else yield { choice: clean[0]?.length === 1 ? clean[0][0]! : null, weight };
  }
}
