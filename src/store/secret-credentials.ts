// Secret votes' private tables (docs/BALLOT-PROTOCOL.md §4.1). Nothing here links a member to a credential:
// - the credentials listed anonymously (credential, weight, blind signature) until the list is frozen; the rows
//   carry no member and no time, and are served only as the frozen list;
// - the private halves of the credential-issuing keys (PKCS#8 PEM), found by key id = SHA-256 of the public
//   modulus, kept out of the log like every other private key.
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

interface ListedCredentialTable {
  org_id: string;
  vote_id: string;
  credential: string;
  weight: number;
  signature: string;
}

interface IssuerKeyTable {
  key_id: string;
  org_id: string;
  private_key: string;
}

type Q = Kysely<{ secret_listed_credentials: ListedCredentialTable; secret_issuer_keys: IssuerKeyTable }>;
const q = (db: Kysely<Database>): Q => db as unknown as Q;

export interface ListedCredential {
  credential: string;
  weight: number;
  signature: string;
}

/** Lists a signed credential; false if it is listed already. */
export async function listCredential(
  db: Kysely<Database>,
  r: { orgId: string; voteId: string } & ListedCredential,
): Promise<boolean> {
  const taken = await q(db)
    .selectFrom('secret_listed_credentials')
    .select('credential')
    .where('org_id', '=', r.orgId)
    .where('vote_id', '=', r.voteId)
    .where('credential', '=', r.credential)
    .executeTakeFirst();
  if (taken) return false;
  await q(db)
    .insertInto('secret_listed_credentials')
    .values({
      org_id: r.orgId,
      vote_id: r.voteId,
      credential: r.credential,
      weight: r.weight,
      signature: r.signature,
    })
    .execute();
  return true;
}

/** The listed credentials of a vote, sorted by credential (the order says nothing about who listed when). */
export async function listedCredentials(
  db: Kysely<Database>,
  orgId: string,
  voteId: string,
): Promise<ListedCredential[]> {
  const rows = await q(db)
    .selectFrom('secret_listed_credentials')
    .select(['credential', 'weight', 'signature'])
    .where('org_id', '=', orgId)
    .where('vote_id', '=', voteId)
    .orderBy('credential')
    .execute();
  return rows.map((r) => ({ credential: r.credential, weight: Number(r.weight), signature: r.signature }));
}

export async function keepIssuerKey(
  db: Kysely<Database>,
  r: { keyId: string; orgId: string; privateKey: string },
): Promise<void> {
  await q(db)
    .insertInto('secret_issuer_keys')
    .values({ key_id: r.keyId, org_id: r.orgId, private_key: r.privateKey })
    .execute();
}

export async function issuerPrivateKey(
  db: Kysely<Database>,
  orgId: string,
  keyId: string,
): Promise<string | undefined> {
  const r = await q(db)
    .selectFrom('secret_issuer_keys')
    .select('private_key')
    .where('key_id', '=', keyId)
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return r?.private_key;
}

export async function dropIssuerKey(db: Kysely<Database>, keyId: string): Promise<void> {
  await q(db).deleteFrom('secret_issuer_keys').where('key_id', '=', keyId).execute();
}
