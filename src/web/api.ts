// The one way the app talks to Councils: the public HTTP API under /api/v1, with the session cookie and the
// CSRF token every cookie-authenticated write needs. An error reply becomes an ApiFailure carrying its stable id.
import { currentLocale } from './strings.ts';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The request field at fault, without its "body." prefix (e.g. "password"), when the API names one. */
    readonly field?: string,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** A fresh Idempotency-Key (128 random bits as an RFC 8941 string): one per act, reused by its retries. */
function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `"${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}"`;
}

/**
 * Sends a request; a write carries an Idempotency-Key and is sent again with the same key when the connection
 * failed or the server was still answering the first try, so a retried act is done once (docs/OPERATIONS.md).
 */
export async function send(path: string, init: RequestInit & { method: string }): Promise<Response> {
  const write = init.method !== 'GET';
  // The server words its messages in the language the app shows (docs/WEB.md "Languages").
  const headers: Record<string, string> = {
    'accept-language': currentLocale(),
    ...(init.headers as Record<string, string>),
  };
  if (write) headers['idempotency-key'] = newIdempotencyKey();
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(`/api/v1${path}`, { ...init, headers });
    } catch {
      if (!write || attempt >= 2) throw new ApiFailure(0, 'network_error', 'network');
      await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
      continue;
    }
    if (write && res.status === 409 && attempt < 4) {
      const data = (await res
        .clone()
        .json()
        .catch(() => null)) as { error?: string } | null;
      if (data?.error === 'idempotency_in_flight') {
        await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
        continue;
      }
    }
    return res;
  }
}

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  type?: string,
  signal?: AbortSignal,
): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = type ?? 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await send(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(signal ? { signal } : {}),
    ...(body !== undefined ? { body: type ? (body as string) : JSON.stringify(body) } : {}),
  });
  if (res.status === 204) return undefined as T;
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const e = (data ?? {}) as { error?: string; message?: string; field?: string };
    const field = e.field?.replace(/^(body|params|querystring)\./, '');
    throw new ApiFailure(res.status, e.error ?? 'internal_error', e.message ?? res.statusText, field);
  }
  return data as T;
}

export const api = {
  /** A read; `signal` cancels it (a search overtaken by newer text). */
  get: <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, undefined, undefined, signal),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
  /** Uploads a file's text as it is (a workforce CSV). */
  upload: <T>(path: string, text: string, type: string) => request<T>('POST', path, text, type),
};
