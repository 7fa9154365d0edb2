// Every page's own <title> ("Motion: Lockers for the night crew — Councils"): taken from the page's heading as it
// renders (data arrives later than the route), so a page cannot forget it and it follows the language.
import { useEffect, type RefObject } from 'react';
import type { Route } from './router.tsx';
import { t } from './strings.ts';

export function titleFor(page: Route['page'], heading: string): string {
  const title =
    page === 'motion' && heading !== t('loading') ? t('titleMotion', { title: heading }) : heading;
  return title === '' ? t('appName') : t('pageTitle', { page: title });
}

/** Keeps document.title in step with the first heading inside `main`; `routeKey` and `locale` say when to look. */
export function usePageTitle(
  main: RefObject<HTMLElement | null>,
  page: Route['page'],
  routeKey: string,
  locale: string,
): void {
  useEffect(() => {
    const el = main.current;
    if (!el) return;
    const update = () => {
      const h1 = el.querySelector('h1');
      const heading = (h1?.textContent ?? el.querySelector('p')?.textContent ?? '').trim();
      const title = titleFor(page, heading);
      if (document.title !== title) document.title = title;
    };
    update();
    const observer = new MutationObserver(update);
    observer.observe(el, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [main, page, routeKey, locale]);
}
