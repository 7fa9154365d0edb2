// Pay and pensions over the API (docs/PAY.md "Over the API"): a council's scheme and its history, workforce
// imports (a private file, its SHA-256 in the log), the projected effect of a pay motion's alternatives against
// the current scheme on the council's workforce, and the payroll of a period. What a member sees of individual
// pay is the constitution's decision (payVisibility): with "aggregates" no worker id, payslip or per-worker row
// leaves the server, and no figure describes fewer workers than the constitution's payMinimumGroup (docs/PAY.md
// "Minimum group"; the rule itself is src/core/pay/minimum-group.ts, the server only passes N).
import { createHash } from 'node:crypto';
import { councilPay, currentScheme, payMinimumGroup, payVisibility, type OrgState } from '../core/index.ts';
import {
  comparePayrolls,
  compareSchemes,
  comparisonCsv,
  comparisonJson,
  CsvError,
  inequalityReport,
  payrollJson,
  PayrollError,
  payslip,
  payslipsCsv,
  readWorkersCsv,
  reportCsv,
  reportJson,
  runPayroll,
  validateScheme,
  type InequalityReport,
  type Payroll as PayrollRun,
  type WorkerTable,
} from '../core/pay/index.ts';
import { findWorkforce, storeWorkforce } from '../store/pay-workforce.ts';
import { ApiError, invalidRequest } from './errors.ts';
import { badCursor, pageSize } from './paging.ts';

import { presentPayOverview, presentWorkforceImport } from './presenters/pay.ts';
import type { PayEffect, PayOverview, Payroll, WorkforceImported } from './responses/pay.ts';
import type { CouncilsService } from './service.ts';
import { perService } from './per-service.ts';

/** A CSV reply: its text and the file name offered. */
export interface CsvFile {
  type: 'csv';
  body: string;
  name: string;
}

const period = /^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$/;

export function checkPeriod(p: string | undefined, fallback: string): string {
  const v = p ?? fallback;
  if (!period.test(v)) {
    throw invalidRequest('pay_period', 'period');
  }
  return v;
}

function council(state: OrgState, councilId: string) {
  if (!state.councils.has(councilId)) throw new ApiError('not_found', 'no such council');
}

/** The council's current scheme, every adopted version, the workforce imports and what members may see. */
export async function payOverview(
  service: CouncilsService,
  orgId: string,
  councilId: string,
): Promise<PayOverview> {
  const state = await service.ledger(orgId).current();
  council(state, councilId);
  const motions = [...state.motions.values()].filter((m) => m.kind === 'pay' && m.councilId === councilId);
  return presentPayOverview(councilId, state.org!.constitution, councilPay(state, councilId), motions);
}

/** Parses a workforce CSV (errors by line and column), stores the file privately, then logs its SHA-256. */
export async function importWorkforce(
  service: CouncilsService,
  orgId: string,
  memberId: string,
  councilId: string,
  csv: string,
): Promise<WorkforceImported> {
  const state = await service.ledger(orgId).current();
  council(state, councilId);
  const grades = currentScheme(state, councilId)?.scheme.grades.map((g) => g.id);
  let table: WorkerTable;
  try {
    table = readWorkersCsv(csv, grades ? { grades } : {});
  } catch (e) {
    if (e instanceof CsvError) throw csvError(e);
    if (e instanceof PayrollError) throw withProblem(new ApiError('invalid_request', e.message, 'csv'), e);
    throw e;
  }
  const sha256 = createHash('sha256').update(csv, 'utf8').digest('hex');
  // The file first: the log never names a file the server does not hold. A refused command leaves an
  // unreferenced (content-addressed) file and no entry.
  await storeWorkforce(service.db.kysely, {
    orgId,
    councilId,
    sha256,
    workers: table.count,
    csv,
    at: service.now(),
  });
  const entries = await service.run(orgId, memberId, {
    type: 'record_workforce',
    councilId,
    sha256,
    workers: table.count,
  });
  PayCaches.keep(cachesOf(service).tables, tableKey(orgId, councilId, sha256), table);
  return { seq: entries[0]!.seq, sha256, workers: table.count };
}

