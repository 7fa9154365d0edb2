// A small client for the in-process API tests: app.inject with cookies and the CSRF header handled.
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export class ApiClient {
  cookie: string | undefined;
  csrf: string | undefined;
  memberId: string | undefined;
  orgId: string | undefined;
  /** Sent as Accept-Language: the language the server words its messages in. */
  language: string | undefined;

  constructor(
    readonly app: FastifyInstance,
    readonly bearer?: string,
  ) {}

  async request(method: string, url: string, body?: unknown): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    if (this.language) headers['accept-language'] = this.language;
    // A string body is a file upload (the workforce CSV).
    if (typeof body === 'string') headers['content-type'] = 'text/csv';
    const res = await this.app.inject({
      method: method as 'GET',
      url: `/api/v1${url}`,
      headers,
      ...(body !== undefined ? { payload: body as object | string } : {}),
    });
    const set = res.headers['set-cookie'];
    const first = Array.isArray(set) ? set[0] : set;
    if (first?.startsWith('councils_session=')) this.cookie = first.split(';')[0];
    return res;
  }

  async ok<T = Record<string, unknown>>(method: string, url: string, body?: unknown): Promise<T> {
    const res = await this.request(method, url, body);
    assert.ok(res.statusCode < 300, `${method} ${url} → ${res.statusCode} ${res.body}`);
    return (res.body ? res.json() : undefined) as T;
  }

  async fails(method: string, url: string, body: unknown, status: number, error: string): Promise<void> {
    const res = await this.request(method, url, body);
    assert.equal(res.statusCode, status, `${method} ${url} → ${res.statusCode} ${res.body}`);
    assert.equal(res.json().error, error);
  }

  /** Accepts an invitation link's token and keeps the session. */
  async join(token: string, email: string, name?: string): Promise<this> {
    const r = await this.ok<{ memberId: string; orgId: string; csrfToken: string }>(
      'POST',
      `/invitations/${token}/accept`,
      { email, password: 'correct horse battery', ...(name ? { name } : {}) },
    );
    this.memberId = r.memberId;
    this.orgId = r.orgId;
    this.csrf = r.csrfToken;
    return this;
  }
}
