// Timestamped migrations, forward-only once published. Add a file and a line here; never edit a published one.
import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './2026-11-27T0500-initial.ts';

const migrations: Record<string, Migration> = {
  '2026-11-27T0500-initial': initial,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
