// Presenter of the attention inbox (see organisation.ts).
import type { AttentionItem } from '../../core/index.ts';
import type { Attention } from '../responses/attention.ts';

export function presentAttention(items: readonly AttentionItem[], read: ReadonlySet<string>): Attention {
  const presented = items.map((i) => ({ ...i, read: read.has(i.id) }));
  return { items: presented, unread: presented.filter((i) => !i.read).length };
}
