// Secret votes' private tables (docs/BALLOT-PROTOCOL.md §4.1). Nothing here links a member to a credential:
// - the credentials listed anonymously (credential, weight, blind signature) until the list is frozen; the rows
//   carry no member and no time, and are served only as the frozen list;
// - the private halves of the credential-issuing keys (PKCS#8 PEM), found by key id = SHA-256 of the public
//   modulus, kept out of the log like every other private key.
// Both are destroyed once the vote cannot use them any more: in the transaction that freezes the list or ends the
// vote (`forgetSpentIssuance`, called by the ledger), and at start for anything an older version left behind.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Entry, OrgState, Vote } from '../core/index.ts';
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

/** Lists a signed credential; false if it is listed already (also when two requests race to list it). */
export async function listCredential(
  db: Kysely<Database>,
  r: { orgId: string; voteId: string } & ListedCredential,
): Promise<boolean> {
  const result = await q(db)
    .insertInto('secret_listed_credentials')
    .values({
      org_id: r.orgId,
      vote_id: r.voteId,
      credential: r.credential,
      weight: r.weight,
      signature: r.signature,
    })
    .onConflict((oc) => oc.columns(['org_id', 'vote_id', 'credential']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** How many credentials of each weight a vote has listed: one grouped count, not the list. */
export async function countListed(
  db: Kysely<Database>,
  orgId: string,
  voteId: string,
): Promise<{ total: number; perWeight: Map<number, number> }> {
  const rows = await q(db)
    .selectFrom('secret_listed_credentials')
    .select(['weight', (eb) => eb.fn.countAll<string | number | bigint>().as('n')])
    .where('org_id', '=', orgId)
    .where('vote_id', '=', voteId)
    .groupBy('weight')
    .execute();
  const perWeight = new Map(rows.map((r) => [Number(r.weight), Number(r.n)]));
  return { total: [...perWeight.values()].reduce((a, b) => a + b, 0), perWeight };
}

/** Whether a credential is listed for a vote. */
export async function isListed(
  db: Kysely<Database>,
  orgId: string,
  voteId: string,
  credential: string,
): Promise<boolean> {
  const row = await q(db)
    .selectFrom('secret_listed_credentials')
    .select('credential')
    .where('org_id', '=', orgId)
    .where('vote_id', '=', voteId)
    .where('credential', '=', credential)
    .executeTakeFirst();
  return row !== undefined;
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

export async function dropIssuerKey(db: Kysely<Database>, orgId: string, keyId: string): Promise<void> {
  await q(db)
    .deleteFrom('secret_issuer_keys')
    .where('org_id', '=', orgId)
    .where('key_id', '=', keyId)
    .execute();
}

export async function issuerKeyIds(db: Kysely<Database>, orgId: string): Promise<string[]> {
  const rows = await q(db)
    .selectFrom('secret_issuer_keys')
    .select('key_id')
    .where('org_id', '=', orgId)
    .execute();
  return rows.map((r) => r.key_id);
}

/** Key id of an issuing key: the SHA-256 of its modulus bytes, hex. */
export const issuerKeyId = (k: { n: string }): string =>
  createHash('sha256').update(Buffer.from(k.n, 'hex')).digest('hex');

/**
 * A secret vote's issuance is spent once its credential list is frozen or the vote has ended (closed or failed):
 * no credential can be issued or listed any more, so the private keys could only sign for nobody.
 */
export const issuanceSpent = (vote: Vote): boolean =>
  vote.secret !== undefined && (vote.secret.election !== null || vote.closedAt !== null);

/** Destroys a vote's issuing private keys and its listed-credential rows. */
export async function forgetIssuance(db: Kysely<Database>, orgId: string, vote: Vote): Promise<void> {
  const keyIds = (vote.secret?.setup.issuers ?? []).map(issuerKeyId);
  if (keyIds.length > 0) {
    await q(db)
      .deleteFrom('secret_issuer_keys')
      .where('org_id', '=', orgId)
      .where('key_id', 'in', keyIds)
      .execute();
  }
  await dropListings(db, orgId, vote.id);
}

/** Deletes the listed credentials of a vote. */
export async function dropListings(db: Kysely<Database>, orgId: string, voteId: string): Promise<void> {
  await q(db)
    .deleteFrom('secret_listed_credentials')
    .where('org_id', '=', orgId)
    .where('vote_id', '=', voteId)
    .execute();
}

/**
 * The ledger calls this inside the transaction that appends `entries` (already applied to `state`): the votes whose
 * list they froze or that they ended lose their issuing keys and listed credentials in the same commit. Only the
 * freeze (`credentials`), `vote_closed` and `vote_failed` entries can spend an issuance, so ballots cost nothing.
 */
export async function forgetSpentIssuance(
  db: Kysely<Database>,
  orgId: string,
  state: OrgState,
  entries: readonly Entry[],
): Promise<void> {
  const voteIds = new Set<string>();
  for (const e of entries) {
    if (e.act === 'vote_closed' || e.act === 'vote_failed') voteIds.add(e.payload.voteId);
    else if (e.act === 'board_posted' && e.payload.kind === 'credentials') voteIds.add(e.payload.voteId);
  }
  for (const id of voteIds) {
    const vote = state.votes.get(id);
    if (vote && issuanceSpent(vote)) await forgetIssuance(db, orgId, vote);
  }
}

/** Organisations that have any issuing key or listed credential (what the start-up sweep has to look at). */
export async function orgsWithIssuance(db: Kysely<Database>): Promise<string[]> {
  const a = await q(db).selectFrom('secret_issuer_keys').select('org_id').distinct().execute();
  const b = await q(db).selectFrom('secret_listed_credentials').select('org_id').distinct().execute();
  return [...new Set([...a, ...b].map((r) => r.org_id))].sort();
}

/** The votes that have listed credentials in an organisation. */
export async function votesWithListings(db: Kysely<Database>, orgId: string): Promise<string[]> {
  const rows = await q(db)
    .selectFrom('secret_listed_credentials')
    .select('vote_id')
    .distinct()
    .where('org_id', '=', orgId)
    .execute();
  return rows.map((r) => r.vote_id);
}