function csvError(e: CsvError): ApiError {
  const err = new ApiError('invalid_request', e.message, e.field === undefined ? 'csv' : `csv.${e.field}`);
  return Object.assign(withProblem(err, e), { line: e.line, column: e.column });
}

/** The error worded from the catalogue in the request's language by its problem id (src/core/kernel/problems.ts). */
function withProblem(err: ApiError, e: CsvError | PayrollError): ApiError {
  err.problem = e.problem;
  err.params = e instanceof PayrollError ? { field: e.path, ...e.params } : e.params;
  return err;
}

/**
 * What the pay routes keep between requests, one a service (as src/server/ended-reads.ts keeps its reads): two
 * services in one process (tests start several; a process may serve several stores, as a backup restored beside
 * its original, with the same organisation ids) share nothing. Each map keeps its last `kept` entries.
 */
class PayCaches {
  static readonly kept = 8;
  /** Parsed workforce tables, by organisation, council and hash: a motion page is read many times against one file. */
  readonly tables = new Map<string, WorkerTable>();
  /**
   * Payroll runs, by organisation, council, workforce file and scheme version: the same run is asked for again
   * with each page of its payslips, and its report (a sort of every worker's pay) is the same each time. Not by
   * period: the period is a label no figure depends on (runPayroll copies it into the result), stamped on the run
   * on the way out; keyed by it, any member could force a whole run on each request by naming a new period, and
   * evict the other organisations' runs (review1 of session 13, finding 1).
   */
  readonly runs = new Map<string, { payroll: PayrollRun; report: InequalityReport }>();
  /** How many payroll runs this service has made (a miss of `runs`): for tests and an operator's debugger. */
  runsMade = 0;

  static keep<T>(map: Map<string, T>, key: string, value: T): T {
    map.delete(key);
    if (map.size >= PayCaches.kept) map.delete(map.keys().next().value!);
    map.set(key, value);
    return value;
  }
}

/** The payroll runs `service` has made since it started (each a cache miss: a whole run over the workforce). */
export const payrollRunsMade = (service: CouncilsService): number => cachesOf(service).runsMade;

const cachesOf = perService(() => new PayCaches());

/** The key of a workforce file: council ids repeat across organisations, so it is keyed like its table. */
const tableKey = (orgId: string, councilId: string, sha256: string) => `${orgId}/${councilId}/${sha256}`;

async function workforce(
  service: CouncilsService,
  state: OrgState,
  councilId: string,
): Promise<WorkerTable | null> {
  const w = councilPay(state, councilId).imports.at(-1);
  if (!w) return null;
  const orgId = state.org!.id;
  const { tables } = cachesOf(service);
  const key = tableKey(orgId, councilId, w.sha256);
  const hit = tables.get(key);
  if (hit) return hit;
  const csv = await findWorkforce(service.db.kysely, orgId, councilId, w.sha256);
  if (csv === undefined)
    throw new ApiError('internal_error', 'the workforce file named in the log is missing');
  return PayCaches.keep(tables, key, readWorkersCsv(csv));
}

function payrollOf<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    // The workforce names a grade the scheme has not got, or a value the scheme cannot pay: the data do not fit.
    if (e instanceof PayrollError) throw withProblem(new ApiError('wrong_state', e.message), e);
    throw e;
  }
}

export type PayFormat = 'json' | 'csv';

/** What the constitution lets members see: individuals, or aggregates of at least `minimumGroup` workers. */
function visibilityOf(state: OrgState) {
  const c = state.org!.constitution;
  const individuals = payVisibility(c) === 'individuals';
  return { individuals, minimumGroup: individuals ? undefined : payMinimumGroup(c) };
}

