// Row types of the store. They never leave src/store: repositories return domain-shaped objects.
import type { Generated } from 'kysely';
import type { AdmissionRules, MotionState, ProjectionTable, projectionTables } from '../core/index.ts';

export interface LogEntryTable {
  org_id: string;
  seq: number;
  act: string;
  actor: string | null;
  time: string;
  /** The entry's canonical JSON (RFC 8785): exactly the Merkle leaf bytes. */
  body: string;
  /** Hex of SHA-256(0x00 ‖ body), RFC 9162 §2.1.1. */
  leaf_hash: string;
}

/** A secret vote's board entry by vote (migration 2026-12-07T1400-secret-board, src/store/secret-board.ts). */
export interface SecretBoardTable {
  org_id: string;
  seq: number;
  vote_id: string;
  part: 'board' | 'mix' | 'issued';
  kind: string;
  code: string | null;
  ballot_id: string | null;
  credential: string | null;
}

/** Per organisation, a seq below which every entry has its `secret_board` row (src/store/secret-board.ts). */
export interface SecretBoardMarkTable {
  org_id: string;
  seq: number;
}

/** An ended homomorphic vote's sums (AggregateSums as canonical JSON; null: none to show), kept from its close. */
export interface SecretSumsTable {
  org_id: string;
  vote_id: string;
  sums: string | null;
}

export interface AccountTable {
  member_id: string;
  org_id: string;
  email: string;
  password_hash: string;
  created_at: string;
}

export interface SessionTable {
  id_hash: string;
  member_id: string;
  org_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  /** Public id (listing, revoking); null only before the accounts migration filled it. */
  id: string | null;
  user_agent: string | null;
  last_used_at: string | null;
}

export interface ApiTokenTable {
  id: string;
  token_hash: string;
  member_id: string;
  org_id: string;
  name: string;
  created_at: string;
  revoked_at: string | null;
  user_agent: string | null;
  last_used_at: string | null;
}

