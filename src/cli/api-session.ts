// The CLI's way into a running server: the HTTP API with a bearer API token (docs/POWER.md). Flags first, then
// $COUNCILS_URL and $COUNCILS_TOKEN. The organisation and the member come from GET /me.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../config.ts';
import { UsageError } from './command.ts';

export interface ApiOptions {
  url?: string | undefined;
  token?: string | undefined;
}

export class ApiSession {
  private me: { memberId: string; orgId: string } | undefined;

  constructor(
    readonly url: string,
    private readonly token: string,
  ) {}

  static from(o: ApiOptions): ApiSession {
    const config = loadConfig();
    const url = o.url ?? config.apiUrl;
    const token = o.token ?? config.token;
    if (!url) throw new UsageError('give --url or set COUNCILS_URL (the server, e.g. http://127.0.0.1:3000)');
    if (!token) throw new UsageError('give --token or set COUNCILS_TOKEN (an API token made in the app)');
    return new ApiSession(url.replace(/\/$/, ''), token);
  }

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (!res.ok)
      throw new Error(`${method} ${path}: ${res.status} ${json.error ?? ''}: ${json.message ?? text}`);
    return json as T;
  }

  /**
   * A paged list read whole (docs/API.md "Paging"): the first answer with its `list` followed through `next` (a
   * cursor the server gives with each page, `after=` of the next) to the end, so a command's output does not stop at
   * a page as the lists it printed before they were paged did not. `next` is null in what it returns.
   */
  async all<T = Record<string, unknown>>(path: string, list: string, next = 'next'): Promise<T> {
    const first = await this.call('GET', path);
    if (!Array.isArray(first[list])) return first as T; // no list in this answer (e.g. payslips withheld)
    const rows = [...(first[list] as unknown[])];
    const join = path.includes('?') ? '&' : '?';
    for (let after = first[next]; typeof after === 'string' && after !== '';) {
      const page = await this.call('GET', `${path}${join}after=${encodeURIComponent(after)}`);
      rows.push(...(page[list] as unknown[]));
      if (page[next] === after)
        throw new Error(`GET ${path}: the server gave the same page again (${next} ${after})`);
      after = page[next];
    }
    return { ...first, [list]: rows, [next]: null } as T;
  }

  /** A raw exchange: a text body of any type (a CSV upload), the answer as text (a CSV download). */
  async text(method: string, path: string, body?: { type: string; text: string }): Promise<string> {
    const res = await this.send(method, path, {
      ...(body !== undefined ? { 'content-type': body.type } : {}),
      body: body?.text,
    });
    const text = await res.text();
    if (!res.ok) {
      let e: Record<string, unknown> = {};
      try {
        e = JSON.parse(text) as Record<string, unknown>;
      } catch {
        // not JSON: report the text
      }
      throw new Error(`${method} ${path}: ${res.status} ${e.error ?? ''}: ${e.message ?? text}`);
    }
    return text;
  }

  /**
   * Sends one act. A write carries a fresh Idempotency-Key and is sent again with the same key when the
   * connection failed or the server was still answering the first try: the act is done once
   * (docs/OPERATIONS.md "Idempotent retries").
   */
  private async send(
    method: string,
    path: string,
    o: { 'content-type'?: string; body: string | undefined },
  ): Promise<Response> {
    const write = method !== 'GET';
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.token}`,
      ...(o['content-type'] ? { 'content-type': o['content-type'] } : {}),
      ...(write ? { 'idempotency-key': `"${randomUUID()}"` } : {}),
    };
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(`${this.url}/api/v1${path}`, {
          method,
          headers,
          ...(o.body !== undefined ? { body: o.body } : {}),
        });
      } catch (e) {
        if (!write || attempt >= ApiSession.retries) throw e;
        await sleep(500 * (attempt + 1));
        continue;
      }
      if (write && res.status === 409 && attempt < ApiSession.retries) {
        const data = (await res
          .clone()
          .json()
          .catch(() => null)) as { error?: string } | null;
        if (data?.error === 'idempotency_in_flight') {
          await sleep(500 * (attempt + 1));
          continue;
        }
      }
      return res;
    }
  }

  /** How many times a write is sent again after a failed connection. */
  static retries = 3;

  async whoami(): Promise<{ memberId: string; orgId: string }> {
    if (!this.me) {
      const r = await this.call<{ member: { id: string }; organisation: { id: string } }>('GET', '/me');
      this.me = { memberId: r.member.id, orgId: r.organisation.id };
    }
    return this.me;
  }
}

export const apiFlags = {
  url: { type: 'string' },
  token: { type: 'string' },
} as const;
