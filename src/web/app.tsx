// The frame of every page: skip link, header with navigation, the page for the current route. Focus moves to
// the page's heading after each navigation so screen readers announce the new page.
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { CouncilPage } from './pages/council-page.tsx';
import { HomePage } from './pages/home-page.tsx';
import { InvitePage } from './pages/invite-page.tsx';
import { MotionPage } from './pages/motion-page.tsx';
import { PayPage } from './pages/pay-page.tsx';
import { RecordPage } from './pages/record-page.tsx';
import { SignInPage } from './pages/sign-in-page.tsx';
import { AccountPage } from './pages/account-page.tsx';
import { ConfirmEmailPage, ForgotPasswordPage, ResetPage } from './pages/reset-pages.tsx';
import { TransparencyPage } from './pages/transparency-page.tsx';
import { TreePage } from './pages/tree-page.tsx';
import { usePageTitle } from './page-title.ts';
import { Link, navigate, useRoute, type Route } from './router.tsx';
import { useSession } from './session.tsx';
import { AttentionProvider, useAttention } from './attention.tsx';
import { LiveProvider } from './live.tsx';
import { LanguageSwitcher } from './components/language-switcher.tsx';
import { StandingNotices } from './components/standing-notices.tsx';
import { t, useLocale } from './strings.ts';

// Secret ballots bring src/ballot and a worker: loaded only when a page needs them.
const ReceiptsPage = lazy(() =>
  import('./secret/receipts-page.tsx').then((m) => ({ default: m.ReceiptsPage })),
);

// Petitions, requests, committees, keys: their own chunk (docs/POWER.md).
const power = () => import('./power/pages.ts');
const PetitionPage = lazy(() => power().then((m) => ({ default: m.PetitionPage })));
const RequestsPage = lazy(() => power().then((m) => ({ default: m.RequestsPage })));
const RequestPage = lazy(() => power().then((m) => ({ default: m.RequestPage })));
const CommitteesPage = lazy(() => power().then((m) => ({ default: m.CommitteesPage })));
const KeyPage = lazy(() => power().then((m) => ({ default: m.KeyPage })));
const WebhooksPage = lazy(() => power().then((m) => ({ default: m.WebhooksPage })));
const RecordSettingsPage = lazy(() => power().then((m) => ({ default: m.RecordSettingsPage })));

export function App() {
  const route = useRoute();
  // Re-rendered from here when the language changes, so every t() on the page is said again.
  const locale = useLocale();
  const main = useRef<HTMLElement>(null);
  const key = JSON.stringify(route);
  usePageTitle(main, route.page, key, locale);

  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
    window.scrollTo(0, 0);
  }, [key]);

  return (
    <LiveProvider>
      <AttentionProvider routeKey={key}>
        <a className="skip" href="#main">
          {t('skipToContent')}
        </a>
        <Header route={route} />
        <main id="main" ref={main} tabIndex={-1}>
          <StandingNotices />
          <Page route={route} />
        </main>
      </AttentionProvider>
    </LiveProvider>
  );
}

function Header({ route }: { route: Route }) {
  const { me, org, signOut } = useSession();
  const { inbox } = useAttention();
  const current = (page: Route['page']) => (route.page === page ? ('page' as const) : undefined);
  // On a phone the navigation folds behind one Menu button (styles.css); it folds again on every new page.
  const [menuOpen, setMenuOpen] = useState(false);
  const here = JSON.stringify(route);
  useEffect(() => setMenuOpen(false), [here]);
  return (
    <header className={menuOpen ? 'top menu-open' : 'top'}>
      <div className="brand">
        <Link href="/">{t('appName')}</Link>
        {org && <span className="org">{org.name}</span>}
      </div>
      <LanguageSwitcher signedIn={Boolean(me)} />
      {me && (
        <button
          type="button"
          className="secondary menu-button"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          {t('menu')}
          {inbox && inbox.unread > 0 && (
            <>
              {' '}
              <span className="badge unread-count">{t('attentionUnread', { count: inbox.unread })}</span>
            </>
          )}
        </button>
      )}
      {me && (
        <nav aria-label={t('navLabel')} id="main-nav">
          <ul>
            <li>
              <Link href="/" aria-current={current('home')}>
                {t('navHome')}
              </Link>
              {inbox && inbox.unread > 0 && (
                <>
                  {' '}
                  <span className="badge unread-count">{t('attentionUnread', { count: inbox.unread })}</span>
                </>
              )}
            </li>
            <li>
              <Link href="/tree" aria-current={current('tree')}>
                {t('navTree')}
              </Link>
            </li>
            <li>
              <Link href="/record" aria-current={current('record')}>
                {t('navRecord')}
              </Link>
            </li>
            <li>
              <Link href="/requests" aria-current={current('requests')}>
                {t('navRequests')}
              </Link>
            </li>
            <li>
              <Link href="/transparency" aria-current={current('transparency')}>
                {t('navTransparency')}
              </Link>
            </li>
            <li>
              <Link href="/receipts" aria-current={current('receipts')}>
                {t('myReceipts')}
              </Link>
            </li>
          </ul>
          <span className="who">
            <Link href="/account" aria-current={current('account')}>
              {t('signedInAs', { name: me.member.name })}
            </Link>
          </span>
          <button
            type="button"
            className="secondary"
            onClick={() => void signOut().then(() => navigate('/sign-in'))}
          >
            {t('signOut')}
          </button>
        </nav>
      )}
    </header>
  );
}

function Page({ route }: { route: Route }) {
  const { me, org } = useSession();
  if (route.page === 'invite') return <InvitePage token={route.token} />;
  // A forgotten password and a new address's link: open without signing in (docs/ACCOUNTS.md).
  if (route.page === 'reset') return <ResetPage token={route.token} />;
  if (route.page === 'confirm-email') return <ConfirmEmailPage token={route.token} />;
  if (route.page === 'forgot-password') return <ForgotPasswordPage />;
  if (me === undefined || (me && !org)) return <p aria-live="polite">{t('loading')}</p>;
  if (me === null) return <SignInPage />;
  switch (route.page) {
    case 'home':
    case 'sign-in':
      return <HomePage />;
    case 'tree':
      return <TreePage />;
    case 'council':
      return <CouncilPage id={route.id} />;
    case 'motion':
      return <MotionPage id={route.id} />;
    case 'pay':
      return <PayPage id={route.id} />;
    case 'record':
      return <RecordPage />;
    case 'transparency':
      return <TransparencyPage />;
    case 'account':
      return <AccountPage />;
    case 'receipts':
      return (
        <Suspense fallback={<p>{t('loading')}</p>}>
          <ReceiptsPage />
        </Suspense>
      );
    case 'petition':
    case 'request':
    case 'requests':
    case 'committees':
    case 'key':
    case 'record-settings':
    case 'webhooks':
      return (
        <Suspense fallback={<p>{t('loading')}</p>}>
          <PowerPage route={route} />
        </Suspense>
      );
    default:
      return (
        <>
          <h1 tabIndex={-1}>{t('notFound')}</h1>
          <p>
            <Link href="/">{t('backHome')}</Link>
          </p>
        </>
      );
  }
}

function PowerPage({ route }: { route: Route }) {
  switch (route.page) {
    case 'petition':
      return <PetitionPage id={route.id} />;
    case 'request':
      return <RequestPage id={route.id} />;
    case 'requests':
      return <RequestsPage />;
    case 'committees':
      return <CommitteesPage />;
    case 'key':
      return <KeyPage />;
    case 'webhooks':
      return <WebhooksPage />;
    default:
      return <RecordSettingsPage />;
  }
}
