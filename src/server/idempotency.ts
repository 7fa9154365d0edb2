// Idempotent retries: the Idempotency-Key request header (IETF draft-ietf-httpapi-idempotency-key-header-07) on
// every write of the API (POST, PUT, PATCH, DELETE). The first request's answer (status and body) is kept with the
// key for a day, scoped to the principal (organisation and member; anonymous requests share one scope, so their
// keys must be random) and checked against a fingerprint of the request (method, URL, body). A retry with the same
// key and request gets the stored answer without acting again; the same key with another request is 422; a retry
// while the first is still being answered is 409.
//
// The act and the key are one: a log act (service.run) writes the key's row in its own transaction, so a crash
// after the commit cannot make a retry act twice; the answer is added to that row as it is sent. If a crash falls
// between the two, a retry is told the act was done and which entries it wrote (`idempotency_answer_lost`). Acts
// outside the log (API tokens, sessions) store their answer as they send it. docs/OPERATIONS.md.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Entry } from '../core/index.ts';
import type { SideWrites } from '../store/ledger.ts';
import {
  deleteStoredAnswer,
  findStoredAnswer,
  insertActedKey,
  storeAnswer,
  sweepStoredAnswers,
} from '../store/idempotency-repository.ts';
import type { Db } from '../store/database.ts';
import { ApiError, invalidRequest } from './errors.ts';

/** How long a key and its answer are kept. */
export const idempotencyHours = 24;

const writes = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** One write sent with an Idempotency-Key. */
export interface IdempotentWrite {
  /** Derived from the key and the principal's scope: the key itself is never stored. */
  id: string;
  fingerprint: string;
  /** Encrypts the stored answer: derived from the key, which only the client holds. */
  answerKey: Buffer;
  /** Whether a log act of this request has taken the key (only the first does). */
  claimed: boolean;
  /** A stored or refused answer was sent: nothing is to be stored. */
  settled: boolean;
  /** This request holds the key's place among the requests being answered (the others are refused 409). */
  holds: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotentWrite: IdempotentWrite | null;
  }
}

const current = new AsyncLocalStorage<IdempotentWrite>();

/**
 * The side write that spends the current request's key in the transaction of its first log act (service.run):
 * refused as in flight if another process spent it first.
 */
export function spendKeyWith(orgId: string, now: Date): SideWrites | undefined {
  const w = current.getStore();
  if (!w || w.claimed) return undefined;
  w.claimed = true;
  return {
    claims: [`idempotency:${w.id}`],
    check: async (q, claimed) =>
      claimed.has(`idempotency:${w.id}`) || (await findStoredAnswer(q, w.id)) ? inFlight() : undefined,
    write: async (trx, entries: Entry[]) => {
      await insertActedKey(trx, {
        id: w.id,
        fingerprint: w.fingerprint,
        acted: { orgId, firstSeq: entries[0]!.seq, count: entries.length },
        now: now.toISOString(),
        expiresAt: expiry(now),
      });
    },
  };
}

const inFlight = () =>
  new ApiError(
    'idempotency_in_flight',
    'a request with this Idempotency-Key is being answered; try again shortly',
  );

function expiry(now: Date): string {
  return new Date(now.getTime() + idempotencyHours * 3_600_000).toISOString();
}

/**
 * An Idempotency-Key's value: an RFC 8941 sf-string (the draft's syntax), or the same characters unquoted; 16 to
 * 255 visible ASCII characters, so that keys are hard to guess (a UUID or 128 random bits).
 */
