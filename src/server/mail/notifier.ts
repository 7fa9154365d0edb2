// The background half of e-mail (docs/NOTIFICATIONS.md "The outbox"). Entries that tell someone something leave
// their seq in notice_outbox in their own transaction (src/store/ledger.ts); here, after the commit:
//   1. each notice is expanded into one queued message per member who wants it at once, and one digest item per
//      member who wants it in the digest (ids are stable, so an expansion repeated after a crash adds nothing);
//   2. due messages are sent, each attempt counted before it is made and retried with backoff;
//   3. once a day (UTC), each member's waiting digest items become one message.
// A crash at any point loses nothing (the notice, the queued message or the digest item is durable) and repeats
// nothing, except a message the relay accepted just before the crash and whose success was not yet written: it is
// sent again with the same Message-ID, which receiving systems treat as the same message.
import { noticesOf, type Entry } from '../../core/index.ts';
import { readEntries } from '../../store/log-repository.ts';
import { findMemberLocale } from '../../store/locale-repository.ts';
import {
  addressesOf,
  claimMail,
  deliveriesOf,
  digestItemsOf,
  dueMail,
  insertDigestItems,
  insertMail,
  markDigested,
  markMailFailed,
  markMailSent,
  markNoticeMailed,
  membersWithDigests,
  unmailedNotices,
  type QueuedMail,
} from '../../store/mail-repository.ts';
import { every } from '../every.ts';
import type { CouncilsService } from '../service.ts';
import type { MailSettings } from './mailer.ts';
import { mailTimeoutMs, messageIdFor } from './mailer.ts';
import { render, wordsOf } from './messages.ts';
import { defaultDeliveries, isDelivery, type MailKind } from './preferences.ts';
import { unsubscribeToken } from './unsubscribe.ts';

/** Attempts before a message is given up (about 11 hours of backoff). */
export const maxAttempts = 12;

/** Seconds before attempt n + 1: 5 s, doubling, at most an hour. */
export function backoffSeconds(attempt: number): number {
  return Math.min(3600, 5 * 2 ** Math.max(0, attempt - 1));
}

/** The member's language for e-mail: the one they chose in the app (docs/WEB.md "Languages"), else English. */
async function languageOf(service: CouncilsService, orgId: string, memberId: string): Promise<string> {
  return (await findMemberLocale(service.db.kysely, orgId, memberId)) ?? 'en';
}

async function entryAt(service: CouncilsService, orgId: string, seq: number): Promise<Entry | undefined> {
  for await (const e of readEntries(service.db.kysely, orgId, seq, 1)) return e.seq === seq ? e : undefined;
  return undefined;
}

/** Expands up to `limit` notices into messages and digest items; returns how many it expanded. */
export async function expandNotices(
  service: CouncilsService,
  mail: MailSettings | null,
  limit = 20,
): Promise<number> {
  const q = service.db.kysely;
  const notices = await unmailedNotices(q, limit);
  for (const n of notices) {
    const now = service.now();
    if (mail) {
      const entry = await entryAt(service, n.org_id, n.seq);
      const state = await service.ledger(n.org_id).current();
      if (entry && state.org) {
        for (const notice of noticesOf(state, entry, now)) {
          await expandNotice(service, mail, state.org.name, n.org_id, n.seq, notice, now);
        }
      }
    }
    // With e-mail off a notice is passed over: turning a relay on later does not send a backlog.
    await markNoticeMailed(q, n.org_id, n.seq, now);
  }
  return notices.length;
}

