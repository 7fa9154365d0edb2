// A real SMTP server (the smtp-server package) that keeps what it accepts, for the e-mail tests and the benchmark.
// `refuse(n)` answers the next n messages with a temporary failure (451), as a relay under load does.
import { SMTPServer } from 'smtp-server';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedMail {
  to: string;
  headers: Map<string, string>;
  raw: string;
}

export interface SmtpSink {
  url: string;
  received: ReceivedMail[];
  /** Refuses the next `n` messages with 451. */
  refuse(n: number): void;
  /** Holds every message's answer until `release()` (the sender waits for the relay meanwhile). */
  hold(): void;
  release(): void;
  /** How many messages wait for their answer while held. */
  heldCount(): number;
  /** How many clients are connected now (a sender that gives a send up closes its connection). */
  openConnections(): number;
  /** Resolves when `n` messages in all have been accepted. */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Headers of a raw message, unfolded, names in lower case (the first of each). */
export function headersOf(raw: string): Map<string, string> {
  const head = raw.split(/\r?\n\r?\n/, 1)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const out = new Map<string, string>();
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !out.has(line.slice(0, i).toLowerCase()))
      out.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
  }
  return out;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  let refusing = 0;
  let held: (() => void)[] | null = null;
  const waiters: { n: number; resolve: () => void }[] = [];
  const closed = new Set<string>();
  const server = new SMTPServer({
    onClose(session) {
      closed.add(session.id);
    },
    authOptional: true,
    closeTimeout: 200,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const answer = () => {
          if (refusing > 0) {
            refusing--;
            const e = new Error('try again later') as Error & { responseCode: number };
            e.responseCode = 451;
            return callback(e);
          }
          // A client that went away while its answer was held never heard it accepted: not received. smtp-server
          // may call onClose only once the held answer is given, so the socket itself is asked too.
          const socket = sockets.get(session.remotePort);
          if (closed.has(session.id) || !socket || socket.destroyed) return callback();
          const raw = Buffer.concat(chunks).toString('utf8');
          for (const rcpt of session.envelope.rcptTo)
            received.push({ to: rcpt.address, headers: headersOf(raw), raw });
          callback();
          for (const w of waiters.filter((x) => received.length >= x.n)) w.resolve();
        };
        if (held) held.push(answer);
        else answer();
      });
    },
  });
  const sockets = new Map<number, Socket>();
  server.server.on('connection', (socket: Socket) => {
    const port = socket.remotePort!;
    sockets.set(port, socket);
    socket.once('close', () => {
      if (sockets.get(port) === socket) sockets.delete(port);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuse: (n) => {
      refusing = n;
    },
    hold: () => {
      held ??= [];
    },
    heldCount: () => held?.length ?? 0,
    openConnections: () => sockets.size,
    release: () => {
      const h = held ?? [];
      held = null;
      // A killed client's socket closes a moment after its process exits: answer once that is seen.
      setTimeout(() => {
        for (const f of h) f();
      }, 500);
    },
    waitFor: (n, timeoutMs = 30_000) =>
      received.length >= n
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const t = setTimeout(
              () => reject(new Error(`${received.length} of ${n} messages after ${timeoutMs} ms`)),
              timeoutMs,
            );
            waiters.push({ n, resolve: () => (clearTimeout(t), resolve()) });
          }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