export interface PasswordResetTable {
  token_hash: string;
  org_id: string;
  member_id: string;
  /** 'email' (sent to the account's address) or 'council' (issued by a privileged act, request_id). */
  via: string;
  request_id: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface EmailChangeTable {
  token_hash: string;
  org_id: string;
  member_id: string;
  new_email: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface SignInFailureTable {
  /** The normalised e-mail address tried, whether or not an account has it. */
  email: string;
  failures: number;
  last_failure_at: string;
}

export interface KnownDeviceTable {
  token_hash: string;
  org_id: string;
  member_id: string;
  /** Wrong passwords from this device since its last good one. */
  failures: number;
  created_at: string;
  last_used_at: string;
}

export interface InvitationSecretTable {
  invitation_id: string;
  org_id: string;
  token_hash: string;
  expires_at: string;
  used_at: string | null;
}

export interface MerkleNodeTable {
  org_id: string;
  level: number;
  idx: number;
  hash: string;
}

export interface TreeStateTable {
  org_id: string;
  size: number;
  root: string;
  /** The compact range (right edge of the tree) as JSON: what the next append starts from. */
  frontier: string;
}

export interface CheckpointTable {
  org_id: string;
  size: number;
  /** The signed note (C2SP tlog-checkpoint), exactly as served. */
  note: string;
  issued_at: string;
}

export interface RecordKeyHistoryTable {
  org_id: string;
  /** 0 for the first key, then 1, 2, … in the order of the rotations. */
  position: number;
  verifier_key: string;
  from_size: number;
  request_seq: number | null;
  rotation_seq: number | null;
  created_at: string;
}

export interface SealedSecretTable {
  commitment: string;
  org_id: string;
  seal_key: string;
  content: string;
}

/** A council's workforce file (docs/PAY.md "Workforce data"): personal data, never in the log. */
export interface PayWorkforceTable {
  council_id: string;
  sha256: string;
  org_id: string;
  workers: string;
  csv: string;
  stored_at: string;
}

export interface MemberLocaleTable {
  org_id: string;
  member_id: string;
  locale: string;
  updated_at: string;
}

export interface IdempotencyKeyTable {
  id: string;
  fingerprint: string;
  org_id: string | null;
  first_seq: number | null;
  entry_count: number | null;
  status: number | null;
  body: string | null;
  created_at: string;
  expires_at: string;
}

export interface AttentionReadTable {
  org_id: string;
  member_id: string;
  item_id: string;
  read_at: string;
}

export interface NoticeOutboxTable {
  org_id: string;
  seq: number;
  act: string;
  created_at: string;
  mailed_at: string | null;
}

export interface MailOutboxTable {
  id: string;
  org_id: string;
  member_id: string | null;
  kind: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  unsubscribe_url: string | null;
  message_id: string;
  created_at: string;
  next_attempt_at: string;
  attempts: number;
  sent_at: string | null;
  failed_at: string | null;
  last_error: string | null;
}

export interface WebhookSecretTable {
  org_id: string;
  request_id: string;
  endpoint_id: string;
  secret: string;
  created_at: string;
}

export interface WebhookDeliveryTable {
  id: string;
  org_id: string;
  endpoint_id: string;
  seq: number;
  event_type: string;
  body: string;
  created_at: string;
  next_attempt_at: string;
  attempts: number;
  delivered_at: string | null;
  failed_at: string | null;
  last_status: number | null;
  last_error: string | null;
}

export interface WebhookAttemptTable {
  id: string;
  delivery_id: string;
  /** The sender's attempt number; 0 for a replay. */
  attempt: number;
  started_at: string;
  status: number | null;
  error: string | null;
  duration_ms: number;
  /** A replay asked for by a member (their id); null for the sender's own attempts. */
  replayed_by: string | null;
}

export interface WebhookEndpointStatusTable {
  org_id: string;
  endpoint_id: string;
  disabled_at: string | null;
  disabled_reason: string | null;
  changed_by: string | null;
  last_success_at: string | null;
}

export interface MailPreferenceTable {
  org_id: string;
  member_id: string;
  kind: string;
  delivery: string;
}

export interface DigestItemTable {
  org_id: string;
  member_id: string;
  seq: number;
  kind: string;
  title: string;
  path: string;
  created_at: string;
  digested_at: string | null;
}

export interface ServerKeyTable {
  name: string;
  secret: string;
}

// The projection tables' rows, as the store reads them back. Each names exactly the columns of the core's
// definition of its table (projectionTables, src/core/projections.ts): a column renamed, added or dropped there
// fails to compile here, and a column renamed here fails to compile in every query that reads it. Text unless the
// first migration made it an integer (size, seats_in_parent, position, status_quo, seats); JSON columns are text.
type Columns<T extends ProjectionTable> = (typeof projectionTables)[T]['columns'][number];
type Cell = string | number | null;
/** Compiles only when R names exactly the columns of table T. */
export type ProjectionRow<
  T extends ProjectionTable,
  R extends Record<Columns<T>, Cell> & Record<Exclude<keyof R, Columns<T>>, never>,
> = R;
type Text = string;
type NullableText = string | null;
/** A JSON document in a text column (canonical JSON, RFC 8785). */
type Json = string;
/** A count the core writes as decimal text (the columns not named in the first migration are text). */
type CountText = string;

export type OrgRow = ProjectionRow<
  'orgs',
  {
    id: Text;
    name: Text;
    constitution: Json;
    root_council_id: Text;
    founded_at: Text;
    size: number;
    /** How many members and councils the state holds (null only before the org-counts migration filled them). */
    member_count: number;
    council_count: number;
  }
>;
export type CouncilRow = ProjectionRow<
  'councils',
  {
    id: Text;
    org_id: Text;
    name: Text;
    parent_id: NullableText;
    seats_in_parent: number;
    position: number;
    name_key: Text;
  }
>;
export type MemberRow = ProjectionRow<
  'members',
  { id: Text; org_id: Text; name: Text; joined_at: Text; name_key: Text }
>;
export type MembershipRow = ProjectionRow<
  'memberships',
  { council_id: Text; member_id: Text; org_id: Text; name_key: Text }
>;
export type InvitationRow = ProjectionRow<
  'invitations',
  {
    id: Text;
    org_id: Text;
    council_id: Text;
    name: Text;
    invited_by: NullableText;
    issued_at: Text;
    used_by: NullableText;
  }
>;
export type MandateRow = ProjectionRow<
  'mandates',
  {
    id: Text;
    org_id: Text;
    member_id: Text;
    council_id: Text;
    from_council_id: Text;
    started_at: Text;
    term_ends: Text;
    motion_id: NullableText;
    ended_at: NullableText;
    end_reason: NullableText;
  }
>;
export type MotionRow = ProjectionRow<
  'motions',
  {
    id: Text;
    org_id: Text;
    council_id: Text;
    kind: Text;
    title: Text;
    text: Text;
    mover_id: NullableText;
    moved_at: Text;
    debate_opened_at: NullableText;
    state: MotionState;
    decision: Json;
    seat_council_id: NullableText;
    mandate_id: NullableText;
    vote_id: NullableText;
    adopted_alternative_id: NullableText;
  }
>;
export type AlternativeRow = ProjectionRow<
  'alternatives',
  {
    motion_id: Text;
    id: Text;
    org_id: Text;
    position: number;
    title: Text;
    text: Text;
    amends: NullableText;
    candidate_id: NullableText;
    proposed_by: NullableText;
    proposed_at: Text;
  }
>;
export type CommentRow = ProjectionRow<
  'comments',
  {
    motion_id: Text;
    id: Text;
    org_id: Text;
    position: number;
    author_id: Text;
    stance: Text;
    text: Text;
    reply_to: NullableText;
    posted_at: Text;
  }
>;
export type StatementRow = ProjectionRow<
  'statements',
  { motion_id: Text; id: Text; org_id: Text; author_id: Text; text: Text; attached_at: Text }
>;
export type VoteRow = ProjectionRow<
  'votes',
  {
    id: Text;
    org_id: Text;
    motion_id: Text;
    council_id: Text;
    options: Json;
    status_quo: number;
    seats: number;
    opened_at: Text;
    closes_at: Text;
    closed_at: NullableText;
    result: Json | null;
    outcome: NullableText;
    winner: NullableText;
    winners: Json;
  }
>;
export type BallotRow = ProjectionRow<
  'ballots',
  { vote_id: Text; member_id: Text; org_id: Text; ballot: Json; cast_at: Text }
>;
export type AdmissionRow = ProjectionRow<
  'admissions',
  {
    invitation_id: Text;
    org_id: Text;
    council_id: Text;
    name: Text;
    by: AdmissionRules['by'];
    proposed_by: Text;
    proposed_at: Text;
    required: CountText;
    objection_minutes: CountText;
    approvals: Json;
    approved_at: NullableText;
    objections: Json;
    motion_id: NullableText;
    member_id: NullableText;
    accepted_at: NullableText;
    admitted_at: NullableText;
    ended_by: 'council_removed' | null;
  }
>;
export type PetitionRow = ProjectionRow<
  'petitions',
  {
    id: Text;
    org_id: Text;
    kind: Text;
    council_id: Text;
    target_council_id: NullableText;
    mandate_id: NullableText;
    title: Text;
    text: Text;
    opened_by: Text;
    opened_at: Text;
    deadline: Text;
    required: Json;
    councils_required: CountText;
    passed_in: Json;
    signature_count: CountText;
    /** Canonical JSON `{ councilId: count }`; NULL in a row written before 2026-12-07T2130 and not since. */
    signed_in: NullableText;
    succeeded_at: NullableText;
    motion_id: NullableText;
  }
>;
export type PetitionSignatureRow = ProjectionRow<
  'petition_signatures',
  { petition_id: Text; member_id: Text; org_id: Text; council_id: Text; signed_at: Text }
>;
export type MemberKeyRow = ProjectionRow<
  'member_keys',
  {
    key_id: Text;
    org_id: Text;
    member_id: Text;
    public_key: Text;
    registered_at: Text;
    revoked_at: NullableText;
  }
>;
export type PrivilegedRequestRow = ProjectionRow<
  'privileged_requests',
  {
    id: Text;
    org_id: Text;
    kind: Text;
    content: Json;
    content_hash: Text;
    council_id: Text;
    authority: Json;
    approvers: Json;
    required: CountText;
    requested_by: Text;
    requested_at: Text;
    expires_at: Text;
    state: Text;
    done_at: NullableText;
    reversed_at: NullableText;
  }
>;
export type ApprovalRow = ProjectionRow<
  'approvals',
  {
    request_id: Text;
    id: Text;
    org_id: Text;
    member_id: Text;
    key_id: Text;
    round: CountText;
    signature: Text;
    approved_at: Text;
    expires_at: Text;
    withdrawn_at: NullableText;
  }
>;
export type CommitteeRow = ProjectionRow<
  'committees',
  { org_id: Text; council_id: Text; member_ids: Json; elected_at: Text; term_ends: Text; request_id: Text }
>;
export type PowerSettingsRow = ProjectionRow<
  'power_settings',
  { org_id: Text; log_key: NullableText; witnesses: Json; trustees: Json; unsealed: Json }
>;
export type SealedRecordRow = ProjectionRow<
  'sealed_records',
  {
    id: Text;
    seq: CountText;
    org_id: Text;
    council_id: Text;
    label: Text;
    commitment: Text;
    release_at: NullableText;
    release_condition: NullableText;
    sealed_by: Text;
    sealed_at: Text;
    revealed_at: NullableText;
    /** base64 of the content, once revealed */
    content: NullableText;
  }
>;
export type PaySchemeRow = ProjectionRow<
  'pay_schemes',
  {
    council_id: Text;
    version: CountText;
    org_id: Text;
    scheme_id: Text;
    name: Text;
    document: Json;
    motion_id: Text;
    alternative_id: Text;
    adopted_at: Text;
  }
>;
export type PayWorkforceImportRow = ProjectionRow<
  'pay_workforce_imports',
  {
    council_id: Text;
    seq: CountText;
    org_id: Text;
    sha256: Text;
    workers: CountText;
    imported_by: Text;
    imported_at: Text;
  }
>;

export interface Database {
  log_entries: LogEntryTable;
  secret_board: SecretBoardTable;
  secret_board_marks: SecretBoardMarkTable;
  secret_sums: SecretSumsTable;
  accounts: AccountTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  invitation_secrets: InvitationSecretTable;
  password_resets: PasswordResetTable;
  email_changes: EmailChangeTable;
  sign_in_failures: SignInFailureTable;
  known_devices: KnownDeviceTable;
  merkle_nodes: MerkleNodeTable;
  tree_states: TreeStateTable;
  checkpoints: CheckpointTable;
  record_key_history: RecordKeyHistoryTable;
  sealed_secrets: SealedSecretTable;
  sealed_records: SealedRecordRow;
  pay_workforces: PayWorkforceTable;
  idempotency_keys: IdempotencyKeyTable;
  attention_reads: AttentionReadTable;
  member_locales: MemberLocaleTable;
  notice_outbox: NoticeOutboxTable;
  mail_outbox: MailOutboxTable;
  mail_preferences: MailPreferenceTable;
  webhook_secrets: WebhookSecretTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;
  webhook_endpoint_status: WebhookEndpointStatusTable;
  digest_items: DigestItemTable;
  server_keys: ServerKeyTable;
  pay_schemes: PaySchemeRow;
  pay_workforce_imports: PayWorkforceImportRow;
  orgs: OrgRow;
  councils: CouncilRow;
  members: MemberRow;
  memberships: MembershipRow;
  invitations: InvitationRow;
  mandates: MandateRow;
  motions: MotionRow;
  alternatives: AlternativeRow;
  comments: CommentRow;
  statements: StatementRow;
  votes: VoteRow;
  ballots: BallotRow;
  petitions: PetitionRow;
  petition_signatures: PetitionSignatureRow;
  member_keys: MemberKeyRow;
  privileged_requests: PrivilegedRequestRow;
  approvals: ApprovalRow;
  committees: CommitteeRow;
  power_settings: PowerSettingsRow;
  admissions: AdmissionRow;
  _unused?: Generated<number>;
}