async function expandNotice(
  service: CouncilsService,
  mail: MailSettings,
  orgName: string,
  orgId: string,
  seq: number,
  notice: ReturnType<typeof noticesOf>[number],
  now: string,
): Promise<void> {
  const q = service.db.kysely;
  const kind = notice.kind as MailKind;
  if (!(kind in defaultDeliveries)) return;
  for (let i = 0; i < notice.memberIds.length; i += 1000) {
    const chunk = notice.memberIds.slice(i, i + 1000);
    const [chosen, addresses] = await Promise.all([
      deliveriesOf(q, orgId, kind, chunk),
      addressesOf(q, orgId, chunk),
    ]);
    const immediate: QueuedMail[] = [];
    const digest = [];
    for (const memberId of chunk) {
      const to = addresses.get(memberId);
      const c = chosen.get(memberId);
      const delivery = isDelivery(c) ? c : defaultDeliveries[kind];
      if (!to || delivery === 'never') continue;
      if (delivery === 'digest') {
        digest.push({ orgId, memberId, seq, kind, title: notice.title, path: notice.path });
        continue;
      }
      const words = wordsOf(await languageOf(service, orgId, memberId));
      const link = `${mail.publicUrl}${notice.path}`;
      const unsubscribe = `${mail.publicUrl}/api/v1/unsubscribe/${await unsubscribeToken(service.db, { orgId, memberId, kind })}`;
      // a decryption duty says by when (UTC, the same for every reader)
      const deadline = notice.deadline
        ? [
            {
              text: words.t('mailDecryptBy', {
                deadline: `${notice.deadline.slice(0, 16).replace('T', ' ')} UTC`,
              }),
            },
          ]
        : [];
      const lines = [{ text: words.line(kind, notice.title), link }, ...deadline];
      const r = render(words.subject(kind, notice.title), lines, {
        words,
        why: words.t('mailWhy', { org: orgName, settings: `${mail.publicUrl}/` }),
        unsubscribe,
      });
      const id = `notice:${orgId}:${seq}:${kind}:${memberId}`;
      immediate.push({
        id,
        orgId,
        memberId,
        kind,
        to,
        ...r,
        unsubscribeUrl: unsubscribe,
        messageId: messageIdFor(id, mail.publicUrl),
      });
    }
    await insertMail(q, immediate, now);
    await insertDigestItems(q, digest, now);
  }
}

/** How long a claim holds a message beyond the send's own deadline (see claimMail). */
const claimMarginMs = 5_000;
/** The error of a send cut short because the server was stopping. */
const stoppedError = 'the server stopped before the relay answered';

/**
 * Sends up to `limit` due messages; returns how many the relay accepted. The batch's attempts are claimed in one
 * transaction before any is handed to the relay, the messages go out together over the pooled connections, and
 * their outcomes are written in one transaction (two durable writes per batch, not two per message).
 *
 * With several processes on one PostgreSQL database, a process sends only the messages of the organisations whose
 * scheduler lease it holds (src/store/leases.ts), and a claim holds its message for the whole send (its deadline,
 * `mail.timeoutMs`, and a margin), not only until the first retry's time: a message the relay has not answered
 * after 5 s is not sent again by another process, nor by this one once its lease has passed to another. A failed
 * send's next attempt is counted from its end, and written only while its claim holds. A stop (`stopping`) ends
 * the sends in flight as failed and due again at once (the relay may still take one: it then comes twice, under
 * one Message-ID, as after a crash).
 */
export async function sendDueMail(
  service: CouncilsService,
  mail: MailSettings,
  limit = 20,
  stopping?: AbortSignal,
): Promise<number> {
  const q = service.db.kysely;
  const orgIds = await service.leases.leased(await service.orgIds());
  if (orgIds.length === 0) return 0;
  const due = await dueMail(q, service.now(), limit, orgIds);
  if (due.length === 0) return 0;
  const timeoutMs = mail.timeoutMs ?? mailTimeoutMs;
  const heldUntil = new Date(service.clock.now().getTime() + timeoutMs + claimMarginMs).toISOString();
  const claimed = await q.transaction().execute(async (trx) => {
    const mine = [];
    for (const m of due) {
      const attempt = Number(m.attempts) + 1;
      if (await claimMail(trx, m.id, Number(m.attempts), heldUntil)) mine.push({ m, attempt });
    }
    return mine;
  });
  const outcomes = await Promise.all(
    claimed.map(({ m }) =>
      withDeadline(
        (signal) =>
          mail.transport.send(
            {
              from: mail.from,
              to: m.to_address,
              subject: m.subject,
              text: m.text_body,
              html: m.html_body,
              messageId: m.message_id,
              headers: m.unsubscribe_url
                ? {
                    'List-Unsubscribe': `<${m.unsubscribe_url}>`,
                    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
                  }
                : {},
            },
            signal,
          ),
        timeoutMs,
        stopping,
      ),
    ),
  );
  const now = service.now();
  await q.transaction().execute(async (trx) => {
    for (const [i, { m, attempt }] of claimed.entries()) {
      const error = outcomes[i];
      if (error === null) {
        await markMailSent(trx, m.id, now);
        continue;
      }
      const cut = error === stoppedError;
      const failedAt = !cut && attempt >= maxAttempts ? now : null;
      const next = new Date(service.clock.now().getTime() + (cut ? 0 : backoffSeconds(attempt) * 1000));
      await markMailFailed(trx, m.id, attempt, error ?? 'unknown', {
        failedAt,
        nextAttemptAt: failedAt ? null : next.toISOString(),
      });
    }
  });
  return outcomes.filter((o) => o === null).length;
}

