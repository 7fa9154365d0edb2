// Personal data lives here, never in the log: e-mail addresses, password hashes, sessions, API tokens and the
// secret half of invitations. Secrets are stored only as SHA-256 hashes. A member id names a member within one
// organisation: accounts, tokens and invitation secrets are keyed by (org_id, id), and every lookup by an id
// names the organisation too. An e-mail address signs in to one account of the installation (it stays unique),
// and sessions and tokens are found by the hash of their secret, which names their organisation.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface Account {
  memberId: string;
  orgId: string;
  email: string;
  passwordHash: string;
}

export async function insertAccount(q: Q, a: Account, now: string): Promise<void> {
  await q
    .insertInto('accounts')
    .values({
      member_id: a.memberId,
      org_id: a.orgId,
      email: a.email,
      password_hash: a.passwordHash,
      created_at: now,
    })
    .execute();
}

export async function findAccountByEmail(q: Q, email: string): Promise<Account | undefined> {
  const r = await q.selectFrom('accounts').selectAll().where('email', '=', email).executeTakeFirst();
  return r && { memberId: r.member_id, orgId: r.org_id, email: r.email, passwordHash: r.password_hash };
}

export async function findAccount(q: Q, orgId: string, memberId: string): Promise<Account | undefined> {
  const r = await q
    .selectFrom('accounts')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  return r && { memberId: r.member_id, orgId: r.org_id, email: r.email, passwordHash: r.password_hash };
}

export async function updatePasswordHash(q: Q, orgId: string, memberId: string, hash: string): Promise<void> {
  await q
    .updateTable('accounts')
    .set({ password_hash: hash })
    .where('org_id', '=', orgId)
    .where('member_id', '=', memberId)
    .execute();
}

/**
 * A hash made again at another cost for the same password (a sign-in), written only if the account still has the
 * hash it replaces: a password changed meanwhile is not overwritten. Whether it was written.
 */
