// Messages, dates and numbers in one language. The catalogues are ICU MessageFormat; intl-messageformat parses
// each message once (on first use) and picks plural forms by the language's CLDR rules (Intl.PluralRules).
import { IntlMessageFormat } from 'intl-messageformat';
import type { MessageKey } from './en.ts';
import { catalogues, type Locale } from './locales.ts';

export type MessageValues = Readonly<Record<string, string | number>>;

export interface Translator {
  readonly locale: Locale;
  /** The catalogue's message for `key`, its placeholders filled from `values`. */
  t(key: MessageKey, values?: MessageValues): string;
  /** For keys built at run time (states, methods, outcomes): `fallback` when the catalogue has no such key. */
  tDynamic(key: string, fallback: string, values?: MessageValues): string;
  /** Whether the catalogue has `key` (a key built at run time). */
  has(key: string): boolean;
  /** A moment (ISO 8601 text or a Date) as a date and time the local way; text that is not a date as it is. */
  formatDate(when: string | Date, style?: 'date' | 'dateTime'): string;
  /** A number the local way (grouping, decimal mark), with at most `maximumFractionDigits` decimals. */
  formatNumber(n: number | bigint, maximumFractionDigits?: number): string;
}

const made = new Map<Locale, Translator>();

/** The translator for `locale` (one per language, kept: its parsed messages and formats are reused). */
export function translator(locale: Locale): Translator {
  let x = made.get(locale);
  if (x === undefined) made.set(locale, (x = makeTranslator(locale)));
  return x;
}

function makeTranslator(locale: Locale): Translator {
  const catalogue = catalogues[locale] as Readonly<Record<string, string>>;
  const parsed = new Map<string, IntlMessageFormat>();
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const dateOnly = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const format = (key: string, message: string, values: MessageValues | undefined): string => {
    try {
      let m = parsed.get(key);
      if (m === undefined) parsed.set(key, (m = new IntlMessageFormat(message, locale)));
      return String(m.format(values));
    } catch {
      // A value the message needs was not given: show the message rather than fail the page (the catalogue
      // test checks every message parses).
      return message;
    }
  };
  const has = (key: string) => Object.prototype.hasOwnProperty.call(catalogue, key);
  return {
    locale,
    t: (key, values) => format(key, catalogue[key] ?? key, values),
    tDynamic: (key, fallback, values) => (has(key) ? format(key, catalogue[key]!, values) : fallback),
    has,
    formatDate(when, style = 'dateTime') {
      const d = typeof when === 'string' ? new Date(when) : when;
      if (Number.isNaN(d.getTime())) return String(when);
      return (style === 'date' ? dateOnly : dateTime).format(d);
    },
    formatNumber: (n, maximumFractionDigits = 2) =>
      new Intl.NumberFormat(locale, { maximumFractionDigits }).format(n),
  };
}
