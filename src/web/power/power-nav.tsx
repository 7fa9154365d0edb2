// The pages of collective authority link to each other: requests, committees, my key, the record's settings.
import { Link } from '../router.tsx';
import { t } from '../strings.ts';

const pages = [
  { id: 'requests', href: '/requests', label: 'navRequests' },
  { id: 'committees', href: '/committees', label: 'navCommittees' },
  { id: 'key', href: '/key', label: 'navKey' },
  { id: 'record-settings', href: '/record/settings', label: 'navRecordSettings' },
  { id: 'webhooks', href: '/webhooks', label: 'navWebhooks' },
] as const;

export function PowerNav({ current }: { current: (typeof pages)[number]['id'] }) {
  return (
    <nav aria-label={t('powerNavLabel')} className="subnav">
      <ul className="inline">
        {pages.map((p) => (
          <li key={p.id}>
            <Link href={p.href} aria-current={current === p.id ? 'page' : undefined}>
              {t(p.label)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