// A workforce's row of each worker id, built once per (immutable) table at the first page asked after an id.
const rows = new WeakMap<WorkerTable, Map<string, number>>();
function rowOf(workers: WorkerTable, id: string): number | undefined {
  let index = rows.get(workers);
  if (!index) {
    index = new Map();
    for (let i = 0; i < workers.count; i++) index.set(workers.ids.get(i), i);
    rows.set(workers, index);
  }
  return index.get(id);
}

/**
 * The payroll of a period under the current scheme on the current workforce: the inequality report (whole: a
 * summary), and, if the constitution shows individuals, a page of the payslips in the workforce file's order: up
 * to `limit` (100 unless asked) after the worker `after`, and `payslipsNext`. The CSV is every payslip (a file).
 */
export async function payrollRun(
  service: CouncilsService,
  orgId: string,
  councilId: string,
  q: {
    period?: string;
    format?: PayFormat;
    part?: 'payslips' | 'report';
    after?: string | undefined;
    limit?: number | undefined;
  },
): Promise<{ type: 'json'; body: Payroll } | CsvFile> {
  const state = await service.ledger(orgId).current();
  council(state, councilId);
  const { individuals, minimumGroup } = visibilityOf(state);
  const adopted = currentScheme(state, councilId);
  if (!adopted) throw new ApiError('wrong_state', 'this council has adopted no pay scheme yet');
  const workers = await workforce(service, state, councilId);
  if (!workers) throw new ApiError('wrong_state', 'import the workforce first');
  const p = checkPeriod(q.period, service.now().slice(0, 7));
  const part = q.part ?? (individuals ? 'payslips' : 'report');
  // A cursor is a worker id: read under aggregates it would tell who is in the workforce, so it is refused unread.
  if ((part === 'payslips' || q.after !== undefined) && !individuals) {
    throw new ApiError('forbidden', 'the constitution shows members only aggregates of pay, not payslips');
  }
  const imported = councilPay(state, councilId).imports.at(-1)!;
  // A cursor names the workforce file it was given on (the start of its hash) and the last worker of its page: a
  // workforce imported again between two pages (another order, other workers) is refused, not paged on in a file
  // the reader never saw the start of (which would skip and repeat payslips).
  const file = imported.sha256.slice(0, 16);
  let from = 0;
  if (q.after !== undefined) {
    const cut = q.after.indexOf('~');
    if (cut < 0) throw badCursor();
    if (q.after.slice(0, cut) !== file)
      throw new ApiError(
        'wrong_state',
        'the workforce was imported again since the first page: start from the first page',
      );
    const row = rowOf(workers, q.after.slice(cut + 1));
    if (row === undefined) throw badCursor();
    from = row;
  }
  const caches = cachesOf(service);
  const key = `${tableKey(orgId, councilId, imported.sha256)}/${adopted.version}`;
  let run = caches.runs.get(key);
  if (!run) {
    caches.runsMade++;
    const payroll = payrollOf(() => runPayroll(validateScheme(adopted.scheme), workers, p));
    run = PayCaches.keep(caches.runs, key, { payroll, report: inequalityReport(payroll.pay) });
  }
  // The run as made for whichever period first asked for it, stamped with this request's period (JSON and CSV).
  const payroll: PayrollRun = { ...run.payroll, period: p };
  const { report } = run;
  if (q.format === 'csv') {
    return part === 'payslips'
      ? { type: 'csv', body: payslipsCsv(payroll), name: `payslips-${councilId}-${p}.csv` }
      : { type: 'csv', body: reportCsv(report, { minimumGroup }), name: `pay-report-${councilId}-${p}.csv` };
  }
  // The head and report as before, without the payslips (individuals: false), then the page of them.
  const head = payrollJson(payroll, report, { individuals: false, minimumGroup });
  const start = q.after === undefined ? 0 : from + 1;
  const end = Math.min(start + pageSize(q.limit), payroll.workers.count);
  const page =
    individuals && !('withheld' in head)
      ? {
          payslips: Array.from({ length: end - start }, (_, i) => payslip(payroll, start + i)),
          payslipsNext: end < payroll.workers.count ? `${file}~${payroll.workers.ids.get(end - 1)}` : null,
        }
      : {};
  return {
    type: 'json',
    body: {
      councilId,
      version: adopted.version,
      workforce: presentWorkforceImport(imported),
      visibility: individuals ? 'individuals' : 'aggregates',
      ...head,
      ...page,
    },
  };
}

