// One-click unsubscribe (RFC 8058): every notice's message carries List-Unsubscribe with a URL holding a signed
// token, and List-Unsubscribe-Post: List-Unsubscribe=One-Click; a POST to that URL stops that kind of message
// (or, for a digest, every kind the member had in the digest). The token is an HMAC-SHA256 under a key kept in
// the database (server_keys), so every process of the installation signs and checks the same.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../store/database.ts';
import { serverKey } from '../../store/mail-repository.ts';

export interface UnsubscribeTarget {
  orgId: string;
  memberId: string;
  /** A notice's kind, or "digest". */
  kind: string;
}

const keys = new WeakMap<Db, Promise<Buffer>>();

function keyOf(db: Db): Promise<Buffer> {
  let k = keys.get(db);
  if (!k) {
    k = serverKey(db.kysely, 'unsubscribe', () => randomBytes(32).toString('base64')).then((s) =>
      Buffer.from(s, 'base64'),
    );
    keys.set(db, k);
  }
  return k;
}

export async function unsubscribeToken(db: Db, t: UnsubscribeTarget): Promise<string> {
  const body = Buffer.from(JSON.stringify([t.orgId, t.memberId, t.kind])).toString('base64url');
  const mac = createHmac('sha256', await keyOf(db))
    .update(body)
    .digest('base64url');
  return `${body}.${mac}`;
}

/** The token's target, or null when it is not one this installation signed. */
export async function readUnsubscribeToken(db: Db, token: string): Promise<UnsubscribeTarget | null> {
  const [body, mac, extra] = token.split('.');
  if (!body || !mac || extra !== undefined) return null;
  const want = createHmac('sha256', await keyOf(db))
    .update(body)
    .digest();
  const got = Buffer.from(mac, 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return null;
  const parsed: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((x) => typeof x === 'string'))
    return null;
  const [orgId, memberId, kind] = parsed as string[];
  return { orgId: orgId!, memberId: memberId!, kind: kind! };
}
