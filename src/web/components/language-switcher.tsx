// The language switcher in the header: every language named in itself. A signed-in member's choice is kept on the
// server (PUT /me/locale) so it follows them to every device; before sign-in it is kept in this browser.
import { useId } from 'react';
import { isLocale, localeNames, locales, type Locale } from '../../i18n/index.ts';
import { api } from '../api.ts';
import { setLocale, t, useLocale } from '../strings.ts';

export function LanguageSwitcher({ signedIn }: { signedIn: boolean }) {
  const id = useId();
  const locale = useLocale();
  const choose = (next: Locale) => {
    setLocale(next);
    // The page already shows the choice; if it cannot be kept on the server it stays in this browser.
    if (signedIn) void api.put('/me/locale', { locale: next }).catch(() => undefined);
  };
  return (
    <div className="language">
      <label htmlFor={id}>{t('language')}</label>
      <select id={id} value={locale} onChange={(e) => isLocale(e.target.value) && choose(e.target.value)}>
        {locales.map((l) => (
          <option key={l} value={l} lang={l}>
            {localeNames[l]}
          </option>
        ))}
      </select>
    </div>
  );
}
