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

type Cell = string | number | null;
type AnyRow = Record<string, Cell>;

export interface Database {
  log_entries: LogEntryTable;
  accounts: AccountTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  invitation_secrets: InvitationSecretTable;
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
  _unused?: Generated<number>;
}
