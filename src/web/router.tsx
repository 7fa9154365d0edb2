// A small client-side router over the History API: the server answers every non-API path with index.html
// (src/server/web.ts), so links like /invite/<token> printed by `councils init` open the right page.
import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';

export type Route =
  | { page: 'home' }
  | { page: 'sign-in' }
  | { page: 'invite'; token: string }
  | { page: 'reset' | 'confirm-email'; token: string }
  | { page: 'forgot-password' | 'account' }
  | { page: 'tree' }
  | { page: 'council'; id: string }
  | { page: 'pay'; id: string }
  | { page: 'motion'; id: string }
  | { page: 'record' }
  | { page: 'receipts' }
  | { page: 'transparency' }
  | { page: 'petition' | 'request'; id: string }
  | { page: 'requests' | 'committees' | 'key' | 'record-settings' | 'webhooks' }
  | { page: 'not-found' };

export function parseRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [a, b] = parts;
  if (parts.length === 0) return { page: 'home' };
  if (parts.length === 1 && a === 'sign-in') return { page: 'sign-in' };
  if (parts.length === 1 && a === 'tree') return { page: 'tree' };
  if (parts.length === 1 && (a === 'forgot-password' || a === 'account')) return { page: a };
  if (parts.length === 1 && a === 'record') return { page: 'record' };
  if (parts.length === 1 && a === 'receipts') return { page: 'receipts' };
  if (parts.length === 1 && a === 'transparency') return { page: 'transparency' };
  if (parts.length === 1 && (a === 'requests' || a === 'committees' || a === 'key' || a === 'webhooks'))
    return { page: a };
  if (parts.length === 2 && a === 'record' && b === 'settings') return { page: 'record-settings' };
  if (parts.length === 2 && b) {
    if (a === 'invite') return { page: 'invite', token: b };
    if (a === 'reset' || a === 'confirm-email') return { page: a, token: b };
    if (a === 'councils') return { page: 'council', id: b };
    if (a === 'motions') return { page: 'motion', id: b };
    if (a === 'petitions') return { page: 'petition', id: b };
    if (a === 'requests') return { page: 'request', id: b };
  }
  if (parts.length === 3 && a === 'councils' && b && parts[2] === 'pay') return { page: 'pay', id: b };
  return { page: 'not-found' };
}

const listeners = new Set<() => void>();

export function navigate(to: string): void {
  if (to === location.pathname) return;
  history.pushState(null, '', to);
  listeners.forEach((l) => l());
}

export function useRoute(): Route {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    listeners.add(update);
    addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      removeEventListener('popstate', update);
    };
  }, []);
  return parseRoute(path);
}

export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const go = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={go} {...rest} />;
}
