// Response schemas of the organisation, its councils, motions, votes and mandates, and of accounts
// (src/server/routes/org.ts, motions.ts, session.ts).
import { Type, type Static } from '@sinclair/typebox';
import { Count, LogEntry, Next, Nullable, Obj, Open, Time } from './common.ts';
import { Admission } from './admission.ts';
import { NamedSignature } from './power.ts';

export const Mandate = Obj({
  id: Type.String(),
  memberId: Type.String(),
  memberName: Type.String(),
  councilId: Type.String(),
  fromCouncilId: Type.String(),
  startedAt: Time,
  termEnds: Time,
  endedAt: Nullable(Time),
  endReason: Nullable(Type.String()),
});
export type Mandate = Static<typeof Mandate>;

export const CouncilNode = Obj({
  id: Type.String(),
  name: Type.String(),
  parentId: Nullable(Type.String()),
  childIds: Type.Array(Type.String()),
  kind: Type.Union([Type.Literal('base'), Type.Literal('higher')]),
  seatsInParent: Count,
  memberCount: Count,
  deputies: Type.Array(Mandate),
  sentDeputies: Type.Array(Mandate),
});
export type CouncilNode = Static<typeof CouncilNode>;

export const Org = Obj({
  id: Type.String(),
  name: Type.String(),
  constitution: Open('the constitution (docs/CONSTITUTION.md)'),
  rootCouncilId: Type.String(),
  foundedAt: Time,
  entries: Count,
  councilCount: Count,
  memberCount: Count,
  myCouncilIds: Type.Array(Type.String(), {
    description: "the signed-in member's base councils and the councils they sit in as a deputy",
  }),
  councils: Type.Array(CouncilNode, {
    description: 'the councils of myCouncilIds and every council above them (the whole tree: GET …/tree)',
  }),
});
export type Org = Static<typeof Org>;

export const MotionSummary = Obj({
  id: Type.String(),
  councilId: Type.String(),
  kind: Type.String(),
  title: Type.String(),
  state: Type.String(),
  moverId: Nullable(Type.String()),
  movedAt: Time,
  voteId: Nullable(Type.String()),
  adoptedAlternativeId: Nullable(Type.String()),
});
export type MotionSummary = Static<typeof MotionSummary>;

export const CouncilMember = Obj({ id: Type.String(), name: Type.String(), joinedAt: Time });

export const CouncilMembers = Obj({ members: Type.Array(CouncilMember), next: Next });

export type CouncilMembers = Static<typeof CouncilMembers>;

/** A page of the organisation's people directory. */
export const OrgMembers = Obj({
  members: Type.Array(
    Obj({
      id: Type.String(),
      name: Type.String(),
      councilId: Nullable(Type.String({ description: 'their base council' })),
    }),
  ),
  next: Next,
  councilNames: Type.Record(Type.String(), Type.String(), {
    description: "name by id of the rows' base councils",
  }),
});
export type OrgMembers = Static<typeof OrgMembers>;

export const CouncilMatches = Obj({
  councils: Type.Array(
    Obj({
      id: Type.String(),
      name: Type.String(),
      parentId: Nullable(Type.String()),
      kind: Type.Union([Type.Literal('base'), Type.Literal('higher')]),
    }),
    { description: 'in the order of their names (the council whose id is the text first)' },
  ),
  next: Next,
});
export type CouncilMatches = Static<typeof CouncilMatches>;

export const CouncilTree = Obj({
  councils: Type.Array(CouncilNode, {
    description: 'top-down: each council before its children, so a page names no parent not already listed',
  }),
  next: Next,
  councilNames: Type.Record(Type.String(), Type.String(), {
    description: "name by id of the councils these name (parents, deputies' councils)",
  }),
});
export type CouncilTree = Static<typeof CouncilTree>;

export const Names = Obj({
  members: Type.Record(Type.String(), Type.String(), {
    description: 'name by member id (ids not found left out)',
  }),
  councils: Type.Record(Type.String(), Type.String(), { description: 'name by council id' }),
});
export type Names = Static<typeof Names>;

export const Council = Obj({
  ...CouncilNode.properties,
  members: Type.Array(CouncilMember, {
    description: 'the first page of members (GET …/members for the rest)',
  }),
  membersNext: Next,
  councilNames: Type.Record(Type.String(), Type.String(), {
    description: "the name of every council this page names: parent, children, deputies' councils",
  }),
  mandates: Type.Array(Mandate, { description: 'the mandates in force in this council and sent from it' }),
  motions: Type.Array(MotionSummary, {
    description: 'the motions under way (draft, seconding, debate, voting), newest first',
  }),
  pastMotions: Type.Array(MotionSummary, {
    description: 'the first page of past motions, newest first (GET …/motions for the rest)',
  }),
  pastMotionsNext: Next,
});
export type Council = Static<typeof Council>;

export const PastMotions = Obj({ motions: Type.Array(MotionSummary), next: Next });
export type PastMotions = Static<typeof PastMotions>;

