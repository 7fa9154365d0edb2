// A member's language (docs/WEB.md "Languages"), kept beside the accounts: a personal setting, not an act.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** The language a member chose, or undefined when they never chose one. */
export async function findMemberLocale(q: Q, orgId: string, memberId: string): Promise<string | undefined> {
  const row = await q
    .selectFrom('member_locales')
    .select('locale')
    .where('org_id', '=', orgId)
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  return row?.locale;
}

export async function saveMemberLocale(
  q: Q,
  orgId: string,
  memberId: string,
  locale: string,
  now: string,
): Promise<void> {
  await q
    .insertInto('member_locales')
    .values({ org_id: orgId, member_id: memberId, locale, updated_at: now })
    .onConflict((oc) => oc.columns(['org_id', 'member_id']).doUpdateSet({ locale, updated_at: now }))
    .execute();
}
