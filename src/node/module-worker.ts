// A worker thread running one module that answers numbered requests ({ id, …} → { id, ok, … }), shared by the
// ballot verifier's pool (`councils verify`, src/cli/ballot-workers) and the server's ballot checks
// (ballot-checks.ts). From the compiled build (dist/node) the worker loads the compiled module; from the sources it
// registers tsx first. The worker answers { id: 0, ok: true } once it is ready. A worker that ends (crashes, is
// killed or terminated) refuses its pending and later requests at once and resolves `ended`, so that a pool can
// drop it and start another.
import { Worker } from 'node:worker_threads';

export type Reply = { id: number; ok: true } | { id: number; ok: false; error: string };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export class ModuleWorker<Req extends { id: number }, Rep extends Reply> {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: Rep) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  /** Why the thread ended, once it has. */
  private endedBy: Error | null = null;
  readonly ready: Promise<void>;
  /** Resolves with the reason when the thread has ended, whatever ended it. */
  readonly ended: Promise<Error>;

  /**
   * `moduleUrl` is the worker module's URL without its extension (e.g. new URL('./x', import.meta.url)): `.js` is
   * added when the caller runs compiled, `.ts` otherwise. `name` goes into error messages.
   */
  constructor(
    moduleUrl: URL,
    private readonly name: string,
  ) {
    const compiled = import.meta.url.endsWith('.js');
    const entry = `${moduleUrl.href}${compiled ? '.js' : '.ts'}`;
    const boot = compiled
      ? `import(${JSON.stringify(entry)})`
      : `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => m.register()).then(() => import(${JSON.stringify(entry)}))`;
    this.worker = new Worker(boot, { eval: true });
    this.ready = new Promise((resolve, reject) => this.pending.set(0, { resolve: () => resolve(), reject }));
    this.worker.on('message', (r: Rep) => {
      const p = this.pending.get(r.id);
      this.pending.delete(r.id);
      if (!p) return;
      if (r.ok) p.resolve(r);
      else p.reject(new Error(`${this.name}: ${r.error}`));
    });
    let end!: (e: Error) => void;
    this.ended = new Promise((resolve) => (end = resolve));
    const fail = (e: Error) => {
      this.endedBy ??= e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      end(this.endedBy);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`${this.name} exited (code ${code})`)));
  }

  /** Whether the thread has ended (then every request is refused). */
  get hasEnded(): boolean {
    return this.endedBy !== null;
  }

  request(m: DistributiveOmit<Req, 'id'>): Promise<Extract<Rep, { ok: true }>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // a message to an ended thread would never be answered
      if (this.endedBy) return reject(this.endedBy);
      this.pending.set(id, { resolve: resolve as (r: Rep) => void, reject });
      this.worker.postMessage({ ...m, id });
    });
  }

  /** Lets the process exit while this worker is idle (a server's pool started on demand). */
  unref(): void {
    this.worker.unref();
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}