export const Invited = Obj({
  invitationId: Type.String(),
  token: Type.String(),
  link: Type.String(),
  emailed: Type.Boolean({
    description: 'the link was queued to the address given (false: no address, or e-mail off)',
  }),
});

const TieBreak = Obj({
  round: Count,
  purpose: Type.Union([Type.Literal('exclude'), Type.Literal('elect'), Type.Literal('order')]),
  among: Type.Array(Type.String()),
  chosen: Type.String(),
  reason: Type.String(),
});

const Tallies = Type.Record(Type.String(), Type.String());

export const Round = Obj({
  number: Count,
  tallies: Tallies,
  quota: Type.Optional(Type.String()),
  surplus: Type.Optional(Type.String()),
  transfers: Type.Optional(Tallies),
  exhausted: Type.Optional(Type.String()),
  elected: Type.Array(Type.String()),
  excluded: Type.Array(Type.String()),
  tieBreaks: Type.Array(TieBreak),
  action: Type.Optional(Type.String()),
});
export type Round = Static<typeof Round>;

/** A count's report (src/count/report.ts), JSON-safe: figures are decimal strings. */
export const CountReport = Obj({
  method: Type.String(),
  winners: Type.Array(Type.String()),
  ranking: Type.Optional(Type.Array(Type.Array(Type.String()))),
  rounds: Type.Array(Round),
  explanation: Type.Array(Type.String()),
  seats: Type.Optional(Count),
  tieBreak: Type.Optional(Obj({ kind: Type.String(), seed: Type.Optional(Type.String()) })),
  decimals: Type.Optional(Count),
  details: Type.Optional(
    Open("the method's own details: pairwise matrix, quorum, majority ratios (docs/COUNTING.md)"),
  ),
});
export type CountReport = Static<typeof CountReport>;

export const Vote = Obj({
  id: Type.String(),
  motionId: Type.String(),
  councilId: Type.String(),
  secret: Type.Boolean(),
  options: Type.Array(Type.String()),
  openedAt: Time,
  closesAt: Time,
  closedAt: Nullable(Time),
  electorateSize: Count,
  ballotCount: Count,
  viewer: Nullable(
    Obj(
      {
        memberId: Type.String(),
        elector: Type.Boolean(),
        weight: Nullable(Type.String()),
        voted: Type.Boolean(),
      },
      { description: 'whether the signed-in member may vote, with what weight, and has voted' },
    ),
  ),
  result: Nullable(CountReport),
  outcome: Nullable(Type.String()),
  winner: Nullable(Type.String()),
});
export type Vote = Static<typeof Vote>;

export const Elector = Obj({ memberId: Type.String(), name: Type.String(), weight: Type.String() });
export const Electorate = Obj({ electors: Type.Array(Elector), next: Next });
export type Electorate = Static<typeof Electorate>;

export const NamedBallot = Obj({
  memberId: Type.String(),
  name: Type.String(),
  choice: Nullable(Type.String()),
  castAt: Time,
});
export const Ballots = Obj({ ballots: Type.Array(NamedBallot), next: Next });
export type Ballots = Static<typeof Ballots>;

export const Alternative = Obj({
  id: Type.String(),
  title: Type.String(),
  text: Type.String(),
  amends: Nullable(Type.String()),
  candidateId: Nullable(Type.String()),
  candidateName: Nullable(Type.String()),
  proposedBy: Nullable(Type.String()),
  proposedAt: Time,
});
export type Alternative = Static<typeof Alternative>;

export const Comment = Obj({
  id: Type.String(),
  authorId: Type.String(),
  authorName: Nullable(Type.String()),
  stance: Type.Union([Type.Literal('for'), Type.Literal('against'), Type.Literal('neutral')]),
  text: Type.String(),
  replyTo: Nullable(Type.String()),
  postedAt: Time,
});
export type Comment = Static<typeof Comment>;
/** A page of a motion's debate, oldest first (docs/API.md "Paging"). */
export const Comments = Obj({ comments: Type.Array(Comment), next: Next });
export type Comments = Static<typeof Comments>;

export const MinorityStatement = Obj({
  id: Type.String(),
  authorId: Type.String(),
  authorName: Nullable(Type.String()),
  text: Type.String(),
  attachedAt: Time,
});

const Fraction = { num: Count, den: Count };
/** src/count/majority.ts QuorumRule: none, a fraction of the electorate, or a number of electors. */
const QuorumRule = Type.Union([
  Obj({ kind: Type.Literal('none') }),
  Obj({ kind: Type.Literal('fraction'), ...Fraction }),
  Obj({ kind: Type.Literal('absolute'), count: Count }),
]);
/** src/count/majority.ts MajorityRule: simple, absolute, or a supermajority of the votes cast. */
const MajorityRule = Type.Union([
  Obj({ kind: Type.Literal('simple') }),
  Obj({ kind: Type.Literal('absolute') }),
  Obj({ kind: Type.Literal('supermajority'), ...Fraction }),
]);

