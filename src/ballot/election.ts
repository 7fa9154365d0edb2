// Credentials (Belenios) and the frozen election: joint key, credential list and the fingerprint H_E
// (docs/BALLOT-PROTOCOL.md §2, §4).
import { checkRandom, fromHex, hexInto, toHex, u32, type RandomBytes } from './bytes.ts';
import { hashBytes, hashPrefixed } from './hash.ts';
import type { Group, Point } from './group.ts';
import { pointFromHex, pointHex, type Hex } from './codec.ts';
import { BallotFormatError, BallotProtocolError } from './errors.ts';
import type { SetupBody } from './manifest.ts';
import type { KeyResult } from './dkg-result.ts';

export interface CredentialEntry {
  credential: Hex;
  /** A positive integer; 1 for one member, one vote. */
  weight: number;
  /** The issuing key's blind signature (§4.1), when the setup has issuers. Not part of H_C. */
  signature?: Hex;
}

/**
 * One `credentials` board entry. A long list is posted as several entries, one after another: part 1..parts of the
 * same list (§4.2), so that no entry exceeds the record's entry limit. A board from before parts has one entry
 * without `part` and `parts`.
 */
export interface CredentialsBody {
  credentials: CredentialEntry[];
  part?: number;
  parts?: number;
}

/** The bytes of credential list a part may carry (JSON), well under the record's 65,535-byte entry limit. */
export const CREDENTIAL_PART_BYTES = 48_000;

/**
 * Splits a credential list, in its order, into the bodies of consecutive `credentials` entries of at most
 * `maxBytes` of JSON each (and at least one credential each).
 */
export function credentialParts(
  credentials: readonly CredentialEntry[],
  maxBytes = CREDENTIAL_PART_BYTES,
): CredentialsBody[] {
  const lists: CredentialEntry[][] = [[]];
  let size = 0;
  for (const c of credentials) {
    const bytes = JSON.stringify(c).length + 1;
    const current = lists[lists.length - 1]!;
    if (current.length > 0 && size + bytes > maxBytes) {
      lists.push([c]);
      size = bytes;
    } else {
      current.push(c);
      size += bytes;
    }
  }
  return lists.map((list, i) => ({ credentials: list, part: i + 1, parts: lists.length }));
}

/**
 * The whole credential list from a board's `credentials` entries: either one entry without parts, or entries
 * part 1..parts in order, each with the same `parts` and at least one credential. Throws BallotFormatError naming
 * the part otherwise.
 */
export function joinCredentialParts(bodies: readonly CredentialsBody[]): CredentialsBody {
  const whole = checkCredentialParts(
    bodies.map((b) => ({
      part: b.part,
      parts: b.parts,
      count: Array.isArray(b.credentials) ? b.credentials.length : -1,
    })),
  );
  if (whole) return bodies[0]!;
  const credentials: CredentialEntry[] = [];
  for (const b of bodies) credentials.push(...b.credentials);
  return { credentials };
}

/**
 * joinCredentialParts' refusals, from what it looks at of each entry (`count`: its credentials, -1 when not an
 * array), so that a reader that does not keep the parts (src/ballot/streamed-list.ts) refuses the same. True when
 * the list is one entry without parts.
 */
export function checkCredentialParts(
  bodies: readonly { part?: unknown; parts?: unknown; count: number }[],
): boolean {
  if (bodies.length === 0) throw new BallotFormatError('credentials: no credential list');
  const only = bodies[0]!;
  if (bodies.length === 1 && only.part === undefined && only.parts === undefined) return true;
  bodies.forEach((b, i) => {
    const n = bodies.length;
    if (b.part === undefined || b.parts === undefined)
      throw new BallotFormatError(`${n} credential lists, not parts of one (entry ${i + 1} has no part)`);
    if (b.parts !== n)
      throw new BallotFormatError(
        `the credential list is in ${n} entries, but entry ${i + 1} says ${String(b.parts)} parts`,
      );
    if (b.part !== i + 1)
      throw new BallotFormatError(`credential list entry ${i + 1} says it is part ${String(b.part)}`);
    if (b.count <= 0) throw new BallotFormatError(`credentials: part ${i + 1} is empty`);
  });
  return false;
}

