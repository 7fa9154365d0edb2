// The account's one-time links and the sign-in throttle's memory (docs/ACCOUNTS.md), kept beside the accounts
// and never in the log: password-reset and e-mail-change links (only the SHA-256 of their secret), failed
// sign-ins per e-mail address, and the devices a member signed in from (the hash of a cookie's secret).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface PasswordReset {
  orgId: string;
  memberId: string;
  via: 'email' | 'council';
  requestId: string | null;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export async function insertPasswordReset(q: Q, tokenHash: string, r: PasswordReset): Promise<void> {
  await q
    .insertInto('password_resets')
    .values({
      token_hash: tokenHash,
      org_id: r.orgId,
      member_id: r.memberId,
      via: r.via,
      request_id: r.requestId,
      created_at: r.createdAt,
      expires_at: r.expiresAt,
      used_at: r.usedAt,
    })
    .execute();
}

export async function findPasswordReset(q: Q, tokenHash: string): Promise<PasswordReset | undefined> {
  const r = await q
    .selectFrom('password_resets')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return (
    r && {
      orgId: r.org_id,
      memberId: r.member_id,
      via: r.via as PasswordReset['via'],
      requestId: r.request_id,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      usedAt: r.used_at,
    }
  );
}

/** Marks a one-time link used, once: false when it was used already (two tabs, a replay). */
export async function markLinkUsed(
  q: Q,
  table: 'password_resets' | 'email_changes',
  tokenHash: string,
  now: string,
): Promise<boolean> {
  const r = await q
    .updateTable(table)
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** A new link replaces the member's earlier unused ones: only the latest works. */
export async function retirePasswordResets(
  q: Q,
  orgId: string,
  memberId: string,
  now: string,
): Promise<void> {
  await q
    .updateTable('password_resets')
    .set({ used_at: now })
    .where('org_id', '=', orgId)
    .where('member_id', '=', memberId)
    .where('used_at', 'is', null)
    .execute();
}

export interface EmailChange {
  orgId: string;
  memberId: string;
  newEmail: string;
  expiresAt: string;
  usedAt: string | null;
}

export async function insertEmailChange(q: Q, tokenHash: string, c: EmailChange, now: string): Promise<void> {
  await q
    .insertInto('email_changes')
    .values({
      token_hash: tokenHash,
      org_id: c.orgId,
      member_id: c.memberId,
      new_email: c.newEmail,
      created_at: now,
      expires_at: c.expiresAt,
      used_at: c.usedAt,
    })
    .execute();
}

export async function findEmailChange(q: Q, tokenHash: string): Promise<EmailChange | undefined> {
  const r = await q
    .selectFrom('email_changes')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return (
    r && {
      orgId: r.org_id,
      memberId: r.member_id,
      newEmail: r.new_email,
      expiresAt: r.expires_at,
      usedAt: r.used_at,
    }
  );
}

export interface SignInFailures {
  failures: number;
  lastFailureAt: string;
}

export async function findSignInFailures(q: Q, email: string): Promise<SignInFailures | undefined> {
  const r = await q.selectFrom('sign_in_failures').selectAll().where('email', '=', email).executeTakeFirst();
  return r && { failures: Number(r.failures), lastFailureAt: r.last_failure_at };
}

/** One more failure for this address, counted in the database (so two requests at once both count). */
export async function addSignInFailure(q: Q, email: string, now: string): Promise<void> {
  await q
    .insertInto('sign_in_failures')
    .values({ email, failures: 1, last_failure_at: now })
    .onConflict((oc) =>
      oc.column('email').doUpdateSet((eb) => ({
        failures: eb('sign_in_failures.failures', '+', 1),
        last_failure_at: now,
      })),
    )
    .execute();
}

export async function clearSignInFailures(q: Q, email: string): Promise<void> {
  await q.deleteFrom('sign_in_failures').where('email', '=', email).execute();
}

export interface KnownDevice {
  orgId: string;
  memberId: string;
  failures: number;
}

export async function findKnownDevice(q: Q, tokenHash: string): Promise<KnownDevice | undefined> {
  const r = await q
    .selectFrom('known_devices')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return r && { orgId: r.org_id, memberId: r.member_id, failures: Number(r.failures) };
}

export async function insertKnownDevice(
  q: Q,
  tokenHash: string,
  d: { orgId: string; memberId: string },
  now: string,
): Promise<void> {
  await q
    .insertInto('known_devices')
    .values({
      token_hash: tokenHash,
      org_id: d.orgId,
      member_id: d.memberId,
      failures: 0,
      created_at: now,
      last_used_at: now,
    })
    .execute();
}

export async function deviceSignedIn(q: Q, tokenHash: string, now: string): Promise<void> {
  await q
    .updateTable('known_devices')
    .set({ failures: 0, last_used_at: now })
    .where('token_hash', '=', tokenHash)
    .execute();
}

/** One more wrong password from a known device; returns how many since its last good one. */
export async function addDeviceFailure(q: Q, tokenHash: string): Promise<number> {
  const r = await q
    .updateTable('known_devices')
    .set((eb) => ({ failures: eb('failures', '+', 1) }))
    .where('token_hash', '=', tokenHash)
    .returning('failures')
    .executeTakeFirst();
  return Number(r?.failures ?? 0);
}

export async function forgetDevice(q: Q, tokenHash: string): Promise<void> {
  await q.deleteFrom('known_devices').where('token_hash', '=', tokenHash).execute();
}

export async function forgetDevicesOf(q: Q, orgId: string, memberId: string): Promise<void> {
  await q.deleteFrom('known_devices').where('org_id', '=', orgId).where('member_id', '=', memberId).execute();
}
