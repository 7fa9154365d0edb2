// Every word the app shows, in one catalogue: a translation is a copy of this file, not a code change.
// `{name}` placeholders are filled by t(); error ids are the API's stable snake_case ids (src/server/errors.ts).
export const en = {
  appName: 'Councils',
  skipToContent: 'Skip to content',
  loading: 'Loading…',
  navHome: 'My councils',
  navTree: 'Council tree',
  navRecord: 'Record',
  navLabel: 'Main',
  signedInAs: 'Signed in as {name}',
  signOut: 'Sign out',
  notFound: 'There is no page at this address.',
  backHome: 'Back to my councils',
  save: 'Save',
  cancel: 'Cancel',
  working: 'Working…',
  required: '(required)',

  signInTitle: 'Sign in',
  signInIntro: 'Sign in with the e-mail address and password you chose when you accepted your invitation.',
  email: 'E-mail address',
  password: 'Password',
  signIn: 'Sign in',
  noAccount: 'No account yet? Open the invitation link a member of your council sent you.',

  inviteTitle: 'Join {council}',
  inviteIntro: 'You are invited to {council} of {org}. Choose how you will sign in.',
  inviteFor: 'Invitation for {name}',
  yourName: 'Your name as others will see it',
  newPassword: 'Password (at least 10 characters)',
  acceptInvitation: 'Accept and join',
  inviteExpires: 'This invitation is valid until {date}.',
  inviteBroken: 'This invitation cannot be used.',

  homeTitle: 'My councils',
  myCouncils: 'Councils I belong to',
  myMandates: 'My mandates',
  noMandates: 'You hold no mandate. Your council can elect you as its deputy.',
  mandateLine: 'Deputy of {from} in {council}',
  termEnds: 'term ends {date}',
  mandateEnded: 'ended {date} ({reason})',
  resign: 'Resign this mandate',
  resignSure: 'Resign now? Your council then elects someone else.',
  resignConfirm: 'Yes, resign',
  members: '{count} members',
  members_one: '{count} member',

  treeTitle: 'Council tree of {org}',
  treeIntro:
    'Each council sends deputies to the council above it. Members of a council can recall its deputies at any time.',
  baseCouncil: 'base council',
  higherCouncil: 'council of deputies',
  sendsSeats: 'sends {count} to {parent}',
  sitting: 'Deputies sitting here',
  noDeputies: 'No deputy sits here yet.',
  deputyFrom: '{name}, from {from}',
  rootCouncil: 'the highest council',

  councilKindBase: 'Base council: its members are people.',
  councilKindHigher: 'Council of deputies: its members are the deputies its councils sent.',
  partOf: 'Sends {count} deputies to the council above: ',
  partOf_one: 'Sends {count} deputy to the council above: ',
  childCouncils: 'Councils below',
  membersTitle: 'Members',
  deputiesHere: 'Deputies in this council',
  deputiesSent: 'Deputies this council sent',
  openMotions: 'Open motions',
  pastDecisions: 'Past decisions',
  noMotions: 'None.',
  moveRecall: 'Move a recall',
  recallReason: 'Why recall {name}?',
  recallMoved: 'The recall is moved; it is decided by a vote of this council.',

  moveMotion: 'Move a motion',
  motionTitle: 'Title',
  motionText: 'Text',
  alternativesLegend: 'Alternatives (the programmes the council chooses between)',
  alternativeN: 'Alternative {n}',
  alternativeTitle: 'Title of alternative {n}',
  alternativeText: 'Text of alternative {n}',
  addAlternative: 'Add an alternative',
  removeAlternative: 'Remove alternative {n}',
  method: 'Counting method',
  majority: 'Majority needed',
  majorityOrdinary: 'ordinary (more for than against)',
  majorityAbsolute: 'absolute (more than half the electorate)',
  majoritySuper: 'supermajority (as the constitution says)',
  maxScore: 'Highest score',
  secretBallot: 'Decide by secret ballot (encrypted in each voter’s browser; only the totals are decrypted)',
  trustees: 'Trustees',
  trusteesHelp:
    'Members who together hold the key that decrypts the totals; choose how many of them must take part.',
  threshold: 'How many trustees decrypt together',
  asDraft: 'Keep it as a draft (open the debate later)',
  submitMotion: 'Move the motion',

  callElection: 'Call an election',
  callElectionIntro: 'Elect a deputy to {parent}. Candidates are then proposed on the election’s page.',
  electionCalled: 'Call the election',

  invite: 'Invite a person',
  inviteName: 'Their name',
  sendInvite: 'Create the invitation link',
  inviteLink: 'Send this link to {name} (it is shown only once):',

  motionBy: 'moved by {name} on {date}',
  state_draft: 'draft',
  state_debate: 'in debate',
  state_voting: 'voting',
  state_decided: 'decided',
  state_failed: 'failed',
  state_withdrawn: 'withdrawn',
  kind_ordinary: 'motion',
  kind_election: 'election',
  kind_recall: 'recall',
  alternatives: 'Alternatives',
  amends: 'amends “{title}”',
  candidate: 'candidate: {name}',
  adopted: 'adopted',
  openDebate: 'Open the debate',
  withdraw: 'Withdraw the motion',
  openVote: 'Open the vote',
  voteMinutes: 'Voting time in minutes',

  proposeAlternative: 'Propose an alternative or an amendment',
  standCandidate: 'Stand a candidate',
  candidateMember: 'Candidate',
  amendsLabel: 'It amends',
  amendsNone: 'nothing (a new alternative)',
  propose: 'Propose',

  debate: 'Debate',
  stance_for: 'For',
  stance_against: 'Against',
  stance_neutral: 'Neutral',
  noComments: 'Nobody has spoken yet.',
  speak: 'Speak in the debate',
  yourStance: 'Your stance',
  yourWords: 'What you say',
  post: 'Post',

  minorityStatements: 'Minority statements',
  attachStatement: 'Attach a minority statement',
  statementText: 'Statement',

  vote: 'Vote',
  voteCloses: 'Voting closes {date}.',
  voteClosed: 'Voting closed {date}.',
  turnout: '{cast} of {electorate} have voted.',
  youVoted: 'You have voted.',
  notElector: 'You are not in this vote’s electorate.',
  castBallot: 'Cast my ballot',
  closeVote: 'Close the vote (its time is up)',
  rollCall: 'Roll call',
  abstain: 'Abstain',
  against: 'Against (keep things as they are)',
  chooseOne: 'Choose one',
  approveAny: 'Approve any number',
  rankHelp:
    'Put the options in your order, most preferred first: drag them, or use the buttons, or focus an option, press Space to pick it up, the arrow keys to move it and Space to put it down.',
  rankList: 'Your ranking',
  notRanked: 'Not ranked',
  moveUp: 'Move {option} up',
  moveDown: 'Move {option} down',
  leaveOut: 'Leave {option} out',
  putBack: 'Rank {option}',
  pickedUp: '{option} picked up, position {pos} of {count}.',
  movedTo: '{option} moved to position {pos} of {count}.',
  dropped: '{option} put down at position {pos} of {count}.',
  scoreHelp: 'Give each option a whole-number score from 0 to {max}.',
  scoreFor: 'Score for {option}',
  ballotCast: 'Your ballot is cast.',
  method_majority: 'majority',
  method_plurality: 'plurality',
  method_approval: 'approval voting',
  method_score: 'score voting',
  method_borda: 'Borda count',
  method_schulze: 'Schulze',
  'method_ranked-pairs': 'ranked pairs',
  method_debian: 'Debian (Condorcet/Schulze with supermajorities)',
  method_irv: 'instant-runoff (IRV)',
  'method_wigm-stv': 'single transferable vote (WIGM)',
  'method_scottish-stv': 'single transferable vote (Scottish rules)',
  'method_meek-stv': 'single transferable vote (Meek)',
  methodDefault: 'as the constitution says (majority)',

  secretVote: 'Secret vote',
  secretIntro:
    'Your ballot is encrypted in this browser; nobody, not even the server, can read it. Only the totals are ever decrypted, by the trustees together.',
  registerUntil: 'Register to vote until {date}.',
  secretStatus:
    '{registered} of {electors} electors registered; any {threshold} of the {trustees} trustees decrypt the totals together.',
  phaseKeyGeneration: 'The trustees are making the election key. Registration opens when they are done.',
  phaseDecryption: 'Voting has closed. The trustees are decrypting the totals.',
  registerCredential: 'Register to vote secretly',
  registeredWaiting:
    'You are registered from this browser. The ballot opens when every elector has registered or registration ends.',
  notRegistered: 'You did not register from this browser before registration ended.',
  encryptBallot: 'Encrypt my ballot',
  confirmationCode: 'Your ballot is encrypted. Its confirmation code:',
  confirmationCodeLabel: 'Confirmation code',
  castIt: 'Cast it',
  challengeIt: 'Challenge it (check it was encrypted right)',
  challengedShows:
    'The challenged ballot was opened: this is what it said. It is published as spoiled and never counts. Encrypt again to vote.',
  encryptAgain: 'Fill in a new ballot',
  castReceipt: 'Your ballot is cast. Keep its confirmation code: “My receipts” checks that it is counted.',
  myReceipts: 'My receipts',
  receiptsTitle: 'My receipts',
  receiptsIntro:
    'The confirmation code of every secret ballot cast from this browser. Check that each is on the vote’s board and counted.',
  noReceipts: 'No secret ballot was cast from this browser.',
  checkReceipt: 'Check',
  receipt_counted: 'On the board and counted.',
  receipt_superseded: 'On the board, replaced by a later ballot of yours (only the last one counts).',
  receipt_invalid: 'On the board but invalid: {reason}',
  receipt_spoiled: 'Challenged (spoiled): it does not count.',
  'receipt_not-found': 'NOT on the board.',
  result: 'Result',
  outcome_adopted: 'Adopted',
  outcome_rejected: 'Rejected',
  outcome_elected: 'Elected',
  outcome_failed: 'Failed',
  outcome_no_quorum: 'No quorum',
  winners: 'Winners: {names}',
  noWinner: 'No winner.',
  roundsTable: 'Every round of the count',
  round: 'Round {n}',
  option: 'Option',
  quota: 'Quota',
  exhausted: 'Exhausted',
  abstentions: 'Abstentions',
  electedInRound: 'elected',
  excludedInRound: 'excluded',
  chartTitle: 'Votes per option in each round',
  chartDesc: 'A chart of the table above: one line per option, from the first round to the last.',
  barChartDesc: 'A bar chart of the table above.',
  tieBreak: 'Tie among {among}: {chosen} chosen ({reason})',

  recordTitle: 'The record',
  recordIntro:
    'Every act of the organisation is an entry of its log, in order. The log is a Merkle tree (RFC 9162): a checkpoint signs its root, and anyone can check that an entry is in it and that the log was only ever appended to.',
  checkpoint: 'Latest checkpoint',
  noCheckpoint: 'This server does not publish signed checkpoints yet; the entries below can be browsed.',
  verify: 'Verify in my browser',
  verifying: 'Verifying…',
  verified:
    'Verified in this browser: the checkpoint is signed by the log key and every one of its {size} entries is in the tree whose root it signs.',
  verifiedConsistent:
    'The log was only appended to since the checkpoint this browser verified before (RFC 9162 consistency proof).',
  verifyPhase: 'Checking {phase}: {done} of {total}',
  keyTrustedFirstUse:
    'This browser had not seen this log before: it now trusts the log key the server gave, and will hold the server to it.',
  checkStatus_pass: 'passed',
  checkStatus_fail: 'FAILED',
  checkStatus_skip: 'skipped',
  verifyFailed: 'Verification failed: {reason}',
  entries: 'Entries',
  entrySeq: 'No.',
  entryTime: 'Time',
  entryAct: 'Act',
  entryActor: 'By',
  entryPayload: 'Content',
  showPayload: 'Show content',
  entryProof: 'In the tree?',
  checkEntry: 'Check entry {seq}',
  entryIncluded: 'Included: its inclusion proof leads to the root of the signed checkpoint of size {size}.',
  notYetCovered: 'Not yet covered by a checkpoint.',
  newer: 'Later entries',
  older: 'Earlier entries',
  entriesRange: 'Entries {from} to {to} of {total}',
  founders: 'the founders',

  error_network_error:
    'The server cannot be reached. Check your connection and try again; nothing you typed is lost.',
  error_invalid_request: 'Something here is not valid: {message}.',
  error_unauthenticated: 'Please sign in first.',
  error_wrong_credentials: 'That e-mail address and password do not match.',
  error_forbidden: 'You may not do this.',
  error_csrf_failed: 'Your session needs refreshing: reload the page and try again.',
  error_not_found: 'It does not exist (any more).',
  error_email_taken: 'An account with this e-mail address already exists: sign in instead.',
  error_invitation_expired: 'This invitation has expired: ask for a new one.',
  error_invitation_used: 'This invitation has already been used.',
  error_payload_too_large: 'That is too long.',
  error_internal_error: 'Something went wrong on the server; nothing was changed. Try again.',
  error_already_exists: 'This already exists.',
  error_already_voted: 'You have already voted.',
  error_invalid_choice: 'This ballot does not fit the vote: {message}.',
  error_no_open_seat: 'There is no open seat to elect.',
  error_not_a_member: 'Only members of this council may do this.',
  error_not_allowed: 'You may not do this: {message}.',
  error_not_an_elector: 'You are not in the electorate of this vote.',
  error_too_early: 'Not yet: {message}.',
  error_vote_closed: 'This vote is closed.',
  error_wrong_state: 'Not now: {message}.',
  errorGeneric: 'It did not work: {message}.',
} as const;

export type StringKey = keyof typeof en;

const catalogue: Record<string, string> = en;

/** The catalogue's text for `key`, with `{name}` placeholders filled in. */
export function t(key: StringKey, vars: Record<string, string | number> = {}): string {
  return fill(catalogue[key] ?? key, vars);
}

/** t() with a count: the `_one` form of the key for 1 where the catalogue has one (a translation may add more). */
export function tCount(key: StringKey, count: number, vars: Record<string, string | number> = {}): string {
  const one = catalogue[`${key}_one`];
  return fill(count === 1 && one !== undefined ? one : (catalogue[key] ?? key), { ...vars, count });
}

/** Like t() for keys built at run time (states, methods, outcomes); `fallback` when the catalogue has none. */
export function tDynamic(key: string, fallback: string, vars: Record<string, string | number> = {}): string {
  const s = catalogue[key];
  return s === undefined ? fallback : fill(s, vars);
}

function fill(s: string, vars: Record<string, string | number>): string {
  return s.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** A date and time in the reader's locale. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
