// Live pages (docs/NOTIFICATIONS.md "Live pages"): Server-Sent Events, one stream per signed-in member and
// organisation, telling the pages what changed in the organisation's log so they load it again.
//
// The hub watches the log in the database, not this process's ledger: every few hundred milliseconds it reads the
// log's size of each organisation someone is watching (one indexed query per organisation, whatever the number of
// streams), and when it grew, reads the new entries once and sends each stream their changes (changes.ts). So an
// act done through another process on the same database, or by the scheduler, reaches every page, and nothing is
// sent of an act whose transaction did not commit. Each event's id is the log's size after it: a browser that
// reconnects sends it back as Last-Event-ID and is sent what it missed.
//
// Bounded for a hostile member: a few streams per member and a few thousand per process (more are refused with 429
// too_many_streams before anything is held, the process's with Retry-After); a stream whose client does not read is dropped once 64 KiB wait for
// it; every heartbeat checks the session or token again and ends the stream of one that was revoked.
import type { ServerResponse } from 'node:http';
import { logSize, readEntries } from '../../store/log-repository.ts';
import { ApiError, retryAfter } from '../errors.ts';
import type { CouncilsService, Principal } from '../service.ts';
import { changeOf, type Change } from './changes.ts';

/** The Retry-After of a stream refused because the process holds its most: the web app retries after as long. */
export const liveRetrySeconds = 30;

export interface LiveOptions {
  /** Streams one member may hold at once (their open tabs); default 6, the browsers' own limit per host. */
  perMember: number;
  /** Streams this process holds at once; default 2,000. */
  perProcess: number;
  /** A comment line this often keeps proxies and the browser from thinking the stream dead; default 15 s. */
  heartbeatMs: number;
  /** How often the log's size is read for each watched organisation; default 500 ms. */
  pollMs: number;
  /** More new entries than this at once are not listed: the pages are told to load everything again. */
  maxChanges: number;
}

export const defaultLiveOptions: LiveOptions = {
  perMember: 6,
  perProcess: 2000,
  heartbeatMs: 15_000,
  pollMs: 500,
  maxChanges: 500,
};

/** Bytes waiting for a client past which it is dropped (it is not reading; EventSource reconnects). */
const maxBuffered = 64 * 1024;

interface Stream {
  orgId: string;
  member: string;
  raw: ServerResponse;
  /** The log size this stream has been told of. */
  sent: number;
  /** Whether the session or API token that opened it is still good. */
  stillValid: () => Promise<boolean>;
}

interface Watch {
  size: number;
  streams: Set<Stream>;
  busy: boolean;
}

export class LiveHub {
  private readonly options: LiveOptions;
  private readonly watches = new Map<string, Watch>();
  private readonly perMember = new Map<string, number>();
  private total = 0;
  private readonly timers: NodeJS.Timeout[] = [];
  private closed = false;

  constructor(
    private readonly service: CouncilsService,
    options: Partial<LiveOptions> = {},
  ) {
    this.options = { ...defaultLiveOptions, ...options };
    this.timers.push(setInterval(() => void this.poll(), this.options.pollMs).unref());
    this.timers.push(setInterval(() => void this.heartbeat(), this.options.heartbeatMs).unref());
  }

  /** Streams held now (for tests and the operator). */
  get streams(): number {
    return this.total;
  }

