// The signed-in member's attention inbox (docs/NOTIFICATIONS.md), shared by the navigation's unread count and the
// home page's section; loaded again on every page change, on every change the live stream tells of (live.tsx),
// and after marking items read.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { api } from './api.ts';
import { useLive } from './live.tsx';
import { useSession } from './session.tsx';
import type { Attention } from './types.ts';

interface AttentionState {
  inbox: Attention | undefined;
  reload(): Promise<void>;
  markAllRead(): Promise<void>;
}

const AttentionContext = createContext<AttentionState | null>(null);

export function AttentionProvider({ children, routeKey }: { children: ReactNode; routeKey: string }) {
  const { me } = useSession();
  const orgId = me ? me.organisation.id : null;
  const [inbox, setInbox] = useState<Attention | undefined>(undefined);
  // Loads can overlap (a page change and "Mark all read"); only the latest one started may set the inbox, or a slow
  // earlier answer would bring back items already marked read.
  const latest = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++latest.current;
    if (orgId === null) return setInbox(undefined);
    const loaded = await api.get<Attention>(`/orgs/${encodeURIComponent(orgId)}/attention`);
    if (mine === latest.current) setInbox(loaded);
  }, [orgId]);
  // Anything done in the organisation may add or clear an item: loaded again on every change of its log.
  const live = useLive(() => true);
  useEffect(() => {
    reload().catch(() => setInbox(undefined));
  }, [reload, routeKey, live]);
  const markAllRead = async () => {
    if (orgId === null) return;
    await api.post(`/orgs/${encodeURIComponent(orgId)}/attention/read`, { all: true });
    await reload();
  };
  return (
    <AttentionContext.Provider value={{ inbox, reload, markAllRead }}>{children}</AttentionContext.Provider>
  );
}

export function useAttention(): AttentionState {
  const s = useContext(AttentionContext);
  if (!s) throw new Error('useAttention outside AttentionProvider');
  return s;
}
