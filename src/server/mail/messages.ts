// The words of e-mail (docs/NOTIFICATIONS.md), in every language the app speaks: a subject and a sentence per kind
// of notice, and the lines every message ends with. Messages are plain text plus HTML made from the same words.
import type { AttentionKind } from '../../core/index.ts';

export const mailLanguages = ['en', 'es', 'ru'] as const;
export type MailLanguage = (typeof mailLanguages)[number];

type NoticeKind = Exclude<AttentionKind, 'trustee_decryption'>;

interface Words {
  subject: Record<NoticeKind, string>;
  line: Record<NoticeKind, string>;
  digestSubject: string;
  digestIntro: string;
  open: string;
  why: string;
  unsubscribe: string;
}

const en: Words = {
  subject: {
    vote_open: 'Vote open: {title}',
    motion_debate: 'In debate: {title}',
    petition: 'A petition to sign: {title}',
    recall_petition: 'A recall petition about your mandate',
    recall_motion: 'A recall of your mandate: {title}',
    approval: 'Your approval is asked: {title}',
    trustee_keys: 'Trustee duty: {title}',
    sealed_released: 'A sealed record was released: {title}',
    vote_result: 'Result: {title}',
  },
  line: {
    vote_open: 'A vote is open in which you are an elector: {title}.',
    motion_debate: 'A motion in your council is in debate: {title}.',
    petition: 'A petition in your council asks for signatures: {title}.',
    recall_petition: 'A petition to recall you from your mandate has been opened: {title}.',
    recall_motion: 'A motion to recall you from your mandate is under way: {title}.',
    approval: 'A privileged act needs your approval: {title}.',
    trustee_keys: 'As a trustee of a secret vote, your part in making its key is awaited: {title}.',
    sealed_released: 'A sealed record was released: {title}.',
    vote_result: 'A vote you took part in has closed: {title}.',
  },
  digestSubject: 'Councils: what happened in {org}',
  digestIntro: 'What happened in {org} since your last digest:',
  open: 'Open it: {link}',
  why: 'You receive this because of your e-mail settings in {org}. Change them: {settings}',
  unsubscribe: 'Unsubscribe from these e-mails: {unsubscribe}',
};

const es: Words = {
  subject: {
    vote_open: 'Votación abierta: {title}',
    motion_debate: 'En debate: {title}',
    petition: 'Una petición para firmar: {title}',
    recall_petition: 'Una petición de revocación de su mandato',
    recall_motion: 'Revocación de su mandato: {title}',
    approval: 'Se pide su aprobación: {title}',
    trustee_keys: 'Tarea de custodio: {title}',
    sealed_released: 'Se ha publicado un registro sellado: {title}',
    vote_result: 'Resultado: {title}',
  },
  line: {
    vote_open: 'Hay una votación abierta en la que usted es elector: {title}.',
    motion_debate: 'Una moción de su consejo está en debate: {title}.',
    petition: 'Una petición de su consejo busca firmas: {title}.',
    recall_petition: 'Se ha abierto una petición para revocar su mandato: {title}.',
    recall_motion: 'Está en curso una moción para revocar su mandato: {title}.',
    approval: 'Un acto privilegiado necesita su aprobación: {title}.',
    trustee_keys:
      'Como custodio de una votación secreta, se espera su parte en la creación de la clave: {title}.',
    sealed_released: 'Se ha publicado un registro sellado: {title}.',
    vote_result: 'Ha terminado una votación en la que usted participó: {title}.',
  },
  digestSubject: 'Councils: lo ocurrido en {org}',
  digestIntro: 'Lo ocurrido en {org} desde su último resumen:',
  open: 'Ábralo: {link}',
  why: 'Recibe este mensaje por su configuración de correo en {org}. Puede cambiarla aquí: {settings}',
  unsubscribe: 'Darse de baja de estos mensajes: {unsubscribe}',
};

const ru: Words = {
  subject: {
    vote_open: 'Открыто голосование: {title}',
    motion_debate: 'Обсуждение: {title}',
    petition: 'Петиция для подписи: {title}',
    recall_petition: 'Петиция об отзыве вашего мандата',
    recall_motion: 'Отзыв вашего мандата: {title}',
    approval: 'Требуется ваше одобрение: {title}',
    trustee_keys: 'Обязанность хранителя ключа: {title}',
    sealed_released: 'Опубликована запечатанная запись: {title}',
    vote_result: 'Итоги: {title}',
  },
  line: {
    vote_open: 'Открыто голосование, в котором вы избиратель: {title}.',
    motion_debate: 'Предложение в вашем совете вынесено на обсуждение: {title}.',
    petition: 'Петиция в вашем совете собирает подписи: {title}.',
    recall_petition: 'Открыта петиция об отзыве вашего мандата: {title}.',
    recall_motion: 'Идёт рассмотрение предложения об отзыве вашего мандата: {title}.',
    approval: 'Привилегированное действие ждёт вашего одобрения: {title}.',
    trustee_keys:
      'Как хранитель ключа тайного голосования, вы должны принять участие в создании ключа: {title}.',
    sealed_released: 'Опубликована запечатанная запись: {title}.',
    vote_result: 'Завершилось голосование, в котором вы участвовали: {title}.',
  },
  digestSubject: 'Councils: что произошло в {org}',
  digestIntro: 'Что произошло в {org} со времени вашей последней сводки:',
  open: 'Открыть: {link}',
  why: 'Вы получили это письмо согласно вашим настройкам почты в {org}. Изменить их: {settings}',
  unsubscribe: 'Отписаться от этих писем: {unsubscribe}',
};

const catalogue: Record<MailLanguage, Words> = { en, es, ru };

export function wordsOf(language: string): Words {
  return catalogue[
    (mailLanguages as readonly string[]).includes(language) ? (language as MailLanguage) : 'en'
  ];
}

export function fill(s: string, vars: Record<string, string>): string {
  return s.replace(/\{(\w+)\}/g, (m, name: string) => vars[name] ?? m);
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
      l.link ? [l.text, fill(footer.words.open, { link: l.link }), ''] : [l.text, ''],
    ),
    '-- ',
    footer.why,
    ...(footer.unsubscribe ? [fill(footer.words.unsubscribe, { unsubscribe: footer.unsubscribe })] : []),
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
          `<p><small><a href="${escapeHtml(footer.unsubscribe)}">${escapeHtml(fill(footer.words.unsubscribe, { unsubscribe: '' }).replace(/:\s*$/, ''))}</a></small></p>`,
        ]
      : []),
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}
