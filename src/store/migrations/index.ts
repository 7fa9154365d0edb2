// Timestamped migrations, forward-only once published. Add a file and a line here; never edit a published one.
import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './2026-11-27T0500-initial.ts';
import * as record from './2026-11-27T0600-record.ts';

const migrations: Record<string, Migration> = {
  '2026-11-27T0500-initial': initial,
  '2026-11-27T0600-record': record,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
