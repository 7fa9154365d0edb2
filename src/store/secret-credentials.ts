// Which member registered which public credential for a secret vote. This mapping is the one place where the
// server links a member to a credential, so it stays out of the log (like accounts) and is never served: only
// the frozen list of public credentials is published (docs/BALLOT-PROTOCOL.md "In Councils", the known limit).
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

interface SecretCredentialTable {
  org_id: string;
  vote_id: string;
  member_id: string;
  credential: string;
  weight: number;
  registered_at: string;
}

type Q = Kysely<{ secret_credentials: SecretCredentialTable }>;
const q = (db: Kysely<Database>): Q => db as unknown as Q;

export interface RegisteredCredential {
  credential: string;
  weight: number;
}

/** Registers (or replaces, before the list is frozen) a member's public credential. False if another member holds it. */
export async function registerCredential(
  db: Kysely<Database>,
  r: { orgId: string; voteId: string; memberId: string; credential: string; weight: number; at: string },
): Promise<boolean> {
  const taken = await q(db)
    .selectFrom('secret_credentials')
    .select('member_id')
    .where('org_id', '=', r.orgId)
    .where('vote_id', '=', r.voteId)
    .where('credential', '=', r.credential)
    .executeTakeFirst();
  if (taken && taken.member_id !== r.memberId) return false;
  await q(db)
    .deleteFrom('secret_credentials')
    .where('org_id', '=', r.orgId)
    .where('vote_id', '=', r.voteId)
    .where('member_id', '=', r.memberId)
    .execute();
  await q(db)
    .insertInto('secret_credentials')
    .values({
      org_id: r.orgId,
      vote_id: r.voteId,
      member_id: r.memberId,
      credential: r.credential,
      weight: r.weight,
      registered_at: r.at,
    })
    .execute();
  return true;
}

/** The public credentials of a vote, sorted (the order says nothing about who registered when). */
export async function listCredentials(
  db: Kysely<Database>,
  orgId: string,
  voteId: string,
): Promise<RegisteredCredential[]> {
  const rows = await q(db)
    .selectFrom('secret_credentials')
    .select(['credential', 'weight'])
    .where('org_id', '=', orgId)
    .where('vote_id', '=', voteId)
    .orderBy('credential')
    .execute();
  return rows.map((r) => ({ credential: r.credential, weight: Number(r.weight) }));
}

/** The credential a member registered, for their own device to compare with. */
export async function memberCredential(
  db: Kysely<Database>,
  orgId: string,
  voteId: string,
  memberId: string,
): Promise<string | undefined> {
  const r = await q(db)
    .selectFrom('secret_credentials')
    .select('credential')
    .where('org_id', '=', orgId)
    .where('vote_id', '=', voteId)
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  return r?.credential;
}
