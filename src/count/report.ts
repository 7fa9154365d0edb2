// The JSON-safe report of a count (every number a decimal string, never a bigint or a float), and its text form.
import type { TieBreakRecord } from './tie-break.ts';

export interface Round {
  number: number;
  /** Each continuing or elected candidate's votes in this round; also ":exhausted" etc. where the method has them. */
  tallies: Record<string, string>;
  quota?: string;
  /** The surplus transferred in this round, if any. */
  surplus?: string;
  /** Change of each candidate's votes during this round (negative for the one transferred from). */
  transfers?: Record<string, string>;
  /** Votes that no longer count for any candidate, at the end of this round. */
  exhausted?: string;
  elected: string[];
  excluded: string[];
  tieBreaks: TieBreakRecord[];
  /** What happened, in words. */
  action?: string;
}

export interface CountReport {
  method: string;
  /** Winners in order of election (or the single winner). */
  winners: string[];
  /** Full ordering where the method gives one: groups of equal rank, best first. */
  ranking?: string[][];
  rounds: Round[];
  explanation: string[];
  seats?: number;
  tieBreak?: { kind: string; seed?: string };
  /** Decimal places of all vote figures, where the method uses fixed point. */
  decimals?: number;
  /** Method-specific detail (pairwise matrix, quorum, majority ratios...), JSON-safe. */
  details?: Record<string, unknown>;
}

export function emptyRound(number: number): Round {
  return { number, tallies: {}, elected: [], excluded: [], tieBreaks: [] };
}

/** A readable text form of a report. */
export function formatReportText(report: CountReport): string {
  const lines: string[] = [];
  lines.push(`Method: ${report.method}${report.seats ? ` (${report.seats} seats)` : ''}`);
  if (report.tieBreak) {
    lines.push(
      `Tie-break: ${report.tieBreak.kind}${report.tieBreak.seed ? ` (seed "${report.tieBreak.seed}")` : ''}`,
    );
  }
  for (const r of report.rounds) {
    lines.push('', `Round ${r.number}${r.action ? `: ${r.action}` : ''}`);
    if (r.quota !== undefined) lines.push(`  quota ${r.quota}`);
    const width = Math.max(8, ...Object.keys(r.tallies).map((k) => k.length));
    for (const [name, votes] of Object.entries(r.tallies)) {
      const change = r.transfers?.[name];
      const shown = change && /[1-9]/.test(change) ? `  (${change.startsWith('-') ? '' : '+'}${change})` : '';
      lines.push(`  ${name.padEnd(width)}  ${votes.padStart(14)}${shown}`);
    }
    if (r.exhausted !== undefined) lines.push(`  ${'exhausted'.padEnd(width)}  ${r.exhausted.padStart(14)}`);
    if (r.elected.length) lines.push(`  elected: ${r.elected.join(', ')}`);
    if (r.excluded.length) lines.push(`  excluded: ${r.excluded.join(', ')}`);
    for (const t of r.tieBreaks) lines.push(`  tie among ${t.among.join(', ')} → ${t.chosen}: ${t.reason}`);
  }
  if (report.ranking) lines.push('', `Ranking: ${report.ranking.map((g) => g.join(' = ')).join(' > ')}`);
  lines.push('', `Winners: ${report.winners.length ? report.winners.join(', ') : '(none)'}`);
  if (report.explanation.length) lines.push('', ...report.explanation);
  return lines.join('\n') + '\n';
}
