// Secret votes: credentials issued by blind signature (docs/BALLOT-PROTOCOL.md §4.1). The member → credential table
// goes (it was the one place linking a member to a credential); issuance is a public log entry now. In its place:
// the anonymously listed credentials (credential, weight, signature: no member, no time) until the list is frozen,
// and the private halves of the issuing keys, found by the SHA-256 of the public modulus.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('secret_credentials').execute();
  await db.schema
    .createTable('secret_listed_credentials')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('vote_id', 'text', (c) => c.notNull())
    .addColumn('credential', 'text', (c) => c.notNull())
    .addColumn('weight', 'integer', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('secret_listed_credentials_pk', ['org_id', 'vote_id', 'credential'])
    .execute();
  await db.schema
    .createTable('secret_issuer_keys')
    .addColumn('key_id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('private_key', 'text', (c) => c.notNull())
    .execute();
}
