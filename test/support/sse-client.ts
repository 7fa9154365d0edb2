// A Server-Sent Events client over real HTTP for the live-page tests: it parses the stream as the HTML standard's
// EventSource does (id, event, data, comments) and lets a test wait for an event with a deadline.
import http from 'node:http';

export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

export class SseStream {
  readonly events: SseEvent[] = [];
  comments = 0;
  ended = false;
  private buffer = '';
  private waiters: (() => void)[] = [];

  private constructor(
    readonly status: number,
    readonly headers: http.IncomingHttpHeaders,
    readonly body: string,
    private readonly request: http.ClientRequest,
  ) {}

  /** Opens a stream; a refusal (not 200) is read whole and returned with its body. */
  static open(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
    return new Promise((resolve, reject) => {
      const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        res.setEncoding('utf8');
        if (res.statusCode !== 200) {
          let body = '';
          res.on('data', (d: string) => (body += d));
          res.on('end', () => resolve(new SseStream(res.statusCode ?? 0, res.headers, body, req)));
          return;
        }
        const s = new SseStream(200, res.headers, '', req);
        res.on('data', (d: string) => s.take(d));
        const done = () => {
          s.ended = true;
          s.wake();
        };
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
        resolve(s);
      });
      req.on('error', reject);
    });
  }

  private take(chunk: string): void {
    this.buffer += chunk;
    for (let at = this.buffer.indexOf('\n\n'); at >= 0; at = this.buffer.indexOf('\n\n')) {
      const block = this.buffer.slice(0, at);
      this.buffer = this.buffer.slice(at + 2);
      const e: SseEvent = { id: undefined, event: 'message', data: '' };
      let fields = 0;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) {
          this.comments++;
          continue;
        }
        const colon = line.indexOf(':');
        const name = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (name === 'id') e.id = value;
        else if (name === 'event') e.event = value;
        else if (name === 'data') e.data += (e.data ? '\n' : '') + value;
        else continue;
        fields++;
      }
      if (fields > 0 && (e.data !== '' || e.event !== 'message')) this.events.push(e);
    }
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Waits until `check` holds (checked on every chunk and at the end of the stream), or fails after `ms`. */
  async until<T>(what: string, check: () => T | undefined | false, ms = 20_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = check();
      if (found !== undefined && found !== false) return found;
      if (this.ended) throw new Error(`the stream ended before ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${ms} ms; events: ${JSON.stringify(this.events)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => (clearTimeout(t), r()));
      });
    }
  }

  /** The first event named `event` whose parsed data satisfies `where`, once it has arrived. */
  next<T>(
    event: string,
    where: (data: T) => boolean = () => true,
    ms?: number,
  ): Promise<{ id: string; data: T }> {
    return this.until(
      `a ${event} event`,
      () => {
        for (const e of this.events) {
          if (e.event !== event) continue;
          const data = JSON.parse(e.data) as T;
          if (where(data)) return { id: e.id ?? '', data };
        }
        return undefined;
      },
      ms,
    );
  }

  close(): void {
    this.request.destroy();
  }
}
