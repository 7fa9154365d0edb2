// Where a webhook may be sent (docs/NOTIFICATIONS.md "Targets"): a public unicast address only, unless the operator
// allows private ones (`--webhooks-allow-private`, for a receiver on the same machine or network). A name is checked
// by the address it resolves to, in the lookup of the very connection that sends (so a name that resolves to a public
// address when registered and to 127.0.0.1 later is refused then); a literal address is checked before connecting.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

export class TargetRefused extends Error {}

/** A global unicast address: not loopback, private, link-local, shared, multicast, reserved or documentation. */
export function isPublicAddress(address: string): boolean {
  try {
    return ipaddr.process(address).range() === 'unicast';
  } catch {
    return false;
  }
}

function refusal(host: string, address: string): TargetRefused {
  return new TargetRefused(`${host} is ${address}, a private, loopback or reserved address`);
}

/** The host of a URL as net.connect sees it (an IPv6 literal without its brackets). */
function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/** A lookup for http.request that refuses a private address (every address the name resolves to is checked). */
export function checkedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const bad = allowPrivate ? undefined : addresses.find((a) => !isPublicAddress(a.address));
      if (bad) return callback(refusal(hostname, bad.address), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/** Refuses a URL whose host is, or resolves to, a private address (unless allowed). */
export async function checkTarget(href: string, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const url = new URL(href);
  const host = hostOf(url);
  if (isIP(host)) {
    if (!isPublicAddress(host)) throw refusal(host, host);
    return;
  }
  await new Promise<void>((resolve, reject) =>
    checkedLookup(false)(host, { all: true }, (err) => (err ? reject(err) : resolve())),
  );
}

export { hostOf };
