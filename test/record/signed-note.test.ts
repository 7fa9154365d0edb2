// C2SP signed-note against golang/mod sumdb/note vectors (test/vectors/signed-note/golang-note-vectors.json).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fromHex, toHex, utf8 } from '../../src/record/bytes.ts';
import {
  formatKeyId,
  parseSignerKey,
  parseVerifierKey,
  type NoteSigner,
  type NoteVerifier,
} from '../../src/record/note-keys.ts';
import { openNote, signNote, VerifierList, type NoteVerifiers } from '../../src/record/signed-note.ts';

const v = JSON.parse(readFileSync('test/vectors/signed-note/golang-note-vectors.json', 'utf8'));
const keys = new Map<string, { verifier_key: string; signer_key: string; key_hash_hex: string }>(
  v.keys.map((k: { name: string }) => [k.name, k]),
);
const verifier = (name: string) => parseVerifierKey(keys.get(name)!.verifier_key);
const signer = (name: string) => parseSignerKey(keys.get(name)!.signer_key);
const sigOf = (s: { name: string; hash_hex: string; base64: string }) => ({
  name: s.name,
  keyId: parseInt(s.hash_hex, 16),
  base64: s.base64,
});
const plain = (sigs: { name: string; keyId: number; base64: string }[]) =>
  sigs.map((s) => ({ name: s.name, hash_hex: formatKeyId(s.keyId), base64: s.base64 }));

describe('signed-note keys', () => {
  for (const k of v.keys) {
    test(`${k.name}: verifier and signer keys parse and agree`, () => {
      const vk = parseVerifierKey(k.verifier_key);
      const sk = parseSignerKey(k.signer_key);
      assert.equal(vk.name, k.name);
      assert.equal(formatKeyId(vk.keyId), k.key_hash_hex);
      assert.equal(sk.keyId, vk.keyId);
    });
  }
  for (const bad of v.verifier_key_tests.invalid_explicit) {
    test(`invalid verifier key: ${bad.why}`, () => assert.throws(() => parseVerifierKey(bad.key)));
  }
  for (const kind of ['verifier_key', 'signer_key'] as const) {
    test(`every proper substring and every one-byte increment of PeterNeumann's ${kind} is rejected`, () => {
      const key: string = keys.get('PeterNeumann')![kind];
      const parse = kind === 'verifier_key' ? parseVerifierKey : parseSignerKey;
      assert.doesNotThrow(() => parse(key));
      for (let i = 0; i <= key.length; i++) {
        for (let j = i; j <= key.length; j++) {
          if (i === 0 && j === key.length) continue;
          assert.throws(() => parse(key.slice(i, j)), `${kind}[${i}:${j}]`);
        }
      }
      for (let i = 0; i < key.length; i++) {
        const bumped = key.slice(0, i) + String.fromCharCode(key.charCodeAt(i) + 1) + key.slice(i + 1);
        assert.throws(() => parse(bumped), `${kind} with byte ${i} incremented`);
      }
    });
  }
  for (const c of v.verifier_list_tests) {
    test(`verifier list lookup ${c.lookup_name}+${c.lookup_hash_hex}`, () => {
      const list = new VerifierList(c.list.map(verifier));
      if (c.want) assert.equal(list.verifier(c.lookup_name, parseInt(c.lookup_hash_hex, 16)).name, c.want);
      else
        assert.throws(() => list.verifier(c.lookup_name, parseInt(c.lookup_hash_hex, 16)), {
          message: c.want_error,
        });
    });
  }
  test('sign/verify round trip; a changed signature or message fails', () => {
    const s = signer('PeterNeumann');
    const vk = verifier('PeterNeumann');
    const msg = utf8(v.sign_verify_roundtrip.msg);
    const sig = s.sign(msg);
    assert.equal(vk.verify(msg, sig), true);
    const sig2 = sig.slice();
    sig2[0]! += 1;
    assert.equal(vk.verify(msg, sig2), false);
    const msg2 = msg.slice();
    msg2[0]! += 1;
    assert.equal(vk.verify(msg2, sig), false);
  });
});

describe('signed-note sign (note.Sign)', () => {
  for (const c of v.sign_vectors) {
    test(c.desc, () => {
      const signers: NoteSigner[] = c.signers.map((n: string) =>
        n.startsWith('(')
          ? { ...signer('PeterNeumann'), name: 'bad name', sign: signer('PeterNeumann').sign }
          : signer(n),
      );
      const run = () => {
        if (c.input_signed_note) {
          const note = openNote(c.input_signed_note, new VerifierList(c.open_with.map(verifier)));
          return signNote(note, signers);
        }
        return signNote({ text: c.text, sigs: c.existing_sigs.map(sigOf) }, signers);
      };
      if (c.want_error) assert.throws(run);
      else assert.equal(run(), c.want);
    });
  }
});

describe('signed-note open (note.Open)', () => {
  for (const c of v.open_vectors) {
    test(c.desc, () => {
      const msg = fromHex(c.msg_hex);
      let known: NoteVerifiers;
      if (c.verifiers[0]?.startsWith('(')) {
        const peter: NoteVerifier = verifier('PeterNeumann');
        known = { verifier: () => peter };
      } else known = new VerifierList(c.verifiers.map(verifier));
      if (c.want_error) {
        assert.throws(
          () => openNote(msg, known),
          (e: Error & { note?: { text: string; unverifiedSigs: never[] } }) => {
            assert.equal(e.message, c.want_error);
            if (c.want_error_kind) assert.equal(e.name, c.want_error_kind);
            if (c.want_unverified_sigs)
              assert.deepEqual(plain(e.note!.unverifiedSigs), c.want_unverified_sigs);
            return true;
          },
        );
        return;
      }
      const note = openNote(msg, known);
      assert.equal(note.text, c.want_text);
      assert.deepEqual(plain(note.sigs), c.want_sigs);
      assert.deepEqual(plain(note.unverifiedSigs), c.want_unverified_sigs);
      // The same message given as a string opens the same way.
      if (c.msg) assert.deepEqual(openNote(c.msg, known), note);
    });
  }
  test('ExampleOpen output', () => {
    const e = v.example_open_output;
    const note = openNote(e.msg, new VerifierList(e.verifiers.map(verifier)));
    assert.equal(`${note.sigs[0]!.name} (${formatKeyId(note.sigs[0]!.keyId)}):\n${note.text}`, e.want_stdout);
  });
  test('the published signature lines are what signing produces', () => {
    for (const [name, line] of Object.entries(v.signature_lines as Record<string, string>)) {
      const text = v.sign_vectors[0].text;
      assert.equal(signNote({ text }, [signer(name)]), `${text}\n${line}`);
      assert.equal(toHex(utf8(line)).slice(0, 8), 'e2809420');
    }
  });
});
