// A member's approval key: a 32-byte Ed25519 secret key in a file of mode 0600 that only the member holds
// (docs/POWER.md). The server sees only the public key and signatures.
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadConfig } from '../config.ts';
import { publicKeyOf } from '../core/index.ts';

/** $COUNCILS_APPROVAL_KEY, else ./councils-approval.key. */
export const defaultKeyFile = (): string => loadConfig().approvalKey;

/** Writes a fresh secret key; refuses to overwrite one. Returns the public key (hex). */
export function generateApprovalKey(file: string): string {
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return publicKeyOf(secret);
}

/** Reads a secret key, refusing a file others can read. */
export function readApprovalKey(file: string): { secret: string; publicKey: string } {
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) throw new Error(`${file} is readable by others (mode ${mode.toString(8)}): chmod 600 it`);
  const secret = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(secret)) throw new Error(`${file} does not hold a 32-byte hex key`);
  return { secret, publicKey: publicKeyOf(secret) };
}
