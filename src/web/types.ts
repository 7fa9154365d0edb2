// The shapes the public API returns (src/store/read-repository.ts presents them); the app reads nothing else.
export interface Mandate {
  id: string;
  memberId: string;
  memberName: string;
  councilId: string;
  fromCouncilId: string;
  startedAt: string;
  termEnds: string;
  endedAt: string | null;
  endReason: string | null;
}

export interface Me {
  member: { id: string; name: string; joinedAt: string; baseCouncilIds: string[] };
  organisation: { id: string; name: string };
  mandates: Mandate[];
  csrfToken: string | null;
}

export interface CouncilNode {
  id: string;
  name: string;
  parentId: string | null;
  childIds: string[];
  kind: 'base' | 'higher';
  seatsInParent: number;
  memberCount: number;
  deputies: Mandate[];
  sentDeputies: Mandate[];
}

export interface Org {
  id: string;
  name: string;
  constitution: Record<string, unknown>;
  rootCouncilId: string;
  foundedAt: string;
  entries: number;
  councils: CouncilNode[];
}

export interface MotionSummary {
  id: string;
  councilId: string;
  kind: string;
  title: string;
  state: string;
  moverId: string | null;
  movedAt: string;
  voteId: string | null;
  adoptedAlternativeId: string | null;
}

export interface Council extends CouncilNode {
  members: { id: string; name: string; joinedAt: string }[];
  mandates: Mandate[];
  motions: MotionSummary[];
}

export interface Alternative {
  id: string;
  title: string;
  text: string;
  amends: string | null;
  candidateId: string | null;
  candidateName: string | null;
  proposedBy: string | null;
  proposedAt: string;
}

export interface Comment {
  id: string;
  authorId: string;
  authorName: string | null;
  stance: 'for' | 'against' | 'neutral';
  text: string;
  replyTo: string | null;
  postedAt: string;
}

export interface Round {
  number: number;
  tallies: Record<string, string>;
  quota?: string;
  surplus?: string;
  transfers?: Record<string, string>;
  exhausted?: string;
  elected: string[];
  excluded: string[];
  tieBreaks: { among: string[]; chosen: string; reason: string }[];
  action?: string;
}

export interface CountReport {
  method: string;
  winners: string[];
  ranking?: string[][];
  rounds: Round[];
  explanation: string[];
  seats?: number;
  decimals?: number;
  details?: Record<string, unknown>;
}

export interface Vote {
  id: string;
  motionId: string;
  councilId: string;
  secret: boolean;
  options: string[];
  openedAt: string;
  closesAt: string;
  closedAt: string | null;
  electorate: { memberId: string; name: string; weight: string }[];
  ballots: { memberId: string; name: string; choice: string | null; castAt: string }[];
  result: CountReport | null;
  outcome: string | null;
  winner: string | null;
}

export interface Motion extends MotionSummary {
  text: string;
  moverName: string | null;
  debateOpenedAt: string | null;
  decision: {
    method: string;
    maxScore?: number;
    quorum?: unknown;
    rule?: unknown;
    secret?: { trustees: string[]; threshold: number; registrationMinutes?: number };
  } | null;
  seatCouncilId: string | null;
  mandateId: string | null;
  alternatives: Alternative[];
  comments: Comment[];
  minorityStatements: {
    id: string;
    authorId: string;
    authorName: string | null;
    text: string;
    attachedAt: string;
  }[];
  vote: Vote | null;
}

export interface LogEntry {
  seq: number;
  act: string;
  actor: string | null;
  time: string;
  payload: Record<string, unknown>;
}

export type Ballot =
  | { choice: string | null }
  | { approve: string[] }
  | { ranking: string[][] }
  | { scores: Record<string, number> };
