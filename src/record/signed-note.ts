// C2SP signed-note: open (parse and verify) and sign notes. A note is UTF-8 text ending in a newline, a blank
// line, then one or more lines "— <name> <base64(4-byte key ID || signature)>". Semantics follow Go's
// golang.org/x/mod/sumdb/note (the reference the vectors come from): unknown signatures are kept as
// unverified, duplicates are dropped, a bad signature by a known key rejects the whole note.
import { concatBytes, fromBase64, readU32be, toBase64, u32be, utf8, utf8DecodeStrict } from './bytes.ts';
import {
  AmbiguousVerifierError,
  MalformedNoteError,
  MismatchedVerifierError,
  InvalidSignatureError,
  UnknownVerifierError,
  UnverifiedNoteError,
} from './errors.ts';
import { isValidKeyName, type NoteSigner, type NoteVerifier } from './note-keys.ts';

/** Go's limit on signature lines, to bound work on hostile notes (the spec requires at least 16). */
export const MAX_NOTE_SIGNATURES = 100;
const SIG_PREFIX = '\u2014 ';

export interface NoteSignature {
  name: string;
  keyId: number;
  /** The base64 text of the signature line (key ID and signature bytes). */
  base64: string;
}

export interface Note {
  text: string;
  sigs: NoteSignature[];
  unverifiedSigs: NoteSignature[];
}

/** Finds the verifier for a (name, key ID); throws UnknownVerifierError or AmbiguousVerifierError. */
export interface NoteVerifiers {
  verifier(name: string, keyId: number): NoteVerifier;
}

export class VerifierList implements NoteVerifiers {
  readonly #byKey = new Map<string, NoteVerifier[]>();

  constructor(verifiers: Iterable<NoteVerifier>) {
    for (const v of verifiers) {
      const key = `${v.name}+${v.keyId}`;
      this.#byKey.set(key, [...(this.#byKey.get(key) ?? []), v]);
    }
  }

  verifier(name: string, keyId: number): NoteVerifier {
    const found = this.#byKey.get(`${name}+${keyId}`);
    if (!found) throw new UnknownVerifierError(name, keyId);
    if (found.length > 1) throw new AmbiguousVerifierError(name, keyId);
    return found[0]!;
  }
}

function checkCharacters(text: string): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) throw new MalformedNoteError();
  }
}

function parseSignatureLine(line: string): { sig: NoteSignature; bytes: Uint8Array } {
  if (!line.startsWith(SIG_PREFIX)) throw new MalformedNoteError();
  const rest = line.slice(SIG_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = space < 0 ? rest : rest.slice(0, space);
  const b64 = space < 0 ? '' : rest.slice(space + 1);
  const raw = b64 === '' ? undefined : fromBase64(b64);
  if (!raw || !isValidKeyName(name) || raw.length < 5) throw new MalformedNoteError();
  return { sig: { name, keyId: readU32be(raw, 0), base64: b64 }, bytes: raw.subarray(4) };
}

/**
 * Parses a signed note and verifies the signatures by known keys (Go note.Open). Throws MalformedNoteError,
 * InvalidSignatureError, UnverifiedNoteError (no known signature), or the lookup's Unknown/Ambiguous errors.
 */
export function openNote(msg: string | Uint8Array, known: NoteVerifiers): Note {
  const text = typeof msg === 'string' ? msg : utf8DecodeStrict(msg);
  if (text === undefined || (typeof msg === 'string' && utf8DecodeStrict(utf8(msg)) !== msg)) {
    throw new MalformedNoteError();
  }
  checkCharacters(text);
  const split = text.lastIndexOf('\n\n');
  if (split < 0) throw new MalformedNoteError();
  const body = text.slice(0, split + 1);
  const block = text.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) throw new MalformedNoteError();
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw new MalformedNoteError();
  const note: Note = { text: body, sigs: [], unverifiedSigs: [] };
  const bodyBytes = utf8(body);
  const seen = new Set<string>();
  const seenUnverified = new Set<string>();
  for (const line of lines) {
    const { sig, bytes } = parseSignatureLine(line);
    let v: NoteVerifier;
    try {
      v = known.verifier(sig.name, sig.keyId);
    } catch (e) {
      if (!(e instanceof UnknownVerifierError)) throw e;
      if (!seenUnverified.has(line)) note.unverifiedSigs.push(sig);
      seenUnverified.add(line);
      continue;
    }
    if (v.name !== sig.name || v.keyId !== sig.keyId) throw new MismatchedVerifierError();
    const id = `${sig.name}+${sig.keyId}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (!v.verify(bodyBytes, bytes)) throw new InvalidSignatureError(sig.name, sig.keyId);
    note.sigs.push(sig);
  }
  if (note.sigs.length === 0) throw new UnverifiedNoteError(note);
  return note;
}

/**
 * Signs a note (Go note.Sign): the text, a blank line, the existing signatures not replaced by a new signer
 * (same name and key ID), then the new signatures in order.
 */
export function signNote(
  note: { text: string; sigs?: readonly NoteSignature[]; unverifiedSigs?: readonly NoteSignature[] },
  signers: readonly NoteSigner[],
): string {
  if (typeof note.text !== 'string' || !note.text.endsWith('\n')) throw new MalformedNoteError();
  const textBytes = utf8(note.text);
  const replaced = new Set<string>();
  const fresh: string[] = [];
  for (const s of signers) {
    replaced.add(`${s.name}+${s.keyId}`);
    if (!isValidKeyName(s.name)) throw new TypeError('signers: invalid signer name');
    const b64 = toBase64(concatBytes(u32be(s.keyId), s.sign(textBytes)));
    fresh.push(`${SIG_PREFIX}${s.name} ${b64}\n`);
  }
  let out = `${note.text}\n`;
  for (const sig of [...(note.sigs ?? []), ...(note.unverifiedSigs ?? [])]) {
    if (!isValidKeyName(sig.name)) throw new MalformedNoteError();
    if (replaced.has(`${sig.name}+${sig.keyId}`)) continue;
    const raw = fromBase64(sig.base64);
    if (!raw || raw.length < 4 || readU32be(raw, 0) !== sig.keyId) throw new MalformedNoteError();
    out += `${SIG_PREFIX}${sig.name} ${sig.base64}\n`;
  }
  return out + fresh.join('');
}

/** Every signature line of a note, without verifying anything (for cosignature policies and reports). */
export function noteSignatureLines(msg: string): {
  text: string;
  sigs: { sig: NoteSignature; bytes: Uint8Array }[];
} {
  const split = msg.lastIndexOf('\n\n');
  if (split < 0 || !msg.endsWith('\n')) throw new MalformedNoteError();
  const lines = msg.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw new MalformedNoteError();
  return { text: msg.slice(0, split + 1), sigs: lines.map(parseSignatureLine) };
}
