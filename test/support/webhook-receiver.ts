// A real HTTP receiver of webhooks on 127.0.0.1 for the tests: it records every request (headers and the raw body)
// and answers 200, or what the test asks (`answerNext`, with headers such as Retry-After); `hold()` keeps answers back
// until `release()` (a sender can then be killed while a request is in flight). Tests find requests by what they
// carry (`matching`, `waitForMatching`), never by their position: a sender's requests may arrive in any order.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The status the receiver answered (null: not answered yet, or the sender was gone first). */
  answered: number | null;
}

export interface WebhookReceiver {
  url: string;
  received: Received[];
  /** The next `n` requests are answered `status`, with `headers` (then 200 again). */
  answerNext(n: number, status: number, headers?: Record<string, string>): void;
  /** Every request is answered `status` until changed (null: back to 200). */
  answerAlways(status: number | null): void;
  hold(): void;
  /** Waits until the connection of every held request is closed (its sender was killed), or `ms` passed. */
  heldClosed(ms: number): Promise<void>;
  release(): void;
  heldCount(): number;
  /** Resolves once `n` requests have been answered with a 2xx, or rejects after `ms`. */
  waitForAnswered(n: number, ms: number): Promise<void>;
  /** The requests `match` accepts, in the order they came. */
  matching(match: (r: Received) => boolean): Received[];
  /** Waits until at least `n` requests that `match` accepts have been answered, and returns them (rejects after `ms`). */
  waitForMatching(match: (r: Received) => boolean, n: number, ms: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: Received[] = [];
  const queue: { status: number; headers: Record<string, string> }[] = [];
  let always: number | null = null;
  let holding = false;
  const held: { res: ServerResponse; r: Received }[] = [];
  const answer = (res: ServerResponse, r: Received) => {
    const next = queue.shift();
    const status = next?.status ?? always ?? 200;
    if (res.destroyed || res.socket?.destroyed) return; // the sender died with the request in flight
    r.answered = status;
    res
      .writeHead(status, { 'content-type': 'text/plain', ...next?.headers })
      .end(status < 300 ? 'ok' : 'no thanks');
  };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const r: Received = { path: req.url ?? '', headers: req.headers, body, answered: null };
      received.push(r);
      if (holding) held.push({ res, r });
      else answer(res, r);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answerNext: (n, status, headers = {}) =>
      queue.push(...Array.from({ length: n }, () => ({ status, headers }))),
    answerAlways: (status) => (always = status),
    hold: () => (holding = true),
    release: () => {
      holding = false;
      for (const h of held.splice(0)) answer(h.res, h.r);
    },
    heldCount: () => held.length,
    async heldClosed(ms) {
      const end = Date.now() + ms;
      while (held.some((h) => !h.res.socket?.destroyed) && Date.now() < end)
        await new Promise((r) => setTimeout(r, 25));
    },
    async waitForAnswered(n, ms) {
      const end = Date.now() + ms;
      const ok = () => received.filter((r) => r.answered !== null && r.answered < 300).length;
      while (ok() < n) {
        if (Date.now() > end) throw new Error(`${ok()} of ${n} webhooks answered within ${ms} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    matching: (match) => received.filter(match),
    async waitForMatching(match, n, ms) {
      const end = Date.now() + ms;
      const found = () => received.filter((r) => match(r) && r.answered !== null);
      while (found().length < n) {
        if (Date.now() > end) throw new Error(`${found().length} of ${n} matching webhooks within ${ms} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return found();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
