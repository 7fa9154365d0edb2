// The catalogues in every language and their formatter: pure data and Intl, importable by the web app, the server
// (error messages, e-mail) and the CLI alike (docs/WEB.md "Languages").
export { en, type Catalogue, type MessageKey } from './en.ts';
export {
  acceptLanguageTags,
  catalogues,
  defaultLocale,
  isLocale,
  localeNames,
  locales,
  negotiateLocale,
  type Locale,
} from './locales.ts';
export { translator, type MessageValues, type Translator } from './translator.ts';
