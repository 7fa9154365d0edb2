// The attention inbox's index (docs/NOTIFICATIONS.md "Cost"): for every member and council, the things that may
// concern them, kept by `apply` as entries arrive (attention-index.ts), so a member's inbox reads only their own
// candidates instead of every vote, motion, petition and request of the organisation. It is derived state like
// the rest of OrgState: a replayed log builds the same index. It holds candidates only; the inbox's rules (and
// `now`) decide which of them are items, exactly as the full scan does.

/** Named sets of ids: `bucket` is e.g. "votes:<member>" or "motions:<council>". */
export type Buckets = Map<string, Set<string>>;

/** A closed vote or revealed record, in the order they happened. */
export interface Dated {
  id: string;
  at: string;
}

export interface AttentionIndex {
  /**
   * Open votes by council (`open-votes:<council>`: their electors are among its members) and by trustee
   * (`votes:<member>`), motions live in a council (`motions:<council>`)
   * or about a member's mandate (`recalls:<member>`), open petitions by council and by the deputy they recall,
   * pending requests by approver, base councils and mandates by member.
   */
  buckets: Buckets;
  /** Where each filed thing is (e.g. "motion:<id>" → its buckets), to move it when it changes. */
  filed: Map<string, string[]>;
  /** Open votes filed under their council and trustees (the trustees filed, which can grow). */
  openVotes: Map<string, Set<string>>;
  /** Closed votes each member took part in, in closing order (only the last 30 days are read). */
  results: Map<string, Dated[]>;
  /** Records revealed in each council, in order (seq as id). */
  revealed: Map<string, Dated[]>;
  /** Votes already moved to their participants' results. */
  closed: Set<string>;
}

export function emptyAttentionIndex(): AttentionIndex {
  return {
    buckets: new Map(),
    filed: new Map(),
    openVotes: new Map(),
    results: new Map(),
    revealed: new Map(),
    closed: new Set(),
  };
}
