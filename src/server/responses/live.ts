// What a live page is told of an entry (GET /orgs/:org/live, docs/NOTIFICATIONS.md "Live pages"): shared by the
// server that sends it and the web app that reads it.

/** An entry's seq, its act and the ids of what it changed; never its content, its actor or the rest of its payload. */
export interface Change {
  seq: number;
  act: string;
  councilId?: string;
  motionId?: string;
  voteId?: string;
  petitionId?: string;
  requestId?: string;
}
