// The attention inbox's service verbs (docs/NOTIFICATIONS.md): the items are derived from the organisation's
// state (src/core/attention), the read marks come from the store.
import { attentionFor, type AttentionItem } from '../core/index.ts';
import { markItemsRead, readItemIds } from '../store/attention-repository.ts';
import type { CouncilsService, Principal } from './service.ts';

export async function memberInbox(
  service: CouncilsService,
  p: Principal,
): Promise<{ items: AttentionItem[]; read: Set<string> }> {
  const state = await service.ledger(p.orgId).current();
  const items = attentionFor(state, p.memberId, service.now());
  const read = await readItemIds(
    service.db.kysely,
    p.orgId,
    p.memberId,
    items.map((i) => i.id),
  );
  return { items, read };
}

/** Marks the named items read, or (all) every item in the inbox now. Ids not in the inbox are ignored. */
export async function markRead(
  service: CouncilsService,
  p: Principal,
  which: { itemIds: readonly string[] } | { all: true },
): Promise<void> {
  const state = await service.ledger(p.orgId).current();
  const current = attentionFor(state, p.memberId, service.now()).map((i) => i.id);
  const inbox = new Set(current);
  const ids = 'all' in which ? current : which.itemIds.filter((id) => inbox.has(id));
  await markItemsRead(
    service.db.kysely,
    p.orgId,
    p.memberId,
    ids,
    service.now(),
    'all' in which ? current : undefined,
  );
}