export interface Election {
  setup: SetupBody;
  jointKey: Hex;
  qualified: number[];
  commitments: Record<number, Hex[]>;
  publicShares: Record<number, Hex>;
  /** Sorted by the credential's bytes. */
  credentials: CredentialEntry[];
  credentialHash: Hex;
  totalWeight: number;
  /** H_E. */
  fingerprint: Hex;
}

/** A fresh credential: the secret goes to the voter only; the public one goes on the list. */
export function makeCredential(g: Group, randomBytes: RandomBytes): { secret: Hex; public: Hex } {
  const secret = toHex(checkRandom(randomBytes, 32));
  return { secret, public: credentialPublic(g, secret) };
}

/** The public credential of a secret one (for the voter's device to show or re-register). */
export const credentialPublic = (g: Group, secret: Hex): Hex =>
  pointHex(g, g.mulBase(credentialScalar(g, secret)));

/** x = Hq("credential"; c). */
export const credentialScalar = (g: Group, secret: Hex): bigint =>
  g.hashToScalar('credential', [fromHex(secret, 32, 'credential secret')]);

/** Checks and sorts a credential list; throws BallotFormatError naming the bad entry. */
export function normaliseCredentials(g: Group, body: CredentialsBody): CredentialEntry[] {
  if (!Array.isArray(body?.credentials)) throw new BallotFormatError('credentials: expected an array');
  const seen = new Set<string>();
  for (const [i, c] of body.credentials.entries()) {
    const X = pointFromHex(g, c.credential, `credentials[${i}].credential`);
    // the identity is x = 0: anyone could sign with it
    if (g.eq(X, g.identity)) throw new BallotFormatError(`credentials[${i}].credential: the identity`);
    if (!Number.isSafeInteger(c.weight) || c.weight < 1)
      throw new BallotFormatError(`credentials[${i}].weight`);
    if (seen.has(c.credential)) throw new BallotFormatError(`credentials[${i}]: duplicate credential`);
    seen.add(c.credential);
  }
  // each credential is lower-case hex of 32 bytes (checked above), so its order as text is its bytes' order: the
  // text is the sort key, nothing decoded in a comparison (and no two are equal)
  return body.credentials
    .map((c) => ({ credential: c.credential, weight: c.weight }))
    .sort((a, b) => (a.credential < b.credential ? -1 : 1));
}

/**
 * H_C = H("credentials"; u32(n), enc(X_1) ‖ u64(w_1), …) of the sorted list (§2): the fields written in place into
 * one buffer, LP(u32(n)) then LP(40 bytes) a credential.
 */
export function credentialListHash(sorted: readonly CredentialEntry[]): Uint8Array {
  const n = sorted.length;
  const message = new Uint8Array(8 + 44 * n);
  const view = new DataView(message.buffer);
  view.setUint32(0, 4);
  view.setUint32(4, n);
  for (let r = 0, at = 8; r < n; r++, at += 44) {
    const { credential, weight } = sorted[r]!;
    if (typeof credential !== 'string' || credential.length !== 64) fromHex(credential, 32, 'credential'); // its error
    view.setUint32(at, 40);
    hexInto(message, at + 4, credential, 'credential');
    view.setBigUint64(at + 36, BigInt(weight));
  }
  return hashPrefixed('credentials', message);
}

export function fingerprint(
  g: Group,
  setup: SetupBody,
  key: KeyResult,
  credentialHash: Uint8Array,
): Uint8Array {
  const fields: Uint8Array[] = [
    fromHex(setup.setupHash, 32, 'setupHash'),
    fromHex(key.jointKey, 32, 'jointKey'),
  ];
  fields.push(u32(key.qualified.length));
  for (const i of key.qualified) {
    const A = key.commitments[i] ?? [];
    const parts = [u32(i), ...A.map((h) => fromHex(h, 32, 'commitment'))];
    fields.push(Uint8Array.from(parts.flatMap((p) => [...p])));
  }
  fields.push(credentialHash);
  return hashBytes('election', fields);
}

/** Freezes the election when voting opens. */
export function makeElection(
  g: Group,
  setup: SetupBody,
  key: KeyResult,
  credentials: CredentialsBody,
): Election {
  if (!key.ok) throw new BallotProtocolError('key generation did not succeed');
  const sorted = normaliseCredentials(g, credentials);
  if (sorted.length === 0) throw new BallotProtocolError('credentials: the electorate is empty');
  const ch = credentialListHash(sorted);
  return electionOf(
    g,
    setup,
    key,
    sorted,
    ch,
    sorted.reduce((s, c) => s + c.weight, 0),
  );
}

