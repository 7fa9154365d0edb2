// C2SP tlog-checkpoint: the note text "<origin>\n<size>\n<base64 root>\n[<extension line>\n...]", signed as a
// signed note by the log's key, and optionally cosigned by witnesses (tlog-cosignature.ts).
import { fromBase64, toBase64 } from './bytes.ts';
import { MalformedCheckpointError } from './errors.ts';
import type { NoteSigner, NoteVerifier } from './note-keys.ts';
import { openNote, signNote, VerifierList, type Note } from './signed-note.ts';

export interface Checkpoint {
  origin: string;
  /** Tree size. The record layer keeps sizes below 2^53 (JS numbers). */
  size: number;
  rootHash: Uint8Array;
  /** Opaque extension lines (tlog-checkpoint §Note text item 4), without their newlines. */
  extensions: string[];
}

/** The note text of a checkpoint. */
export function formatCheckpoint(cp: Checkpoint): string {
  if (typeof cp.origin !== 'string' || cp.origin === '' || cp.origin.includes('\n')) {
    throw new TypeError('checkpoint origin: must be a non-empty line');
  }
  if (!Number.isSafeInteger(cp.size) || cp.size < 0)
    throw new RangeError(`checkpoint size: ${cp.size} is invalid`);
  if (!(cp.rootHash instanceof Uint8Array) || cp.rootHash.length === 0)
    throw new TypeError('checkpoint rootHash: empty');
  for (const line of cp.extensions ?? []) {
    if (typeof line !== 'string' || line === '' || line.includes('\n')) {
      throw new TypeError('checkpoint extensions: each must be a non-empty line');
    }
  }
  const ext = (cp.extensions ?? []).map((l) => `${l}\n`).join('');
  return `${cp.origin}\n${cp.size}\n${toBase64(cp.rootHash)}\n${ext}`;
}

/** Parses a checkpoint's note text (the body, without signatures). Throws MalformedCheckpointError. */
export function parseCheckpoint(text: string): Checkpoint {
  if (typeof text !== 'string' || !text.endsWith('\n'))
    throw new MalformedCheckpointError('checkpoint: must end in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new MalformedCheckpointError('checkpoint: fewer than three lines');
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin === '') throw new MalformedCheckpointError('checkpoint: empty origin');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText))
    throw new MalformedCheckpointError('checkpoint: size is not a decimal without leading zeroes');
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size))
    throw new MalformedCheckpointError('checkpoint: size beyond 2^53 is not supported');
  const rootHash = fromBase64(rootText);
  if (!rootHash || rootHash.length === 0)
    throw new MalformedCheckpointError('checkpoint: root hash is not base64');
  if (extensions.some((l) => l === ''))
    throw new MalformedCheckpointError('checkpoint: empty extension line');
  return { origin, size, rootHash, extensions };
}

export function signCheckpoint(cp: Checkpoint, signers: readonly NoteSigner[]): string {
  return signNote({ text: formatCheckpoint(cp) }, signers);
}

export interface OpenedCheckpoint {
  checkpoint: Checkpoint;
  note: Note;
}

/**
 * Opens a signed checkpoint (transparency-dev/formats ParseCheckpoint): the note must verify, carry the log's
 * own signature, parse, and have the expected origin. Other verifiers (witnesses) are checked if present.
 */
export function openCheckpoint(
  signed: string,
  origin: string,
  logVerifier: NoteVerifier,
  otherVerifiers: readonly NoteVerifier[] = [],
): OpenedCheckpoint {
  const note = openNote(signed, new VerifierList([logVerifier, ...otherVerifiers]));
  if (!note.sigs.some((s) => s.name === logVerifier.name && s.keyId === logVerifier.keyId)) {
    throw new MalformedCheckpointError('checkpoint: no signature by the log key');
  }
  const checkpoint = parseCheckpoint(note.text);
  if (checkpoint.origin !== origin) {
    throw new MalformedCheckpointError(
      `checkpoint: origin "${checkpoint.origin}" is not the expected "${origin}"`,
    );
  }
  return { checkpoint, note };
}
