// Who is signed in (GET /me), shared by every page; sign-in, invitation acceptance and sign-out update it.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { api, ApiFailure, setCsrfToken } from './api.ts';
import { isLocale } from '../i18n/index.ts';
import { setLocale } from './strings.ts';
import type { Me, Org } from './types.ts';

interface SessionState {
  /** undefined while loading, null when nobody is signed in. */
  me: Me | null | undefined;
  org: Org | undefined;
  refresh(): Promise<void>;
  signedIn(csrfToken: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [org, setOrg] = useState<Org | undefined>(undefined);

  // Refreshes can overlap (the first load and one after an act); only the latest one started may set the state, or a
  // slow earlier answer would bring back what the act changed.
  const latest = useRef(0);
  const refresh = useCallback(async () => {
    const mine = ++latest.current;
    try {
      const m = await api.get<Me>('/me');
      if (mine !== latest.current) return;
      setCsrfToken(m.csrfToken);
      // A member's language follows them from device to device (PUT /me/locale).
      if (isLocale(m.locale)) setLocale(m.locale);
      setMe(m);
      const o = await api.get<Org>(`/orgs/${m.organisation.id}`);
      if (mine === latest.current) setOrg(o);
    } catch (e) {
      if (mine !== latest.current) return;
      if (e instanceof ApiFailure && e.status === 401) {
        setMe(null);
        setOrg(undefined);
      } else throw e;
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const value: SessionState = {
    me,
    org,
    refresh,
    signedIn: async (csrf) => {
      setCsrfToken(csrf);
      await refresh();
    },
    signOut: async () => {
      await api.del('/session');
      setCsrfToken(null);
      setMe(null);
      setOrg(undefined);
    },
  };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** The organisation and member of a signed-in page (pages only render these once signed in). */
export function useSignedIn(): { me: Me; org: Org; refresh(): Promise<void> } {
  const s = useSession();
  if (!s.me || !s.org) throw new Error('useSignedIn before sign-in');
  return { me: s.me, org: s.org, refresh: s.refresh };
}
