// An entry is one act in an organisation's log. Its RFC 8785 canonical JSON is the leaf of the record's Merkle
// tree; the tables of the store are projections of the entries, rebuilt from them at will.
//
// The kernel knows an entry's frame (seq, act, actor, time, payload) and no act: each feature declares the
// payloads of the acts it writes, and src/core/model.ts joins them into the one map `Payloads` that these types
// are applied to (as Kysely's core is generic over the application's `DB` interface).

/** Any entry, whatever its act: what the codec and the size check need. */
export interface AnyEntry {
  seq: number;
  act: string;
  /** The member who acted, or null for the organisation's own acts (founding, a vote closing on time). */
  actor: string | null;
  /** ISO 8601 UTC time of the act. */
  time: string;
  payload: unknown;
}

/** The entry of act `A`, given the map from act names to payloads. */
export interface LogEntryOf<P, A extends keyof P & string> extends AnyEntry {
  act: A;
  payload: P[A];
}

/** Every entry a payload map allows: one member of the union per act. */
export type LogEntry<P> = { [A in keyof P & string]: LogEntryOf<P, A> }[keyof P & string];

/** An entry before the store gives it its sequence number. */
export type NewLogEntry<P> = { [A in keyof P & string]: Omit<LogEntryOf<P, A>, 'seq'> }[keyof P & string];
