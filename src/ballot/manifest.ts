// Election parameters: the manifest, the setup entry and the hashes H_P, H_M, H_S (docs/BALLOT-PROTOCOL.md §2).
import canonicalize from 'canonicalize';
import { toHex, u32, utf8 } from './bytes.ts';
import { hashBytes } from './hash.ts';
import { BallotFormatError, BallotProtocolError } from './errors.ts';
import { issuerKeysHash, type IssuerKey } from './credential-token.ts';

export const PROTOCOL_VERSION = 'councils-ballot-v1';
export const GROUP_NAME = 'ristretto255';
export const HASH_NAME = 'expand_message_xmd:SHA-256';
/** enc(G), RFC 9496 §4.4. */
const GENERATOR_HEX = 'e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76';

export interface Contest {
  id: string;
  title: string;
  options: string[];
  /** Fewest and most selections (sum over options) allowed. */
  min: number;
  max: number;
  /** Largest value of one option (1 for yes/no, single choice and approval). */
  optionMax: number;
}

export interface Manifest {
  electionId: string;
  title: string;
  /** Milliseconds since the epoch. */
  opensAt: number;
  closesAt: number;
  contests: Contest[];
  /** A ranked election counted through the mix-net (docs/MIXNET.md §16.1); absent for homomorphic ballots. */
  ballot?: 'ranked';
  /**
   * A ranked election whose every shuffle is signed by its slot's mixer (docs/MIXNET.md §12); absent on boards made
   * before signed shuffles. Covered by H_M, so by every trustee's proof and every ballot.
   */
  shuffles?: 'signed';
}

export interface SetupBody {
  version: string;
  manifest: Manifest;
  n: number;
  k: number;
  /** H_S in hex, recomputed by the verifier. */
  setupHash: string;
  /** Keys issuing credentials by blind signature, one per weight class (§4.1); absent on boards without them. */
  issuers?: IssuerKey[];
}

const isCount = (x: unknown, lo: number, hi: number): boolean =>
  typeof x === 'number' && Number.isInteger(x) && x >= lo && x <= hi;

/** Throws BallotFormatError naming the first field that is wrong. */
export function validateManifest(m: Manifest): void {
  if (typeof m?.electionId !== 'string' || m.electionId === '')
    throw new BallotFormatError('manifest.electionId');
  if (typeof m.title !== 'string') throw new BallotFormatError('manifest.title');
  if (!isCount(m.opensAt, 0, Number.MAX_SAFE_INTEGER)) throw new BallotFormatError('manifest.opensAt');
  if (!isCount(m.closesAt, m.opensAt, Number.MAX_SAFE_INTEGER))
    throw new BallotFormatError('manifest.closesAt');
  if (!Array.isArray(m.contests) || m.contests.length === 0) throw new BallotFormatError('manifest.contests');
  if (m.ballot !== undefined && m.ballot !== 'ranked')
    throw new BallotFormatError('manifest.ballot: "ranked"');
  if (m.shuffles !== undefined && (m.shuffles !== 'signed' || m.ballot !== 'ranked'))
    throw new BallotFormatError('manifest.shuffles: "signed", on a ranked ballot only');
  const ids = new Set<string>();
  m.contests.forEach((c, i) => {
    const where = `manifest.contests[${i}]`;
    if (typeof c.id !== 'string' || ids.has(c.id))
      throw new BallotFormatError(`${where}.id: missing or repeated`);
    ids.add(c.id);
    if (!Array.isArray(c.options) || c.options.length === 0 || c.options.some((o) => typeof o !== 'string')) {
      throw new BallotFormatError(`${where}.options`);
    }
    if (!isCount(c.optionMax, 1, 1000)) throw new BallotFormatError(`${where}.optionMax: 1..1000`);
    if (!isCount(c.min, 0, c.options.length * c.optionMax)) throw new BallotFormatError(`${where}.min`);
    if (!isCount(c.max, Math.max(c.min, 1), c.options.length * c.optionMax)) {
      throw new BallotFormatError(`${where}.max: min..options·optionMax`);
    }
  });
}

export const paramsHash = (): Uint8Array =>
  hashBytes('params', [
    GROUP_NAME,
    Uint8Array.from(GENERATOR_HEX.match(/../g)!, (x) => parseInt(x, 16)),
    HASH_NAME,
  ]);

export function manifestHash(m: Manifest): Uint8Array {
  const jcs = canonicalize(m);
  if (jcs === undefined) throw new BallotFormatError('manifest: not serialisable');
  return hashBytes('manifest', [paramsHash(), utf8(jcs)]);
}

/** H_S = H("setup"; H_M, u32(n), u32(k)), and H_K (§4.1) as a fourth field when there are issuing keys. */
export const setupHash = (m: Manifest, n: number, k: number, issuers?: readonly IssuerKey[]): Uint8Array =>
  hashBytes('setup', [
    manifestHash(m),
    u32(n),
    u32(k),
    ...(issuers === undefined ? [] : [issuerKeysHash(issuers)]),
  ]);

/** The `setup` board entry. */
export function makeSetup(
  manifest: Manifest,
  opts: { n: number; k: number; issuers?: readonly IssuerKey[] },
): SetupBody {
  validateManifest(manifest);
  const { n, k, issuers } = opts;
  if (!isCount(n, 1, 255)) throw new BallotProtocolError('n: 1..255 trustees');
  if (!isCount(k, 1, n)) throw new BallotProtocolError('k: 1..n');
  if (issuers !== undefined && issuers.length === 0) throw new BallotProtocolError('issuers: none given');
  const h = toHex(setupHash(manifest, n, k, issuers));
  return {
    version: PROTOCOL_VERSION,
    manifest,
    n,
    k,
    setupHash: h,
    ...(issuers !== undefined ? { issuers: issuers.map((i) => ({ weight: i.weight, n: i.n, e: i.e })) } : {}),
  };
}