/** What a booth is told of the frozen list instead of the list itself (§4.3): H_C, its length and weight. */
export interface CredentialListSummary {
  credentialHash: Hex;
  count: number;
  totalWeight: number;
}

/**
 * The election a booth encrypts for without the credential list (§4.3): the joint key from key generation the
 * booth checked itself, and the list's hash H_C as stated. `credentials` is empty: such an election encrypts and
 * challenges ballots, but cannot check one (checkBallot needs the list).
 */
export function electionForBooth(
  g: Group,
  setup: SetupBody,
  key: KeyResult,
  list: CredentialListSummary,
): Election {
  if (!key.ok) throw new BallotProtocolError('key generation did not succeed');
  const ch = fromHex(list.credentialHash, 32, 'credentialHash');
  if (!Number.isSafeInteger(list.count) || list.count < 1) throw new BallotFormatError('count');
  if (!Number.isSafeInteger(list.totalWeight) || list.totalWeight < list.count)
    throw new BallotFormatError('totalWeight');
  return electionOf(g, setup, key, [], ch, list.totalWeight);
}

/**
 * The election of a list the verifier read itself in parts (streamed-list.ts): makeElection's, with the list's
 * summary in place of the list and no other rule (the booth's guards on a server's stated summary would make check 4
 * differ from verifyBoard's, e.g. on a total weight past 2^53).
 */
export function electionOfSummary(
  g: Group,
  setup: SetupBody,
  key: KeyResult,
  list: CredentialListSummary,
): Election {
  if (!key.ok) throw new BallotProtocolError('key generation did not succeed');
  return electionOf(g, setup, key, [], fromHex(list.credentialHash, 32, 'credentialHash'), list.totalWeight);
}

function electionOf(
  g: Group,
  setup: SetupBody,
  key: KeyResult,
  credentials: CredentialEntry[],
  ch: Uint8Array,
  totalWeight: number,
): Election {
  return {
    setup,
    jointKey: key.jointKey,
    qualified: key.qualified,
    commitments: key.commitments,
    publicShares: key.publicShares,
    credentials,
    credentialHash: toHex(ch),
    totalWeight,
    fingerprint: toHex(fingerprint(g, setup, key, ch)),
  };
}

/** Decoded, cached view of an Election for one backend. */
export interface Prepared {
  election: Election;
  K: Point;
  fp: Uint8Array;
  weights: Map<Hex, number>;
}

const cache = new WeakMap<Group, WeakMap<Election, Prepared>>();

export function prepare(g: Group, election: Election): Prepared {
  let byElection = cache.get(g);
  if (!byElection) cache.set(g, (byElection = new WeakMap()));
  let p = byElection.get(election);
  if (!p) {
    p = {
      election,
      K: g.fixedBase(pointFromHex(g, election.jointKey, 'jointKey')),
      fp: fromHex(election.fingerprint, 32, 'fingerprint'),
      weights: new Map(election.credentials.map((c) => [c.credential, c.weight])),
    };
    byElection.set(election, p);
  }
  return p;
}

/**
 * The election without its credential list, and the entries of the list for the credentials of some ballots: a
 * worker thread that checks or sums those ballots needs only these (checks 5.2 and the weights look credentials up
 * in `prepare`'s map), so the list, which grows with the electorate, is not copied into every worker. Checking a
 * ballot against `withListed(listless, listedOf(…))` gives the same verdict as against the whole election: the
 * credentials of those ballots that are on the list are on the part, with the same weight, and no other is.
 */
export const listless = (election: Election): Election => ({ ...election, credentials: [] });

export function listedOf(g: Group, election: Election, credentials: Iterable<unknown>): CredentialEntry[] {
  const weights = prepare(g, election).weights;
  const part = new Map<Hex, number>();
  for (const c of credentials) {
    const w = typeof c === 'string' ? weights.get(c) : undefined;
    if (w !== undefined) part.set(c as Hex, w);
  }
  return [...part].map(([credential, weight]) => ({ credential, weight }));
}

export const withListed = (listless: Election, listed: CredentialEntry[]): Election => ({
  ...listless,
  credentials: listed,
});
