// The shapes the public API returns, declared once: the server's response schemas (src/server/responses), as
// TypeScript types. Type-only imports: the bundle holds none of the server's code (docs/WEB.md).
export type {
  Alternative,
  Comment,
  Comments,
  Ballots,
  Council,
  CouncilMatches,
  CouncilMembers,
  CouncilNode,
  CouncilTree,
  CountReport,
  Mandate,
  Me,
  Motion,
  MotionSummary,
  Names,
  OrgMembers,
  Org,
  PastMotions,
  Round,
  Vote,
} from '../server/responses/organisation.ts';
export type { LogEntry } from '../server/responses/common.ts';
export type { Admission } from '../server/responses/admission.ts';

/** A ballot in the shape of its vote's method (the request body of POST …/votes/:vote/ballots). */
export type Ballot =
  | { choice: string | null }
  | { approve: string[] }
  | { ranking: string[][] }
  | { scores: Record<string, number> };
export type { MotionTimeline, NextStep } from '../server/responses/timeline.ts';
export type { Attention, AttentionItem, MailSettings } from '../server/responses/attention.ts';
