// A list the server sends a page at a time (docs/API.md "Paging"): the first page when the list is shown, then
// "More" asks for the page after the last one shown and adds it below. The one hook and button every paged list of
// the app uses (the requests, committees, petitions and signatures pages; see docs/WEB.md "Lists the web app loads").
import { useEffect, useRef, useState } from 'react';
import { t } from '../strings.ts';
import { ErrorText } from './form.tsx';

/** A page as a paged route answers it: its rows (under whatever name the route gives them) and the next cursor. */
export interface PageOf<T> {
  items: T[];
  next: string | null;
}

export interface Pages<T> {
  /** The rows of the pages loaded so far, in the list's order; undefined until the first page has come. */
  items: T[] | undefined;
  /** The first page's failure (shown by the caller, as with useLoad). */
  error: unknown;
  /** The cursor of the page after the last one shown, or null when that was the last. */
  next: string | null;
  /** Loads the next page and adds it below (nothing while one is on its way, or after the last). */
  more(): void;
  /** Loads the list again from its first page. */
  reload(): void;
  busy: boolean;
  /** The failure of the last "More" (the rows already shown stay). */
  moreError: unknown;
}

/**
 * The pages of a list: `load(after)` fetches the page after the cursor `after` (the first when null). Called like
 * useEffect: the list starts again from its first page whenever `deps` change.
 */
export function usePages<T>(load: (after: string | null) => Promise<PageOf<T>>, deps: unknown[]): Pages<T> {
  const [state, setState] = useState<{ items: T[] | undefined; next: string | null }>({
    items: undefined,
    next: null,
  });
  const [error, setError] = useState<unknown>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);
  // A page that comes after the list started again belongs to the old list: it is dropped.
  const generation = useRef(0);
  useEffect(() => {
    const mine = ++generation.current;
    setBusy(false);
    setMoreError(null);
    load(null).then(
      (page) => {
        if (mine !== generation.current) return;
        setState({ items: page.items, next: page.next });
        setError(null);
      },
      (e: unknown) => mine === generation.current && setError(e),
    );
    // The caller's deps say when to start again (usePages is called like useEffect).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const more = () => {
    const after = state.next;
    if (after === null || busy) return;
    const mine = generation.current;
    setBusy(true);
    setMoreError(null);
    load(after).then(
      (page) => {
        if (mine !== generation.current) return;
        setState((s) => ({ items: [...(s.items ?? []), ...page.items], next: page.next }));
        setBusy(false);
      },
      (e: unknown) => {
        if (mine !== generation.current) return;
        setMoreError(e);
        setBusy(false);
      },
    );
  };
  return { ...state, error, more, reload: () => setTick((x) => x + 1), busy, moreError };
}

/** "More" under a paged list while there is a next page (and what went wrong with the last one asked for). */
export function MoreButton({ pages, label }: { pages: Pages<unknown>; label?: string }) {
  return (
    <>
      {pages.next !== null && (
        <button type="button" className="secondary more" disabled={pages.busy} onClick={pages.more}>
          {label ?? t('more')}
        </button>
      )}
      <ErrorText error={pages.moreError} />
    </>
  );
}
