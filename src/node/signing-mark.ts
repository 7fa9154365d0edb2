// The signing high-water mark of a log key: the last checkpoint (size and root) the key signed, kept beside the
// key, outside the database, so that a database restored from an older backup cannot make the key sign a
// smaller tree or another tree of the same size (a rollback or a fork of the public record). Written durably
// (temporary file, fsync, rename, fsync of the directory) before a checkpoint is released. docs/OPERATIONS.md.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fromBase64, toBase64 } from '../record/index.ts';

export interface SigningMark {
  /** The key the mark belongs to (a signed-note verifier key). */
  verifierKey: string;
  size: number;
  rootHash: Uint8Array;
  /** When it was signed (ISO 8601), for the operator. */
  at: string;
}

/** The mark file of a key: one per key, named by the organisation and the key's hash (`name+hash+…`). */
export function markFile(keyDir: string, orgId: string, verifierKey: string): string {
  const hash = verifierKey.split('+')[1] ?? 'unknown';
  return join(keyDir, `${orgId}.${hash}.mark`);
}

export function readMark(file: string): SigningMark | undefined {
  if (!existsSync(file)) return undefined;
  const m = JSON.parse(readFileSync(file, 'utf8')) as {
    verifierKey?: unknown;
    size?: unknown;
    rootHash?: unknown;
    at?: unknown;
  };
  const root = typeof m.rootHash === 'string' ? fromBase64(m.rootHash) : undefined;
  if (typeof m.verifierKey !== 'string' || !Number.isSafeInteger(m.size) || !root || root.length !== 32)
    throw new Error(`${file} is not a signing mark: remove it only if you know what the key last signed`);
  return { verifierKey: m.verifierKey, size: m.size as number, rootHash: root, at: String(m.at ?? '') };
}

/** Writes the mark so that it survives a crash once this returns: temporary file, fsync, rename, fsync dir. */
export function writeMark(file: string, mark: SigningMark): void {
  const text = JSON.stringify({
    verifierKey: mark.verifierKey,
    size: mark.size,
    rootHash: toBase64(mark.rootHash),
    at: mark.at,
  });
  writeFileDurably(file, text + '\n', 0o600);
}

export function writeFileDurably(file: string, text: string, mode: number): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  const dir = openSync(dirname(file), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
