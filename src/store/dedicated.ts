// One PostgreSQL connection of a process's own, outside the pool, for what lives as long as a session: the
// scheduler's leases (src/store/leases.ts) and the revocations listener (src/server/revocations.ts). Opened on
// first use and shared by concurrent callers; when it is lost (the server ended it, the network failed) `onLost`
// is told once and the next use opens another. Set up by `setUp` before anyone may use it.
import type pg from 'pg';
import type { Db } from './db.ts';

export class DedicatedConnection {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;

  constructor(
    private readonly db: Db,
    private readonly name: string,
    private readonly onLost: () => void,
    private readonly setUp: (client: pg.Client) => Promise<void> = async () => undefined,
  ) {}

  /** The connection when it is open and set up, else null. */
  get open(): pg.Client | null {
    return this.client;
  }

  /** The connection, opened (and set up) if it is not. */
  connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.db.dedicated!(this.name)
      .then(async (client) => {
        const gone = () => {
          if (client !== this.client) return;
          this.client = null;
          this.onLost();
        };
        client.on('error', gone);
        client.on('end', gone);
        try {
          await this.setUp(client);
        } catch (e) {
          await client.end().catch(() => undefined);
          throw e;
        }
        this.client = client;
        return client;
      })
      .finally(() => {
        this.connecting = null;
      });
    return this.connecting;
  }

  /** Ends the connection (telling `onLost` if it was open). */
  async end(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) this.onLost();
    await client?.end().catch(() => undefined);
  }
}
