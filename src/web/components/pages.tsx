// A list the server sends a page at a time (docs/API.md "Paging"): the first page when the list is shown, then
// "More" asks for the page after the last one shown and adds it below. The one hook and button every paged list of
// the app uses (the requests, committees, petitions and signatures pages, a motion's debate, a payroll's payslips,
// the transparency report's councils; see docs/WEB.md "Lists the web app loads").
//
// Some lists' first page comes inside another response (a motion carries its first 100 comments and
// `commentsNext`): the caller hands it in (`first`) and usePages fetches only the pages after it. When the caller
// reads that response again (a live page reloaded after someone wrote) and its first page still ends where the
// old one did, the rows "More" added stay; if they had reached the end, "More" asks again after the last row shown
// (rows written since come at the end, once). A first page that ends elsewhere starts the list again.
//
// A page "More" asked for is added only to the pages it was asked after: if the list started again meanwhile (its
// deps changed, `reload`), or its first page was read again and came back before the page did (a "More" pressed
// while the list was reloading), the page belongs to the old list and is dropped; "More" then asks after the new
// list's last row.
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

/** A first page the caller already has (it came inside another response), and how to go on after any row. */
export interface FirstPage<T> {
  /** The first page (undefined while the response that carries it is on its way). */
  page: PageOf<T> | undefined;
  /** The cursor the list gives after a row (its id): "More" goes on from the last row shown after a reread. */
  cursorOf(row: T): string;
}

/** The pages loaded: the first, the rows "More" added after it, and the cursor after the last of them. */
interface Loaded<T> {
  first: PageOf<T>;
  added: T[];
  next: string | null;
}

/** What was loaded, carried over to the first page as the caller now has it (see the top of this file). */
function carried<T>(loaded: Loaded<T> | undefined, given: FirstPage<T>): Loaded<T> | undefined {
  const page = given.page;
  if (page === undefined) return undefined;
  if (loaded === undefined) return { first: page, added: [], next: page.next };
  if (loaded.first.items === page.items && loaded.first.next === page.next) return loaded;
  const last = loaded.added.at(-1);
  if (last === undefined || page.next === null || loaded.first.next !== page.next)
    return { first: page, added: [], next: page.next };
  return { first: page, added: loaded.added, next: loaded.next ?? given.cursorOf(last) };
}

/**
 * The pages of a list: `load(after)` fetches the page after the cursor `after` (the first when null, unless the
 * caller has the first page: `first`). Called like useEffect: the list starts again from its first page whenever
 * `deps` change.
 */
export function usePages<T>(
  load: (after: string | null) => Promise<PageOf<T>>,
  deps: unknown[],
  first?: FirstPage<T>,
): Pages<T> {
  const [loaded, setLoaded] = useState<Loaded<T> | undefined>(undefined);
  const state = first === undefined ? loaded : carried(loaded, first);
  const [error, setError] = useState<unknown>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);
  // A page that comes after the list started again belongs to the old list: it is dropped.
  const generation = useRef(0);
  const given = first !== undefined;
  useEffect(() => {
    const mine = ++generation.current;
    setBusy(false);
    setMoreError(null);
    if (given) {
      setLoaded(undefined);
      return;
    }
    load(null).then(
      (page) => {
        if (mine !== generation.current) return;
        setLoaded({ first: page, added: [], next: page.next });
        setError(null);
      },
      (e: unknown) => mine === generation.current && setError(e),
    );
    // The caller's deps say when to start again (usePages is called like useEffect).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick, given]);
  const more = () => {
    const from = state;
    if (from === undefined || from.next === null || busy) return;
    const after = from.next;
    const mine = generation.current;
    const asked = loaded;
    setBusy(true);
    setMoreError(null);
    load(after).then(
      (page) => {
        if (mine !== generation.current) return;
        // Added to the pages as they were asked for, unless another first page has come since (the list reloaded
        // while this page was on its way: it would mix two lists). A first page the caller read again meanwhile
        // takes the pages over where it ends as the old one did (carried).
        setLoaded((now) =>
          now === asked ? { first: from.first, added: [...from.added, ...page.items], next: page.next } : now,
        );
        setBusy(false);
      },
      (e: unknown) => {
        if (mine !== generation.current) return;
        setMoreError(e);
        setBusy(false);
      },
    );
  };
  return {
    items: state && (state.added.length === 0 ? state.first.items : [...state.first.items, ...state.added]),
    next: state?.next ?? null,
    error,
    more,
    reload: () => setTick((x) => x + 1),
    busy,
    moreError,
  };
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