export async function rehashPassword(
  q: Q,
  orgId: string,
  memberId: string,
  replaced: string,
  hash: string,
): Promise<boolean> {
  const r = await q
    .updateTable('accounts')
    .set({ password_hash: hash })
    .where('org_id', '=', orgId)
    .where('member_id', '=', memberId)
    .where('password_hash', '=', replaced)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function updateEmail(q: Q, orgId: string, memberId: string, email: string): Promise<void> {
  await q
    .updateTable('accounts')
    .set({ email })
    .where('org_id', '=', orgId)
    .where('member_id', '=', memberId)
    .execute();
}

export async function emailTaken(q: Q, email: string): Promise<boolean> {
  return (await findAccountByEmail(q, email)) !== undefined;
}

export interface SessionRecord {
  id: string;
  memberId: string;
  orgId: string;
  csrfToken: string;
  expiresAt: string;
  userAgent: string | null;
  createdAt: string;
  lastUsedAt: string | null;
}

export async function insertSession(
  q: Q,
  idHash: string,
  s: Omit<SessionRecord, 'createdAt' | 'lastUsedAt'>,
  now: string,
): Promise<void> {
  await q
    .insertInto('sessions')
    .values({
      id_hash: idHash,
      id: s.id,
      member_id: s.memberId,
      org_id: s.orgId,
      csrf_token: s.csrfToken,
      created_at: now,
      expires_at: s.expiresAt,
      user_agent: s.userAgent,
      last_used_at: now,
    })
    .execute();
}

type SessionRow = Database['sessions'];

function sessionOf(r: { [K in keyof SessionRow]: SessionRow[K] }): SessionRecord {
  return {
    id: r.id ?? `session_${r.id_hash.slice(0, 24)}`,
    memberId: r.member_id,
    orgId: r.org_id,
    csrfToken: r.csrf_token,
    expiresAt: r.expires_at,
    userAgent: r.user_agent,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
  };
}

export async function findSession(q: Q, idHash: string, now: string): Promise<SessionRecord | undefined> {
  const r = await q
    .selectFrom('sessions')
    .selectAll()
    .where('id_hash', '=', idHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return r && sessionOf(r);
}

/** A member's sessions that have not expired, newest first. */
export async function listSessions(
  q: Q,
  orgId: string,
  memberId: string,
  now: string,
): Promise<SessionRecord[]> {
  const rows = await q
    .selectFrom('sessions')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('member_id', '=', memberId)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(sessionOf);
}

export async function touchSession(q: Q, idHash: string, now: string): Promise<void> {
  await q.updateTable('sessions').set({ last_used_at: now }).where('id_hash', '=', idHash).execute();
}

/** Deletes a member's sessions (all of them, or all but `keepId`); returns the hashes deleted. */
export async function deleteSessionsOf(
  q: Q,
  orgId: string,
  memberId: string,
  options: { keepId?: string; onlyId?: string } = {},
): Promise<string[]> {
  let query = q.deleteFrom('sessions').where('org_id', '=', orgId).where('member_id', '=', memberId);
  if (options.keepId !== undefined) query = query.where('id', '!=', options.keepId);
  if (options.onlyId !== undefined) query = query.where('id', '=', options.onlyId);
  const rows = await query.returning('id_hash').execute();
  return rows.map((r) => r.id_hash);
}

export async function deleteSession(q: Q, idHash: string): Promise<void> {
  await q.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export interface ApiTokenRecord {
  id: string;
  memberId: string;
  orgId: string;
  name: string;
  createdAt: string;
  lastUsedAt?: string | null;
  userAgent?: string | null;
}

export async function touchApiToken(q: Q, id: string, now: string, userAgent: string | null): Promise<void> {
  await q
    .updateTable('api_tokens')
    .set({ last_used_at: now, user_agent: userAgent })
    .where('id', '=', id)
    .execute();
}

/** Revokes every token of a member (a password reset: whoever had the account may have made one). */
export async function revokeApiTokensOf(
  q: Q,
  orgId: string,
  memberId: string,
  now: string,
): Promise<string[]> {
  const rows = await q
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('org_id', '=', orgId)
    .where('member_id', '=', memberId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function insertApiToken(q: Q, tokenHash: string, t: ApiTokenRecord): Promise<void> {
  await q
    .insertInto('api_tokens')
    .values({
      id: t.id,
      token_hash: tokenHash,
      member_id: t.memberId,
      org_id: t.orgId,
      name: t.name,
      created_at: t.createdAt,
      revoked_at: null,
    })
    .execute();
}

export async function findApiToken(q: Q, tokenHash: string): Promise<ApiTokenRecord | undefined> {
  const r = await q
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return (
    r && {
      id: r.id,
      memberId: r.member_id,
      orgId: r.org_id,
      name: r.name,
      createdAt: r.created_at,
      lastUsedAt: r.last_used_at,
      userAgent: r.user_agent,
    }
  );
}

export async function listApiTokens(q: Q, orgId: string, memberId: string): Promise<ApiTokenRecord[]> {
  const rows = await q
    .selectFrom('api_tokens')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('member_id', '=', memberId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    memberId: r.member_id,
    orgId: r.org_id,
    name: r.name,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    userAgent: r.user_agent,
  }));
}

export async function revokeApiToken(
  q: Q,
  orgId: string,
  memberId: string,
  id: string,
  now: string,
): Promise<boolean> {
  const r = await q
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('member_id', '=', memberId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export interface InvitationSecret {
  invitationId: string;
  orgId: string;
  expiresAt: string;
  usedAt: string | null;
}

export async function insertInvitationSecret(q: Q, tokenHash: string, s: InvitationSecret): Promise<void> {
  await q
    .insertInto('invitation_secrets')
    .values({
      invitation_id: s.invitationId,
      org_id: s.orgId,
      token_hash: tokenHash,
      expires_at: s.expiresAt,
      used_at: s.usedAt,
    })
    .execute();
}

export async function findInvitationSecret(q: Q, tokenHash: string): Promise<InvitationSecret | undefined> {
  const r = await q
    .selectFrom('invitation_secrets')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return r && { invitationId: r.invitation_id, orgId: r.org_id, expiresAt: r.expires_at, usedAt: r.used_at };
}

export async function markInvitationUsed(
  q: Q,
  orgId: string,
  invitationId: string,
  now: string,
): Promise<boolean> {
  const r = await q
    .updateTable('invitation_secrets')
    .set({ used_at: now })
    .where('org_id', '=', orgId)
    .where('invitation_id', '=', invitationId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
