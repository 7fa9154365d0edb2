// A client for a real Councils server over HTTP (fetch), keeping the session cookie and CSRF token.
import assert from 'node:assert/strict';

export class HttpClient {
  cookie: string | undefined;
  csrf: string | undefined;
  memberId: string | undefined;

  constructor(readonly base: string) {}

  async request(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    const res = await fetch(`${this.base}/api/v1${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const set = res.headers.get('set-cookie');
    if (set?.startsWith('councils_session=')) this.cookie = set.split(';')[0];
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  }

  async ok(method: string, path: string, body?: unknown): Promise<any> {
    const r = await this.request(method, path, body);
    assert.ok(r.status < 300, `${method} ${path} → ${r.status} ${JSON.stringify(r.json)}`);
    return r.json;
  }

  async join(token: string, email: string): Promise<this> {
    const r = await this.ok('POST', `/invitations/${token}/accept`, {
      email,
      password: 'correct horse battery',
    });
    this.memberId = r.memberId;
    this.csrf = r.csrfToken;
    return this;
  }
}