  /**
   * Takes a slot for the member, or throws 429 too_many_streams. Taken before anything is awaited, so a burst of
   * requests cannot pass the limits together; `release` gives it back.
   */
  reserve(p: Principal): () => void {
    const key = `${p.orgId}/${p.memberId}`;
    const mine = this.perMember.get(key) ?? 0;
    if (this.closed) throw new ApiError('unavailable');
    if (mine >= this.options.perMember)
      throw new ApiError(
        'too_many_streams',
        `you have ${mine} live pages open; close one (at most ${this.options.perMember} at once)`,
      );
    // the process's slots free when pages close, which no one can foresee: the web app's own wait (src/web/live.tsx)
    if (this.total >= this.options.perProcess)
      throw retryAfter(
        new ApiError(
          'too_many_streams',
          `the server holds as many live pages as it can; try again in ${liveRetrySeconds} s`,
        ),
        liveRetrySeconds,
      );
    this.perMember.set(key, mine + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.perMember.get(key) ?? 1) - 1;
      if (left > 0) this.perMember.set(key, left);
      else this.perMember.delete(key);
      this.total--;
    };
  }

  /**
   * Starts a stream on `raw` (a hijacked reply) for a member who holds a slot; `lastEventId` is the log size the
   * browser was told of before it reconnected. Ends when the client goes, the server closes, or the session ends.
   */
  async open(
    p: Principal,
    raw: ServerResponse,
    lastEventId: number | undefined,
    stillValid: () => Promise<boolean>,
    release: () => void,
  ): Promise<void> {
    const stream: Stream = { orgId: p.orgId, member: p.memberId, raw, sent: 0, stillValid };
    let watch: Watch | undefined;
    const end = () => {
      release();
      watch?.streams.delete(stream);
      if (watch && watch.streams.size === 0 && this.watches.get(p.orgId) === watch)
        this.watches.delete(p.orgId);
      if (!raw.writableEnded) raw.end();
    };
    raw.on('close', end);
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      // No cache or proxy may keep, transform or buffer it (nginx reads X-Accel-Buffering).
      'cache-control': 'no-cache, no-store, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    // How long a browser waits before reconnecting after the stream breaks.
    raw.write(`retry: 3000\n\n`);
    try {
      const size = await logSize(this.service.db.kysely, p.orgId);
      if (lastEventId !== undefined && lastEventId !== size) {
        stream.sent = lastEventId;
        await this.catchUp(stream, size);
      } else {
        stream.sent = size;
        send(raw, 'ready', size, { size });
      }
    } catch {
      end();
      return;
    }
    // Join the organisation's watch only once told of everything it has sent: the watch then sends from there.
    for (;;) {
      if (raw.destroyed || this.closed) return end();
      const w = this.watches.get(p.orgId);
      if (!w || w.size <= stream.sent) {
        watch = w ?? { size: stream.sent, streams: new Set(), busy: false };
        this.watches.set(p.orgId, watch);
        watch.streams.add(stream);
        return;
      }
      try {
        await this.catchUp(stream, w.size);
      } catch {
        return end();
      }
    }
  }

  /** Tells a stream what happened between what it was told and `size` (or to load everything, if too much). */
  private async catchUp(stream: Stream, size: number): Promise<void> {
    if (stream.sent > size || size - stream.sent > this.options.maxChanges) {
      stream.sent = size;
      send(stream.raw, 'reset', size, { size });
      return;
    }
    const changes = await this.changesBetween(stream.orgId, stream.sent, size);
    this.deliver(stream, changes, size);
  }

  private async changesBetween(orgId: string, from: number, to: number): Promise<Change[]> {
    const state = await this.service
      .ledger(orgId)
      .current()
      .catch(() => null);
    const changes: Change[] = [];
    for await (const e of readEntries(this.service.db.kysely, orgId, from, this.options.maxChanges)) {
      if (e.seq >= to) break;
      changes.push(changeOf(e, state));
    }
    return changes;
  }

  private deliver(stream: Stream, changes: Change[], size: number): void {
    if (size <= stream.sent) return;
    const mine = changes.filter((c) => c.seq >= stream.sent);
    stream.sent = size;
    send(stream.raw, 'change', size, { size, changes: mine });
    if (stream.raw.writableLength > maxBuffered) stream.raw.destroy();
  }

  /** Reads each watched organisation's log size; sends the new entries' changes to its streams. */
  private async poll(): Promise<void> {
    for (const [orgId, watch] of this.watches) {
      if (watch.busy) continue;
      watch.busy = true;
      try {
        const size = await logSize(this.service.db.kysely, orgId);
        if (size === watch.size) continue;
        if (size < watch.size || size - watch.size > this.options.maxChanges) {
          for (const s of watch.streams) {
            s.sent = size;
            send(s.raw, 'reset', size, { size });
          }
        } else {
          const changes = await this.changesBetween(orgId, watch.size, size);
          for (const s of watch.streams) this.deliver(s, changes, size);
        }
        watch.size = size;
      } catch {
        // The database did not answer: try again at the next tick.
      } finally {
        watch.busy = false;
      }
    }
  }

  private async heartbeat(): Promise<void> {
    for (const watch of [...this.watches.values()]) {
      for (const s of [...watch.streams]) {
        if (!(await s.stillValid().catch(() => false))) {
          s.raw.end();
          continue;
        }
        s.raw.write(': ping\n\n');
        if (s.raw.writableLength > maxBuffered) s.raw.destroy();
      }
    }
  }

  /** Ends every stream and stops watching (the server is closing). */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    for (const watch of this.watches.values()) for (const s of watch.streams) s.raw.end();
    this.watches.clear();
  }
}

function send(raw: ServerResponse, event: string, id: number, data: unknown): void {
  if (raw.writableEnded || raw.destroyed) return;
  raw.write(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
