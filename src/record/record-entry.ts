// A log entry as the verifier reads it: what the core writes (src/core/model.ts, over kernel/entry.ts), other fields allowed.
// Its own module so entry-scan.ts and key-history.ts both import it without importing each other.
export interface RecordEntry {
  seq: number;
  act: string;
  actor: string | null;
  time: string;
  payload: unknown;
  [field: string]: unknown;
}
