// The languages the app speaks, and the choice of one from what a browser or a request prefers.
import { en, type Catalogue } from './en.ts';
import { es } from './es.ts';
import { ru } from './ru.ts';

export const locales = ['en', 'es', 'ru'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'en';

export const catalogues: Readonly<Record<Locale, Catalogue>> = { en, es, ru };

/** Each language's name in itself, for the switcher (a reader looks for their own language's name). */
export const localeNames: Readonly<Record<Locale, string>> = { en: 'English', es: 'Español', ru: 'Русский' };

export function isLocale(x: unknown): x is Locale {
  return typeof x === 'string' && (locales as readonly string[]).includes(x);
}

/**
 * The first of `preferred` (language tags, most wanted first: navigator.languages, or an Accept-Language header's
 * tags in order of quality) that the app speaks, by its primary language ("es-MX" → es); English when none.
 */
export function negotiateLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
    if (isLocale(primary)) return primary;
  }
  return defaultLocale;
}

/** The tags of an Accept-Language header (RFC 9110 §12.5.4), highest quality first; q=0 means "not this". */
export function acceptLanguageTags(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q === undefined ? 1 : Number(q.slice(2));
      return { tag: tag.trim(), quality: Number.isFinite(quality) ? quality : 0, i };
    })
    .filter((x) => x.tag !== '' && x.tag !== '*' && x.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.i - b.i)
    .map((x) => x.tag);
}