/**
 * null once `send` succeeds; its error, or the deadline's, or the stop's, whichever comes first. A send cut by the
 * deadline or the stop is aborted (its signal), not left running: the relay must not accept a message counted
 * failed, which would be sent, and delivered, again.
 */
function withDeadline(
  send: (signal: AbortSignal) => Promise<void>,
  ms: number,
  stopping?: AbortSignal,
): Promise<string | null> {
  const cut = new AbortController();
  return new Promise((resolve) => {
    const end = (outcome: string | null) => {
      clearTimeout(timer);
      stopping?.removeEventListener('abort', stop);
      resolve(outcome);
    };
    const giveUp = (why: string) => {
      end(why);
      cut.abort(new Error(why));
    };
    const timer = setTimeout(() => giveUp(`no answer from the relay within ${ms} ms`), ms);
    const stop = () => giveUp(stoppedError);
    if (stopping?.aborted) stop();
    else stopping?.addEventListener('abort', stop, { once: true });
    send(cut.signal).then(
      () => end(null),
      (e: unknown) => end(String((e as Error)?.message ?? e)),
    );
  });
}

/** The start of the UTC day of `iso`. */
function dayStart(iso: string): string {
  return `${iso.slice(0, 10)}T00:00:00.000Z`;
}

/**
 * Each member's digest items made before today (UTC) become one message, queued in the same transaction that marks
 * them digested; its id names the member and the day, so it is queued once.
 */
export async function composeDigests(
  service: CouncilsService,
  mail: MailSettings,
  limit = 200,
): Promise<number> {
  const now = service.now();
  const before = dayStart(now);
  const day = before.slice(0, 10);
  let made = 0;
  for (const who of await membersWithDigests(service.db.kysely, before, limit)) {
    const state = await service.ledger(who.org_id).current();
    const [to] = [...(await addressesOf(service.db.kysely, who.org_id, [who.member_id])).values()];
    const words = wordsOf(await languageOf(service, who.org_id, who.member_id));
    const orgName = state.org?.name ?? who.org_id;
    const unsubscribe = `${mail.publicUrl}/api/v1/unsubscribe/${await unsubscribeToken(service.db, { orgId: who.org_id, memberId: who.member_id, kind: 'digest' })}`;
    await service.db.kysely.transaction().execute(async (trx) => {
      const items = await digestItemsOf(trx, who.org_id, who.member_id, before);
      if (items.length > 0 && to) {
        const r = render(
          words.t('mailDigestSubject', { org: orgName }),
          [
            { text: words.t('mailDigestIntro', { org: orgName }) },
            ...items.map((i) => ({
              text: words.line(i.kind, i.title),
              link: `${mail.publicUrl}${i.path}`,
            })),
          ],
          { words, why: words.t('mailWhy', { org: orgName, settings: `${mail.publicUrl}/` }), unsubscribe },
        );
        const id = `digest:${who.org_id}:${who.member_id}:${day}`;
        await insertMail(
          trx,
          [
            {
              id,
              orgId: who.org_id,
              memberId: who.member_id,
              kind: 'digest',
              to,
              ...r,
              unsubscribeUrl: unsubscribe,
              messageId: messageIdFor(id, mail.publicUrl),
            },
          ],
          now,
        );
        made++;
      }
      await markDigested(trx, who.org_id, who.member_id, before, now);
    });
  }
  return made;
}

/**
 * One round of the background work: expand, compose digests, send. Once `stopping` is aborted no further batch
 * is taken: what is left stays queued for the next start.
 */
export async function runMail(service: CouncilsService, stopping?: AbortSignal): Promise<void> {
  const mail = service.mail;
  while (!stopping?.aborted && (await expandNotices(service, mail)) > 0);
  if (!mail || stopping?.aborted) return;
  await composeDigests(service, mail);
  while (!stopping?.aborted && (await sendDueMail(service, mail, 20, stopping)) > 0);
}

/** Runs runMail every `everyMs` (one round at a time); returns the function that stops it. */
export function startMailer(
  service: CouncilsService,
  everyMs = 1_000,
  onError?: (e: unknown) => void,
): () => Promise<void> {
  return every(everyMs, (stopping) => runMail(service, stopping), onError);
}
