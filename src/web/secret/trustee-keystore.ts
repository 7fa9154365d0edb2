// A trustee's secret at rest (docs/BALLOT-PROTOCOL.md "Trustees in the browser"): the polynomial and communication
// key of dkgCommit, sealed under the trustee's passphrase before anything leaves the Web Worker. The key is
// argon2id's (RFC 9106; OWASP's minimum for argon2id, 19 MiB, 2 passes, 1 lane), the cipher XChaCha20-Poly1305, and
// the file's header — format, organisation, vote, member, trustee number, setup hash, KDF parameters, the public
// commitment — is the AEAD's associated data, so a file moved to another vote or edited does not open. The same JSON
// is what this browser keeps (localStorage) and what the trustee downloads as a backup and restores elsewhere.
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { argon2id } from '@noble/hashes/argon2.js';
import type { DkgCommitBody, TrusteeSecret } from '../../ballot/dkg.ts';
import { fromHex, toHex, utf8, type RandomBytes } from '../../ballot/bytes.ts';

export const TRUSTEE_FILE_FORMAT = 'councils-trustee-secret-v1';

/** argon2id parameters: memory in KiB, passes, lanes. */
export interface KdfParams {
  name: 'argon2id';
  m: number;
  t: number;
  p: number;
  salt: string;
}

/** OWASP's password storage cheat sheet, argon2id's first configuration (about 0.7 s in V8 on this machine). */
export const DEFAULT_KDF: Omit<KdfParams, 'salt'> = { name: 'argon2id', m: 19456, t: 2, p: 1 };

/** Where the secret belongs: a file opens only for this vote's trustee. */
export interface TrusteeContext {
  orgId: string;
  voteId: string;
  memberId: string;
  trustee: number;
  setupHash: string;
}

export interface TrusteeFile extends TrusteeContext {
  format: typeof TRUSTEE_FILE_FORMAT;
  kdf: KdfParams;
  /** The round-1 message, public: posted again if its first post was lost, and checked against the board. */
  commit: DkgCommitBody;
  nonce: string;
  ciphertext: string;
}

/** A failure the page explains to the trustee in their language (`error_<code>` in the catalogue). */
export class TrusteeKeyError extends Error {
  constructor(
    readonly code:
      | 'trustee_wrong_passphrase'
      | 'trustee_not_this_vote'
      | 'trustee_not_a_key_file'
      | 'trustee_weak_passphrase'
      | 'trustee_not_my_commitment'
      | 'trustee_board_invalid'
      | 'trustee_aggregate_mismatch',
    message: string,
  ) {
    super(message);
  }
}

/** Long enough to resist guessing at argon2id's cost; the page says so before sealing. */
export const MIN_PASSPHRASE = 12;

const header = (f: Omit<TrusteeFile, 'nonce' | 'ciphertext'>) =>
  utf8(
    JSON.stringify([
      f.format,
      f.orgId,
      f.voteId,
      f.memberId,
      f.trustee,
      f.setupHash,
      f.kdf.name,
      f.kdf.m,
      f.kdf.t,
      f.kdf.p,
      f.kdf.salt,
      f.commit,
    ]),
  );

const deriveKey = (passphrase: string, kdf: KdfParams) =>
  argon2id(utf8(passphrase.normalize('NFC')), fromHex(kdf.salt, 16, 'kdf.salt'), {
    m: kdf.m,
    t: kdf.t,
    p: kdf.p,
    dkLen: 32,
  });

export function sealTrusteeSecret(
  ctx: TrusteeContext,
  secret: TrusteeSecret,
  commit: DkgCommitBody,
  passphrase: string,
  randomBytes: RandomBytes,
  kdf: Omit<KdfParams, 'salt'> = DEFAULT_KDF,
): TrusteeFile {
  if ([...passphrase].length < MIN_PASSPHRASE)
    throw new TrusteeKeyError(
      'trustee_weak_passphrase',
      `the passphrase needs at least ${MIN_PASSPHRASE} characters`,
    );
  const head = {
    format: TRUSTEE_FILE_FORMAT,
    orgId: ctx.orgId,
    voteId: ctx.voteId,
    memberId: ctx.memberId,
    trustee: ctx.trustee,
    setupHash: ctx.setupHash,
    kdf: { ...kdf, salt: toHex(randomBytes(16)) },
    commit,
  } as const;
  const nonce = randomBytes(24);
  const key = deriveKey(passphrase, head.kdf);
  const ciphertext = xchacha20poly1305(key, nonce, header(head)).encrypt(utf8(JSON.stringify(secret)));
  key.fill(0);
  return { ...head, nonce: toHex(nonce), ciphertext: toHex(ciphertext) };
}

/** The file's shape, checked before any work (a restored file comes from the trustee's disk, not from us). */
export function readTrusteeFile(value: unknown): TrusteeFile {
  const f = value as Partial<TrusteeFile> | null;
  const ok =
    f !== null &&
    typeof f === 'object' &&
    f.format === TRUSTEE_FILE_FORMAT &&
    typeof f.orgId === 'string' &&
    typeof f.voteId === 'string' &&
    typeof f.memberId === 'string' &&
    Number.isInteger(f.trustee) &&
    typeof f.setupHash === 'string' &&
    f.kdf?.name === 'argon2id' &&
    [f.kdf.m, f.kdf.t, f.kdf.p].every((x) => Number.isInteger(x) && x > 0) &&
    typeof f.kdf.salt === 'string' &&
    typeof f.commit === 'object' &&
    typeof f.nonce === 'string' &&
    typeof f.ciphertext === 'string';
  if (!ok) throw new TrusteeKeyError('trustee_not_a_key_file', 'this is not a Councils trustee key file');
  return f as TrusteeFile;
}

/** The file belongs to this vote and this trustee (before asking for the passphrase). */
export function checkTrusteeFileFor(file: TrusteeFile, ctx: TrusteeContext): void {
  const mismatch = (['orgId', 'voteId', 'memberId', 'trustee', 'setupHash'] as const).find(
    (k) => file[k] !== ctx[k],
  );
  if (mismatch)
    throw new TrusteeKeyError(
      'trustee_not_this_vote',
      `this key file belongs to another vote or trustee (${mismatch} differs)`,
    );
}

export function openTrusteeSecret(file: TrusteeFile, passphrase: string): TrusteeSecret {
  const f = readTrusteeFile(file);
  const key = deriveKey(passphrase, f.kdf);
  const aead = xchacha20poly1305(key, fromHex(f.nonce, 24, 'nonce'), header(f));
  let plain: Uint8Array;
  try {
    plain = aead.decrypt(fromHex(f.ciphertext, undefined, 'ciphertext'));
  } catch {
    throw new TrusteeKeyError(
      'trustee_wrong_passphrase',
      'the passphrase is wrong (or the key file was altered)',
    );
  } finally {
    key.fill(0);
  }
  return JSON.parse(new TextDecoder().decode(plain)) as TrusteeSecret;
}
