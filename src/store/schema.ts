// Row types of the store. They never leave src/store: repositories return domain-shaped objects.
import type { Generated } from 'kysely';

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
}

export interface ApiTokenTable {
  id: string;
  token_hash: string;
  member_id: string;
  org_id: string;
  name: string;
  created_at: string;
  revoked_at: string | null;
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

type Cell = string | number | null;
type AnyRow = Record<string, Cell>;

export interface Database {
  log_entries: LogEntryTable;
  accounts: AccountTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  invitation_secrets: InvitationSecretTable;
  merkle_nodes: MerkleNodeTable;
  tree_states: TreeStateTable;
  checkpoints: CheckpointTable;
  record_key_history: RecordKeyHistoryTable;
  sealed_secrets: SealedSecretTable;
  sealed_records: AnyRow;
  pay_workforces: PayWorkforceTable;
  pay_schemes: AnyRow;
  pay_workforce_imports: AnyRow;
  orgs: AnyRow;
  councils: AnyRow;
  members: AnyRow;
  memberships: AnyRow;
  invitations: AnyRow;
  mandates: AnyRow;
  motions: AnyRow;
  alternatives: AnyRow;
  comments: AnyRow;
  statements: AnyRow;
  votes: AnyRow;
  electors: AnyRow;
  ballots: AnyRow;
  petitions: AnyRow;
  petition_signatures: AnyRow;
  member_keys: AnyRow;
  privileged_requests: AnyRow;
  approvals: AnyRow;
  committees: AnyRow;
  power_settings: AnyRow;
  _unused?: Generated<number>;
}
