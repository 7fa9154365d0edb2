// The SMTP relay the operator configures (--smtp URL / COUNCILS_SMTP_URL, docs/OPERATIONS.md): nodemailer's pooled
// SMTP transport. Without one, e-mail is off: nothing is queued and the app says so.
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
export { checkSmtpUrl } from './smtp-url.ts';

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
}

/**
 * Sends one message; resolves when the relay accepted it, rejects with its refusal. When `signal` aborts first
 * (the send's deadline, a stop), the exchange is given up for real: the message is taken from the queue, or the
 * connection carrying it is closed, so a relay that has not yet been sent the end of the message cannot accept it
 * after the sender has counted it failed (and it is not delivered twice when it is sent again). A cut that comes
 * after the end of the message was sent, while the relay's answer is on its way, cannot undo it: the relay may have
 * accepted it, and the next attempt delivers it again under the same Message-ID (a receiver can tell the copy).
 */
export interface MailTransport {
  send(message: MailMessage, signal?: AbortSignal): Promise<void>;
  close(): void;
}

export interface MailSettings {
  transport: MailTransport;
  /** The From address, e.g. "Councils <councils@example.org>". */
  from: string;
  /** Where members reach the app: links in messages, the one-click unsubscribe URL. */
  publicUrl: string;
  /** How long one message's send may take before it counts as failed (default mailTimeoutMs). */
  timeoutMs?: number;
}

/**
 * How long one message's send may take, all told: the sender's claim holds the message that long (and a margin),
 * so another process does not send it meanwhile. The SMTP transport's own timeouts are shorter.
 */
export const mailTimeoutMs = 15_000;

/** nodemailer over an smtp:// or smtps:// URL (user and password in the URL when the relay asks for them). */
export function smtpTransport(url: string): MailTransport {
  // each stage's timeout under mailTimeoutMs (nodemailer's defaults: 2 min to connect, 10 min of silence)
  const transporter = nodemailer.createTransport(url, {
    pool: true,
    maxConnections: 4,
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 10_000,
  } as never);
  return {
    async send(m, signal) {
      // nodemailer's pool (≥ 10.5) closes the connection delivering an aborted message; the others go on
      await transporter.sendMail({
        ...(signal ? { signal } : {}),
        from: m.from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        messageId: m.messageId,
        headers: m.headers,
      });
    },
    close: () => transporter.close(),
  };
}

/** The default From: the app's host name. */
export function defaultFrom(publicUrl: string): string {
  return `Councils <councils@${new URL(publicUrl).hostname}>`;
}

/** A stable Message-ID for a queued message (RFC 5322 §3.6.4): the same id gives the same Message-ID. */
export function messageIdFor(id: string, publicUrl: string): string {
  const h = createHash('sha256').update(id).digest('hex').slice(0, 32);
  return `<${h}@${new URL(publicUrl).hostname}>`;
}