/** How a motion is decided: its method and rules, and its secret ballot's trustees when it has one. */
export const Decision = Obj({
  method: Type.String(),
  maxScore: Type.Optional(Count),
  support: Type.Optional(
    Type.Integer({ minimum: 1, description: 'an admission motion: the fewest votes for it that carry it' }),
  ),
  quorum: QuorumRule,
  rule: Type.Optional(MajorityRule),
  secret: Type.Optional(
    Obj({
      trustees: Type.Array(Type.String()),
      threshold: Count,
      registrationMinutes: Type.Optional(Count),
      mixMinutes: Type.Optional(Count),
    }),
  ),
});

export const Motion = Obj({
  ...MotionSummary.properties,
  councilName: Type.String(),
  text: Type.String(),
  moverName: Nullable(Type.String()),
  debateOpenedAt: Nullable(Time),
  decision: Nullable(Decision),
  seatCouncilId: Nullable(Type.String()),
  mandateId: Nullable(Type.String()),
  alternatives: Type.Array(Alternative),
  comments: Type.Array(Comment, {
    description:
      'the first 100 comments, oldest first (until 2026-12-07 every comment); the rest from GET …/motions/:motion/comments?after=commentsNext',
  }),
  commentsNext: Next,
  minorityStatements: Type.Array(MinorityStatement),
  vote: Nullable(Vote),
  /** A motion a petition put on the agenda: the petition and its signatories are its mover. */
  petition: Type.Optional(
    Obj({
      id: Type.String(),
      kind: Type.String(),
      signatureCount: Count,
      signatories: Type.Array(NamedSignature, {
        description:
          "the first page of the petition's signatures, as GET …/petitions/:petition/signatures gives it (100, in signing order; until 2026-12-07 every signatory, with memberId and name only); the rest from that route's ?after=signatoriesNext",
      }),
      signatoriesNext: Next,
    }),
  ),
  /** A recall: the deputy whose mandate it is (they have the right of reply in its debate). */
  deputyId: Type.Optional(Type.String()),
});
export type Motion = Static<typeof Motion>;

export const LogPage = Obj({ from: Count, entries: Type.Array(LogEntry) });

export const Member = Obj({
  id: Type.String(),
  name: Type.String(),
  joinedAt: Time,
  baseCouncilIds: Type.Array(Type.String()),
});

const Named = Obj({ id: Type.String(), name: Type.String() });

export const Me = Obj({
  member: Member,
  organisation: Named,
  mandates: Type.Array(Mandate),
  csrfToken: Nullable(Type.String()),
  authenticatedBy: Type.Union([Type.Literal('session'), Type.Literal('token')]),
  /** The language the member chose (PUT /me/locale); null: never chosen. */
  locale: Nullable(Type.String()),
  /** Recalls of this member's mandates under way (in debate or voting). */
  recalls: Type.Optional(
    Type.Array(
      Obj({
        motionId: Type.String(),
        title: Type.String(),
        state: Type.String(),
        debateOpenedAt: Nullable(Time),
      }),
    ),
  ),
  /** Accepted an invitation the council has not admitted yet: not a member until it does. */
  admission: Type.Optional(Admission),
});
export type Me = Static<typeof Me>;

export const InvitationView = Obj({
  organisation: Named,
  council: Obj({ id: Type.String(), name: Type.Optional(Type.String()) }),
  name: Type.String(),
  expiresAt: Time,
});

export const SignedIn = Obj({ memberId: Type.String(), orgId: Type.String(), csrfToken: Type.String() });

export const ApiToken = Obj({
  id: Type.String(),
  memberId: Type.String(),
  orgId: Type.String(),
  name: Type.String(),
  createdAt: Time,
  lastUsedAt: Type.Optional(Nullable(Time)),
  userAgent: Type.Optional(Nullable(Type.String({ description: 'of the last request made with it' }))),
});
export const NewApiToken = Obj({ ...ApiToken.properties, token: Type.String({ description: 'shown once' }) });
export const ApiTokens = Obj({ tokens: Type.Array(ApiToken) });

export const Health = Obj({
  ok: Type.Boolean(),
  database: Type.String(),
  /** With `--ballot-queue` (src/server/ballot-queue.ts): this process's jobs since it started. */
  ballotQueue: Type.Optional(
    Obj({
      /** Ballots this process sent to the queue, those a verdict came back for, those checked without one. */
      sent: Type.Integer(),
      answered: Type.Integer(),
      unanswered: Type.Integer(),
      /** Jobs this process's threads checked, for itself or another process. */
      worked: Type.Integer(),
    }),
  ),
  /** With `--read-replica` (src/server/read-replica.ts): where this process's organisation reads went. */
  readReplica: Type.Optional(
    Obj({
      /**
       * Reads the replica served; sent to the primary because the replica was behind, could not be asked, or was
       * left alone for a back-off after failing; and queries the replica failed that the primary answered.
       */
      replica: Type.Integer(),
      behind: Type.Integer(),
      failed: Type.Integer(),
      down: Type.Integer(),
      retried: Type.Integer(),
    }),
  ),
});
