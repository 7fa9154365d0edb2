// The one way the app talks to Councils: the public HTTP API under /api/v1, with the session cookie and the
// CSRF token every cookie-authenticated write needs. An error reply becomes an ApiFailure carrying its stable id.
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

async function request<T>(method: string, path: string, body?: unknown, type?: string): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = type ?? 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: type ? (body as string) : JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiFailure(0, 'network_error', 'network');
  }
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
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
  /** Uploads a file's text as it is (a workforce CSV). */
  upload: <T>(path: string, text: string, type: string) => request<T>('POST', path, text, type),
};
