// `councils pay propose|compare|adopted|import|run` against a server (docs/PAY.md "CLI"): the same verbs as the
// web page, over the HTTP API with an API token. What the server shows of individual pay is the constitution's
// decision; the CLI prints what it gets.
import { readFile } from 'node:fs/promises';
import { ApiSession } from '../api-session.ts';
import { UsageError, type CommandIo } from '../command.ts';

export interface RemoteValues {
  url?: string | undefined;
  token?: string | undefined;
  council?: string | undefined;
  motion?: string | undefined;
  scheme?: string | undefined;
  workers?: string | undefined;
  title?: string | undefined;
  text?: string | undefined;
  period?: string | undefined;
  format?: string | undefined;
  report?: boolean | undefined;
  biggest?: string | undefined;
}

function need(v: string | undefined, flag: string): string {
  if (v === undefined || v === '') throw new UsageError(`${flag} is required`);
  return v;
}

async function file(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${path}: ${(e as Error).message}`);
  }
}

function query(q: Record<string, string | undefined>): string {
  const s = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined));
  return s.size ? `?${s}` : '';
}

export async function payRemote(sub: string, v: RemoteValues, io: CommandIo): Promise<number> {
  const api = ApiSession.from(v);
  const { orgId } = await api.whoami();
  const out = (x: unknown) => io.out(JSON.stringify(x, null, 2) + '\n');
  const period = v.period === 'current' ? undefined : v.period;
  switch (sub) {
    case 'propose': {
      const council = need(v.council, '--council');
      const text = await file(need(v.scheme, '--scheme'));
      let scheme: unknown;
      try {
        scheme = JSON.parse(text);
      } catch (e) {
        throw new UsageError(`${v.scheme}: not JSON: ${(e as Error).message}`);
      }
      const r = await api.call<{ motionId: string }>(
        'POST',
        `/orgs/${orgId}/councils/${council}/pay/motions`,
        {
          title: need(v.title, '--title'),
          text: v.text ?? '',
          scheme,
        },
      );
      io.out(`${r.motionId}\n`);
      return 0;
    }
    case 'import': {
      const council = need(v.council, '--council');
      const csv = await file(need(v.workers, '--workers'));
      out(
        await api
          .text('POST', `/orgs/${orgId}/councils/${council}/pay/workforce`, { type: 'text/csv', text: csv })
          .then(JSON.parse),
      );
      return 0;
    }
    case 'adopted':
      out(await api.call('GET', `/orgs/${orgId}/councils/${need(v.council, '--council')}/pay`));
      return 0;
    case 'compare': {
      const motion = need(v.motion, '--motion');
      const format = v.format === 'csv' ? 'csv' : undefined;
      const path = `/orgs/${orgId}/motions/${motion}/pay-effect${query({ period, format, biggest: v.biggest })}`;
      if (format) io.out(await api.text('GET', path));
      else out(await api.call('GET', path));
      return 0;
    }
    case 'run': {
      const council = need(v.council, '--council');
      const format = v.format === 'csv' ? 'csv' : undefined;
      const part = v.report ? 'report' : format ? 'payslips' : undefined;
      const path = `/orgs/${orgId}/councils/${council}/pay/payroll${query({ period, format, part })}`;
      if (format) io.out(await api.text('GET', path));
      else if (part) out(await api.call('GET', path));
      else out(await api.all(path, 'payslips', 'payslipsNext')); // every payslip, as before the JSON was paged
      return 0;
    }
    default:
      throw new UsageError(`unknown action "${sub}"`);
  }
}
