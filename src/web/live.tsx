// Live pages (docs/NOTIFICATIONS.md "Live pages"): one Server-Sent Events stream per signed-in tab
// (GET /orgs/:org/live) says what changed in the organisation — which council, motion, vote or petition — and the
// pages that show one of those load it again through the API. The stream carries ids, never content.
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useSession } from './session.tsx';
import type { Change as LiveChange } from '../server/responses/live.ts';

export type { LiveChange };

/** Called with the changes of one event, or with null when everything may have changed (reset, reconnect). */
type Listener = (changes: LiveChange[] | null) => void;

interface Live {
  subscribe(listener: Listener): () => void;
}

const LiveContext = createContext<Live | null>(null);

/** Refused streams (too many open pages, a server restarting) are tried again this much later. */
const retryMs = 30_000;

export function LiveProvider({ children }: { children: ReactNode }) {
  const { me } = useSession();
  const orgId = me ? me.organisation.id : null;
  const listeners = useRef(new Set<Listener>());
  const [live] = useState<Live>(() => ({
    subscribe(listener) {
      listeners.current.add(listener);
      return () => listeners.current.delete(listener);
    },
  }));
  useEffect(() => {
    if (orgId === null || typeof EventSource === 'undefined') return;
    const tell = (changes: LiveChange[] | null) => {
      for (const l of [...listeners.current]) l(changes);
    };
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = () => {
      source = new EventSource(`/api/v1/orgs/${encodeURIComponent(orgId)}/live`);
      // A stream starts at the log's size when it connects: whatever changed between a page's own load and that
      // moment (the first stream, opened after the page asked for its data) or while a refused stream was closed,
      // it was never told. So the pages shown load again once, whenever a stream is ready.
      source.addEventListener('ready', () => tell(null));
      source.addEventListener('change', (e) => {
        tell((JSON.parse((e as MessageEvent<string>).data) as { changes: LiveChange[] }).changes);
      });
      source.addEventListener('reset', () => tell(null));
      // The browser reconnects by itself (with Last-Event-ID) after a broken stream; a refused one is closed for
      // good, so it is opened again later.
      source.onerror = () => {
        if (source?.readyState === EventSource.CLOSED) retry = setTimeout(connect, retryMs);
      };
    };
    connect();
    return () => {
      clearTimeout(retry);
      source?.close();
    };
  }, [orgId]);
  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
}

/**
 * A number that grows whenever a change `matches` (or everything may have changed): put it in the dependencies of
 * the page's load, and the page loads again, without a reload of the page.
 */
export function useLive(matches: (c: LiveChange) => boolean): number {
  const live = useContext(LiveContext);
  const [version, setVersion] = useState(0);
  const match = useRef(matches);
  match.current = matches;
  useEffect(
    () =>
      live?.subscribe((changes) => {
        if (changes === null || changes.some((c) => match.current(c))) setVersion((v) => v + 1);
      }),
    [live],
  );
  return version;
}
