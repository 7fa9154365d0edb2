// The CLI's way into a running server: the HTTP API with a bearer API token (docs/POWER.md). Flags first, then
// $COUNCILS_URL and $COUNCILS_TOKEN. The organisation and the member come from GET /me.
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
    const res = await fetch(`${this.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (!res.ok)
      throw new Error(`${method} ${path}: ${res.status} ${json.error ?? ''}: ${json.message ?? text}`);
    return json as T;
  }

  /** A raw exchange: a text body of any type (a CSV upload), the answer as text (a CSV download). */
  async text(method: string, path: string, body?: { type: string; text: string }): Promise<string> {
    const res = await fetch(`${this.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body !== undefined ? { 'content-type': body.type } : {}),
      },
      ...(body !== undefined ? { body: body.text } : {}),
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
