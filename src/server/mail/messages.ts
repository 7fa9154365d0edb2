// The words of e-mail (docs/NOTIFICATIONS.md) come from the app's catalogues (src/i18n: English, Spanish, Russian;
// keys mail_subject_<kind>, mail_line_<kind> and mail…): a subject and a sentence per kind of notice, and the lines
// every message ends with. Messages are plain text plus HTML made from the same words.
import { isLocale, translator, type MessageKey, type Translator } from '../../i18n/index.ts';

export interface Words {
  subject(kind: string, title: string): string;
  line(kind: string, title: string): string;
  t(key: MessageKey, values: Record<string, string>): string;
}

/** The words of `language` (English for a language the app does not have). */
export function wordsOf(language: string): Words {
  const tr: Translator = translator(isLocale(language) ? language : 'en');
  return {
    subject: (kind, title) => tr.tDynamic(`mail_subject_${kind}`, title, { title }),
    line: (kind, title) => tr.tDynamic(`mail_line_${kind}`, title, { title }),
    t: (key, values) => tr.t(key, values),
  };
}

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => escapes[c]!);

export interface Rendered {
  subject: string;
  text: string;
  html: string;
}

/** A message of lines, each with an optional link; the footer says why it came and how to stop it. */
export function render(
  subject: string,
  lines: readonly { text: string; link?: string }[],
  footer: { why: string; unsubscribe: string | null; words: Words },
): Rendered {
  const text = [
    ...lines.flatMap((l) =>
      l.link ? [l.text, footer.words.t('mailOpen', { link: l.link }), ''] : [l.text, ''],
    ),
    '-- ',
    footer.why,
    ...(footer.unsubscribe ? [footer.words.t('mailUnsubscribe', { unsubscribe: footer.unsubscribe })] : []),
  ].join('\n');
  const html = [
    '<!doctype html><html><body>',
    ...lines.map((l) =>
      l.link
        ? `<p>${escapeHtml(l.text)}<br><a href="${escapeHtml(l.link)}">${escapeHtml(l.link)}</a></p>`
        : `<p>${escapeHtml(l.text)}</p>`,
    ),
    `<hr><p><small>${escapeHtml(footer.why)}</small></p>`,
    ...(footer.unsubscribe
      ? [
          `<p><small><a href="${escapeHtml(footer.unsubscribe)}">${escapeHtml(footer.words.t('mailUnsubscribe', { unsubscribe: '' }).replace(/:\s*$/, ''))}</a></small></p>`,
        ]
      : []),
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}
