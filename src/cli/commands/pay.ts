// `councils pay run|compare`: runs a pay scheme on a workers CSV, or compares a proposed scheme with the current
// one (docs/PAY.md §"CLI"). File I/O lives here; the computation is src/core/pay.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  comparisonCsv,
  comparisonJson,
  comparisonText,
  compareSchemes,
  CsvError,
  inequalityReport,
  payrollJson,
  payrollText,
  PayrollError,
  payslipsCsv,
  reportCsv,
  readWorkersCsv,
  runPayroll,
  SchemeError,
  validateScheme,
  type Scheme,
} from '../../core/pay/index.ts';
import { UsageError, type Command, type CommandIo } from '../command.ts';
import { payRemote } from './pay-remote.ts';

export const PAY_USAGE = `usage:
  councils pay run --scheme S.json --workers W.csv [--period P] [--format text|json|csv] [--report] [--aggregates-only]
  councils pay compare --current A.json --proposed B.json --workers W.csv [--period P] [--format text|json|csv]
                       [--biggest N] [--aggregates-only]
--format csv prints payslips (run), the report's measures (run --report) or per-worker changes (compare).
--aggregates-only leaves out every individual's pay (for constitutions that publish aggregates only).

against a server (--url/--token or $COUNCILS_URL/$COUNCILS_TOKEN; what you see of individual pay is the
constitution's decision):
  councils pay propose --council C --scheme S.json --title T [--text T]   move a pay motion; prints its id
  councils pay compare --motion M [--period P] [--biggest N] [--format csv]  its projected effect on the workforce
  councils pay adopted --council C                   the current scheme and every adopted version
  councils pay import --council C --workers W.csv    import the workforce (kept private; its SHA-256 is logged)
  councils pay run --council C [--period P] [--format json|csv] [--report]   the payroll of a period`;

const OPTIONS = {
  scheme: { type: 'string' },
  current: { type: 'string' },
  proposed: { type: 'string' },
  workers: { type: 'string' },
  period: { type: 'string', default: 'current' },
  format: { type: 'string', default: 'text' },
  report: { type: 'boolean', default: false },
  biggest: { type: 'string', default: '10' },
  'aggregates-only': { type: 'boolean', default: false },
  council: { type: 'string' },
  motion: { type: 'string' },
  title: { type: 'string' },
  text: { type: 'string' },
  url: { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

export const payCommand: Command = async (args, io) => {
  let parsed;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(PAY_USAGE + '\n');
    return 0;
  }
  const format = values.format;
  if (format !== 'text' && format !== 'json' && format !== 'csv')
    throw new UsageError(`--format: unknown "${format}"`);
  const sub = positionals[0];
  const remote = ['propose', 'adopted', 'import'].includes(sub ?? '') || values.council || values.motion;
  if (positionals.length === 1 && remote) return payRemote(sub!, values, io);
  if (positionals.length !== 1 || (sub !== 'run' && sub !== 'compare')) {
    throw new UsageError('expected one sub-command: run, compare, propose, adopted or import');
  }
  try {
    if (sub === 'run') await run(values, format, io);
    else await compare(values, format, io);
    return 0;
  } catch (e) {
    if (
      e instanceof SchemeError ||
      e instanceof CsvError ||
      e instanceof PayrollError ||
      e instanceof FileError
    ) {
      io.err(`councils pay ${sub}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
};

async function run(values: Values, format: string, io: CommandIo): Promise<void> {
  const scheme = await loadScheme(required(values.scheme, '--scheme'));
  const workers = await loadWorkers(required(values.workers, '--workers'), scheme);
  const payroll = runPayroll(scheme, workers, values.period ?? 'current');
  const report = inequalityReport(payroll.pay);
  const individuals = !values['aggregates-only'];
  if (format === 'json')
    io.out(JSON.stringify(payrollJson(payroll, report, { individuals }), null, 2) + '\n');
  else if (format === 'csv') {
    if (!values.report && !individuals)
      throw new UsageError('--format csv without --report prints payslips; add --report');
    io.out(values.report ? reportCsv(report) : payslipsCsv(payroll));
  } else io.out(payrollText(payroll, report, individuals ? 50 : 0));
}

async function compare(values: Values, format: string, io: CommandIo): Promise<void> {
  const current = await loadScheme(required(values.current, '--current'));
  const proposed = await loadScheme(required(values.proposed, '--proposed'));
  if (
    current.currency.code !== proposed.currency.code ||
    current.currency.minorDigits !== proposed.currency.minorDigits
  ) {
    throw new SchemeError('currency', 'scheme_same_currency');
  }
  const workers = await loadWorkers(required(values.workers, '--workers'), current, proposed);
  const biggest = Number(values.biggest);
  if (!Number.isSafeInteger(biggest) || biggest < 0)
    throw new UsageError(`--biggest: not a count: ${values.biggest}`);
  const individuals = !values['aggregates-only'];
  const c = compareSchemes(current, proposed, workers, values.period ?? 'current', {
    biggest: individuals ? biggest : 0,
  });
  if (format === 'json') io.out(JSON.stringify(comparisonJson(c, { individuals }), null, 2) + '\n');
  else if (format === 'csv') {
    if (!individuals) throw new UsageError('--format csv lists every worker; it cannot be --aggregates-only');
    io.out(comparisonCsv(c));
  } else io.out(comparisonText(c));
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

/** A file that cannot be read or parsed as JSON. */
class FileError extends Error {
  override name = 'FileError';
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new FileError(`${path}: ${(e as Error).message}`);
  }
}

async function loadScheme(path: string): Promise<Scheme> {
  const text = await readText(path);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new FileError(`${path}: not JSON: ${(e as Error).message}`);
  }
  try {
    return validateScheme(json);
  } catch (e) {
    if (e instanceof SchemeError) throw new FileError(`${path}: ${e.message}`);
    throw e;
  }
}

async function loadWorkers(path: string, ...schemes: Scheme[]) {
  const text = await readText(path);
  const grades = schemes[0]!.gradeIds.filter((g) => schemes.every((s) => s.gradeIds.includes(g)));
  try {
    return readWorkersCsv(text, { grades });
  } catch (e) {
    if (e instanceof CsvError) throw new FileError(`${path}: ${e.message}`);
    throw e;
  }
}
