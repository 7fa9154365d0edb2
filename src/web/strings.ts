// The app's words in the reader's language. The catalogues live in src/i18n (one file per language, shared with the
// server's error messages and e-mail); this module holds the language the app is showing now and fills messages in
// it. Adding a string: docs/WEB.md "Languages".
import { useSyncExternalStore } from 'react';
import {
  isLocale,
  negotiateLocale,
  translator,
  type Locale,
  type MessageKey,
  type MessageValues,
  type Translator,
} from '../i18n/index.ts';

export type StringKey = MessageKey;

const storageKey = 'councils.locale';

/** Before sign-in: the language chosen in this browser before, else the browser's own (navigator.languages). */
export function browserLocale(): Locale {
  try {
    const kept = localStorage.getItem(storageKey);
    if (isLocale(kept)) return kept;
  } catch {
    // storage refused (private mode): fall through to the browser's languages
  }
  return negotiateLocale(navigator.languages ?? [navigator.language]);
}

let current: Translator = translator(typeof navigator === 'undefined' ? 'en' : browserLocale());
if (typeof document !== 'undefined') document.documentElement.lang = current.locale;

const listeners = new Set<() => void>();

/** Shows the app in `locale` from now on and remembers it in this browser; useLocale() re-renders the app. */
export function setLocale(locale: Locale): void {
  if (locale === current.locale) return;
  current = translator(locale);
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(storageKey, locale);
  } catch {
    // not remembered in this browser; a member's preference is still kept by the server
  }
  listeners.forEach((l) => l());
}

export const currentLocale = (): Locale => current.locale;

/** The language shown now; the component calling it (the app's frame) re-renders when it changes. */
export function useLocale(): Locale {
  return useSyncExternalStore((l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  }, currentLocale);
}

/** The catalogue's text for `key`, with its placeholders (and plural forms) filled in. */
export const t = (key: StringKey, values?: MessageValues): string => current.t(key, values);

/** Like t() for keys built at run time (states, methods, outcomes); `fallback` when the catalogue has none. */
export const tDynamic = (key: string, fallback: string, values?: MessageValues): string =>
  current.tDynamic(key, fallback, values);

/** A date and time in the reader's language. */
export const formatDate = (iso: string): string => current.formatDate(iso);

/** A number in the reader's language (grouping and decimal mark). */
export const formatNumber = (n: number | bigint, maximumFractionDigits?: number): string =>
  current.formatNumber(n, maximumFractionDigits);