export function parseIdempotencyKey(header: string): string {
  let key = header.trim();
  const quoted = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/.exec(key);
  if (quoted) key = quoted[1]!.replace(/\\(["\\])/g, '$1');
  if (!/^[\x21-\x7e]{16,255}$/.test(key) || (!quoted && /["\\,]/.test(key))) {
    throw new ApiError(
      'invalid_request',
      'Idempotency-Key must be one string of 16 to 255 visible characters, e.g. "8e03978e-40d5-43e8-bc93-6894a57f9324"',
      'Idempotency-Key',
    );
  }
  return key;
}

function derive(key: string, scope: string): { id: string; answerKey: Buffer } {
  const bytes = Buffer.from(hkdfSync('sha256', key, scope, 'councils idempotency-key', 64));
  return { id: bytes.subarray(0, 32).toString('hex'), answerKey: bytes.subarray(32) };
}

function seal(key: Buffer, text: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(text, 'utf8'), c.final()]);
  return Buffer.concat([iv, body, c.getAuthTag()]).toString('base64');
}

function open(key: Buffer, sealed: string): string {
  const b = Buffer.from(sealed, 'base64');
  const d = createDecipheriv('aes-256-gcm', key, b.subarray(0, 12));
  d.setAuthTag(b.subarray(b.length - 16));
  return Buffer.concat([d.update(b.subarray(12, b.length - 16)), d.final()]).toString('utf8');
}

function fingerprint(request: FastifyRequest): string {
  const body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? null);
  return createHash('sha256').update(`${request.method}\0${request.url}\0${body}`).digest('hex');
}

/** Registers the header on every write route of `api` (call before the routes are added). */
export function idempotentWrites(api: FastifyInstance, db: Db, now: () => Date): void {
  const answering = new Set<string>();
  api.decorateRequest('idempotentWrite', null);

  // Each write handler runs with its request's key in reach of service.run.
  api.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.some((m) => writes.has(m))) return;
    const handler = route.handler;
    route.handler = function (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
      const w = request.idempotentWrite;
      return w
        ? current.run(w, () => handler.call(this, request, reply))
        : handler.call(this, request, reply);
    } as typeof handler;
  });

  api.addHook('preHandler', async (request, reply) => {
    const header = request.headers['idempotency-key'];
    if (header === undefined || !writes.has(request.method)) return;
    if (typeof header !== 'string') throw invalidRequest('idempotency_key_one', 'Idempotency-Key');
    const key = parseIdempotencyKey(header);
    const p = request.principal;
    const scope = p ? `member\0${p.orgId}\0${p.memberId}` : 'anonymous';
    const { id, answerKey } = derive(key, scope);
    const w: IdempotentWrite = {
      id,
      fingerprint: fingerprint(request),
      answerKey,
      claimed: false,
      settled: true,
      holds: false,
    };
    request.idempotentWrite = w;
    // Taken before the first await, so that two requests with one key cannot both pass.
    if (answering.has(id)) throw inFlight();
    answering.add(id);
    w.holds = true;
    try {
      await settleStored(w, reply);
    } catch (e) {
      release(w);
      throw e;
    }
    if (reply.sent) {
      release(w);
      return reply;
    }
    w.settled = false;
  });

  /** A stored answer is sent again; another request with the key, or an act whose answer was lost, refused. */
  async function settleStored(w: IdempotentWrite, reply: FastifyReply): Promise<void> {
    const { id, answerKey } = w;
    let stored = await findStoredAnswer(db.kysely, id);
    if (stored && stored.expiresAt <= now().toISOString()) {
      await deleteStoredAnswer(db.kysely, id);
      stored = undefined;
    }
    if (stored && stored.fingerprint !== w.fingerprint) {
      throw new ApiError('idempotency_key_reused', 'this Idempotency-Key was sent with another request');
    }
    if (stored?.answer) {
      const { status, body } = stored.answer;
      void reply
        .code(status)
        .header('idempotent-replayed', 'true')
        .type('application/json; charset=utf-8')
        .send(open(answerKey, body));
      return;
    }
    if (stored?.acted) {
      const { firstSeq, count } = stored.acted;
      const seqs = count > 1 ? `entries ${firstSeq}–${firstSeq + count - 1}` : `entry ${firstSeq}`;
      throw new ApiError(
        'idempotency_answer_lost',
        `this act was done (log ${seqs}) but its answer was lost when the server stopped; look it up, do not retry`,
      );
    }
  }

  // The key's own refusals (another request in flight, found by a concurrent act's check) are not its answer.
  api.addHook('onError', async (request, _reply, error) => {
    const w = request.idempotentWrite;
    if (w && error instanceof ApiError && error.code.startsWith('idempotency_')) {
      w.settled = true;
      release(w);
    }
  });

  api.addHook('onSend', async (request, reply, payload) => {
    const w = request.idempotentWrite;
    if (!w || w.settled) return payload;
    w.settled = true;
    // 5xx are not answers: the act did not happen, or (its row says so) it did and a retry is told.
    if (reply.statusCode >= 500) return payload;
    const text = typeof payload === 'string' ? payload : payload == null ? '' : String(payload);
    const at = now();
    try {
      await storeAnswer(db.kysely, {
        id: w.id,
        fingerprint: w.fingerprint,
        answer: { status: reply.statusCode, body: seal(w.answerKey, text) },
        now: at.toISOString(),
        expiresAt: expiry(at),
      });
    } catch (e) {
      // The answer still goes out; a retry is told the act was done (its row was written with it), or acts.
      request.log.error(e);
    }
    // Only now: a retry arriving while the answer is being stored must wait (409), not find it missing.
    release(w);
    return payload;
  });

  api.addHook('onResponse', async (request) => {
    const w = request.idempotentWrite;
    if (w) release(w);
  });

  /** Gives up the key's place, if this request holds it (a request refused as in flight never does). */
  function release(w: IdempotentWrite): void {
    if (!w.holds) return;
    w.holds = false;
    answering.delete(w.id);
  }
}

/** Deletes expired keys and their answers (the scheduler's part); returns how many. */
export function sweepIdempotencyKeys(db: Db, now: Date): Promise<number> {
  return sweepStoredAnswers(db.kysely, now.toISOString());
}
