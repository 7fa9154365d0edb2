// Which reverse proxies the server believes about the client's address (`councils serve --trust-proxy`,
// `$COUNCILS_TRUST_PROXY`). Only the rate limit of the anonymous routes uses the address (rate-limit.ts). Without
// trust (the default) `request.ip` is the socket's peer and X-Forwarded-For is ignored; with trust, Fastify walks
// X-Forwarded-For from the nearest hop back and stops at the first address it does not trust (proxy-addr), so a
// client can prepend whatever it likes and still be keyed on the address the trusted proxy saw.
import { isIP } from 'node:net';

/** What Fastify's `trustProxy` takes; a function gets the address and its hop (0 = the socket's peer). */
export type TrustProxy = boolean | string[] | ((address: string, hop: number) => boolean);

const NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** One trusted address: an IP address, a CIDR range (address/prefix) or loopback | linklocal | uniquelocal. */
function checkAddress(entry: string): void {
  if (NAMES.has(entry)) return;
  const [address = '', prefix, extra] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined)
    throw new RangeError(`"${entry}" is not an IP address, a CIDR range or loopback|linklocal|uniquelocal`);
  if (prefix === undefined) return;
  const max = version === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max)
    throw new RangeError(`"${entry}": the prefix length must be 0..${max}`);
}

/**
 * Parses the option: `false` / `off` (the default: trust no proxy), `true` (trust every hop: only when nothing but
 * the proxy can reach the server), a hop count N (trust the N nearest hops), or a comma-separated list of addresses,
 * CIDR ranges and the names loopback, linklocal, uniquelocal (trust exactly those proxies).
 */
export function parseTrustProxy(text: string): TrustProxy {
  const t = text.trim();
  if (t === 'false' || t === 'off' || t === '0') return false;
  if (t === 'true') return true;
  if (/^\d+$/.test(t)) {
    const hops = Number(t);
    if (!Number.isSafeInteger(hops)) throw new RangeError(`hop count ${t} is too large`);
    // Express's meaning of a number (Fastify 5 no longer takes one): the socket's peer is hop 0
    return (_address, hop) => hop < hops;
  }
  const list = t.split(',').map((s) => s.trim());
  if (list.some((s) => s === ''))
    throw new RangeError('expected true, false, a hop count, or a comma-separated list of addresses');
  for (const entry of list) checkAddress(entry);
  return list;
}
