// The home page's "Needs your attention": each item in one line with a link to its page; unread items marked.
import { useAttention } from '../attention.tsx';
import { Link } from '../router.tsx';
import { formatDate, t, tDynamic } from '../strings.ts';
import type { AttentionItem } from '../types.ts';
import { ActionButton, useAction } from './form.tsx';

function hrefOf(i: AttentionItem): string {
  if (i.petitionId) return `/petitions/${encodeURIComponent(i.petitionId)}`;
  if (i.requestId) return `/requests/${encodeURIComponent(i.requestId)}`;
  if (i.motionId) return `/motions/${encodeURIComponent(i.motionId)}`;
  return '/record';
}

function lineOf(i: AttentionItem): string {
  const outcome = i.outcome ? tDynamic(`outcome_${i.outcome}`, i.outcome) : '';
  // a decryption duty with a deadline says it (the item's closesAt)
  const key =
    i.kind === 'trustee_decryption' && i.closesAt ? 'attention_trustee_decryption_by' : `attention_${i.kind}`;
  return tDynamic(key, i.title, {
    title: i.title,
    date: i.closesAt ? formatDate(i.closesAt) : '',
    signatures: i.signatures ?? 0,
    required: i.required ?? 0,
    outcome,
  });
}

export function AttentionList() {
  const { inbox, markAllRead } = useAttention();
  const action = useAction();
  if (!inbox) return null;
  return (
    <section aria-labelledby="attention">
      <h2 id="attention">{t('attentionTitle')}</h2>
      {inbox.items.length === 0 ? (
        <p>{t('attentionNone')}</p>
      ) : (
        <>
          <ul className="plain attention">
            {inbox.items.map((i) => (
              <li key={i.id} className={i.read ? undefined : 'unread'}>
                {!i.read && <span className="badge">{t('attentionNew')}</span>}{' '}
                <Link href={hrefOf(i)}>{lineOf(i)}</Link>
              </li>
            ))}
          </ul>
          {inbox.unread > 0 && (
            <ActionButton
              label={t('attentionMarkAllRead')}
              action={action}
              className="secondary"
              onClick={() => void action.run(markAllRead)}
            />
          )}
        </>
      )}
    </section>
  );
}
