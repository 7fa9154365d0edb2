// The attention inbox's read state (docs/NOTIFICATIONS.md): per member, the ids of the items read. Items are
// derived from the log (src/core/attention), so only this member-owned state is stored.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** Of these item ids, the ones the member has read. */
export async function readItemIds(
  q: Q,
  orgId: string,
  memberId: string,
  itemIds: readonly string[],
): Promise<Set<string>> {
  if (itemIds.length === 0) return new Set();
  const rows = await q
    .selectFrom('attention_reads')
    .select('item_id')
    .where('org_id', '=', orgId)
    .where('member_id', '=', memberId)
    .where('item_id', 'in', itemIds)
    .execute();
  return new Set(rows.map((r) => r.item_id));
}

/**
 * Marks items read. `current` (for "mark all read") is the whole inbox: rows of items no longer in it are
 * dropped, so a member's read state never outgrows the inbox.
 */
export async function markItemsRead(
  q: Kysely<Database>,
  orgId: string,
  memberId: string,
  itemIds: readonly string[],
  now: string,
  current?: readonly string[],
): Promise<void> {
  await q.transaction().execute(async (trx) => {
    if (current) {
      let gone = trx
        .deleteFrom('attention_reads')
        .where('org_id', '=', orgId)
        .where('member_id', '=', memberId);
      if (current.length > 0) gone = gone.where('item_id', 'not in', current);
      await gone.execute();
    }
    for (let i = 0; i < itemIds.length; i += 500) {
      const rows = itemIds
        .slice(i, i + 500)
        .map((item_id) => ({ org_id: orgId, member_id: memberId, item_id, read_at: now }));
      await trx
        .insertInto('attention_reads')
        .values(rows)
        .onConflict((oc) => oc.columns(['org_id', 'member_id', 'item_id']).doNothing())
        .execute();
    }
  });
}