/** The projected effect of each alternative of a pay motion against the council's current scheme. */
export async function payEffect(
  service: CouncilsService,
  orgId: string,
  motionId: string,
  q: { period?: string; biggest?: number; format?: PayFormat; alternative?: string },
): Promise<{ type: 'json'; body: PayEffect } | CsvFile> {
  const state = await service.ledger(orgId).current();
  const motion = state.motions.get(motionId);
  if (!motion) throw new ApiError('not_found', 'no such motion');
  if (motion.kind !== 'pay') throw new ApiError('wrong_state', 'this is not a pay motion');
  const { individuals, minimumGroup } = visibilityOf(state);
  // Against the current scheme; once this motion has adopted its scheme, against the one it replaced.
  const schemes = councilPay(state, motion.councilId).schemes;
  const adoptedAt = schemes.findIndex((x) => x.motionId === motion.id);
  const adopted = adoptedAt >= 0 ? (schemes[adoptedAt - 1] ?? null) : currentScheme(state, motion.councilId);
  const workers = await workforce(service, state, motion.councilId);
  const p = checkPeriod(q.period, service.now().slice(0, 7));
  const alternatives = motion.alternatives.filter(
    (a) => q.alternative === undefined || a.id === q.alternative,
  );
  if (alternatives.length === 0) throw new ApiError('not_found', 'no such alternative');
  if (q.format === 'csv') {
    if (!individuals)
      throw new ApiError('forbidden', 'the constitution shows members only aggregates of pay');
    if (!adopted || !workers)
      throw new ApiError('wrong_state', 'there is no current scheme or no workforce to compare on');
    const a = alternatives[0]!;
    const c = payrollOf(() =>
      compareSchemes(validateScheme(adopted.scheme), validateScheme(a.scheme), workers, p, { biggest: 0 }),
    );
    return { type: 'csv' as const, body: comparisonCsv(c), name: `pay-effect-${motionId}-${a.id}.csv` };
  }
  const biggest = q.biggest ?? 10;
  const baseline =
    adopted && workers ? payrollOf(() => runPayroll(validateScheme(adopted.scheme), workers, p)) : null;
  return {
    type: 'json' as const,
    body: {
      motionId,
      councilId: motion.councilId,
      state: motion.state,
      period: p,
      visibility: individuals ? 'individuals' : 'aggregates',
      ...(minimumGroup === undefined ? {} : { minimumGroup }),
      current: adopted ? { version: adopted.version, scheme: { ...adopted.scheme } } : null,
      /** Whether `current` is the scheme this motion replaced (it adopted one of its alternatives). */
      replaced: adoptedAt >= 0,
      workforce: workers ? presentWorkforceImport(councilPay(state, motion.councilId).imports.at(-1)!) : null,
      alternatives: alternatives.map((a) => {
        const proposed = validateScheme(a.scheme);
        let effect: PayEffect['alternatives'][number]['effect'] = null;
        let report: PayEffect['alternatives'][number]['report'] = null;
        if (workers && baseline) {
          const c = payrollOf(() => comparePayrolls(baseline, runPayroll(proposed, workers, p), { biggest }));
          effect = comparisonJson(c, { individuals, minimumGroup });
        } else if (workers) {
          const payroll = payrollOf(() => runPayroll(proposed, workers, p));
          report = reportJson(inequalityReport(payroll.pay), { minimumGroup });
        }
        return { id: a.id, title: a.title, scheme: { ...a.scheme! }, effect, report };
      }),
    },
  };
}
