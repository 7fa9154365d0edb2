// C2SP tlog-checkpoint and tlog-cosignature: transparency-dev/formats vectors, including the real sum.golang.org
// checkpoint (test/vectors/signed-note/checkpoint-vectors.json), and round trips of our own witness keys.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { toBase64, toHex } from '../../src/record/bytes.ts';
import { parseSignerKey, parseVerifierKey } from '../../src/record/note-keys.ts';
import { noteSignatureLines, openNote, signNote, VerifierList } from '../../src/record/signed-note.ts';
import {
  formatCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  signCheckpoint,
} from '../../src/record/tlog-checkpoint.ts';
import {
  addCosignatures,
  checkWitnessPolicy,
  cosignatureMessage,
  encodeCosignerKeyPair,
  parseCosignatureVerifierKey,
  parseCosignerKey,
  parseWitnessPolicy,
} from '../../src/record/tlog-cosignature.ts';
import { encodeKeyPair } from '../../src/record/note-keys.ts';

const v = JSON.parse(readFileSync('test/vectors/signed-note/checkpoint-vectors.json', 'utf8'));

describe('tlog-checkpoint: the real sum.golang.org checkpoint', () => {
  const real = v.real_checkpoints[0];
  const logKey = parseVerifierKey(real.verifier_key);
  for (const c of real.parse_cases) {
    test(c.desc, () => {
      const open = () => openCheckpoint(real.signed_note, c.expected_origin, logKey);
      if (c.want_error) return assert.throws(open);
      const { checkpoint } = open();
      assert.equal(checkpoint.origin, real.want_origin);
      assert.equal(checkpoint.size, real.want_size);
      assert.equal(toHex(checkpoint.rootHash), real.want_root_hash_hex);
      assert.equal(formatCheckpoint(checkpoint), real.body);
    });
  }
  for (const c of v.additional_signatures.cases) {
    test(`cosigned: ${c.desc}`, () => {
      const { note } = openCheckpoint(
        c.signed_note,
        real.want_origin,
        logKey,
        c.verifiers.map(parseVerifierKey),
      );
      assert.equal(note.sigs.length, 1 + c.verifiers.length);
    });
  }
  test('a flipped bit in the body or the signature is caught', () => {
    const flipped = real.signed_note.replace('6476701', '6476702');
    assert.throws(() => openCheckpoint(flipped, real.want_origin, logKey), { name: 'InvalidSignatureError' });
  });
});

describe('tlog-checkpoint: TestParseCheckpoint', () => {
  const keys = new Map<string, { verifier_key: string; signer_key: string }>(
    v.test_keys.keys.map((k: { name: string }) => [k.name, k]),
  );
  const vk = (n: string) => parseVerifierKey(keys.get(n)!.verifier_key);
  for (const c of v.parse_checkpoint_cases.cases) {
    test(c.desc, () => {
      const body = c.body === 'default' ? v.parse_checkpoint_cases.body : c.body;
      const signers = c.signers.map((n: string) => parseSignerKey(keys.get(n)!.signer_key));
      if (signers.length === 0) {
        // A note without signatures cannot even be written (signed-note needs one or more lines).
        assert.throws(() => openCheckpoint(`${body}\n`, c.logID, vk('Log'), [vk('Known'), vk('KnownAgain')]));
        return;
      }
      const signed = signNote({ text: body }, signers);
      const open = () => openCheckpoint(signed, c.logID, vk('Log'), [vk('Known'), vk('KnownAgain')]);
      if (c.want_error) assert.throws(open);
      else assert.doesNotThrow(open);
      const note = openNote(signed, new VerifierList(['Log', 'Known', 'KnownAgain'].map(vk)));
      assert.equal(note.sigs.length, c.want_sigs);
    });
  }
});

describe('tlog-checkpoint grammar', () => {
  const root = new Uint8Array(32).fill(7);
  test('round trip with extension lines', () => {
    const cp = { origin: 'example.org/log', size: 5, rootHash: root, extensions: ['ext one', 'two'] };
    assert.deepEqual(parseCheckpoint(formatCheckpoint(cp)), cp);
  });
  for (const [desc, text] of [
    ['leading zero in size', `o\n05\n${toBase64(root)}\n`],
    ['empty origin', `\n5\n${toBase64(root)}\n`],
    ['no final newline', `o\n5\n${toBase64(root)}`],
    ['two lines', `o\n5\n`],
    ['empty extension line', `o\n5\n${toBase64(root)}\n\n`],
    ['bad base64', `o\n5\n***\n`],
    ['negative size', `o\n-5\n${toBase64(root)}\n`],
  ]) {
    test(`rejects ${desc}`, () =>
      assert.throws(() => parseCheckpoint(text!), { name: 'MalformedCheckpointError' }));
  }
});

describe('tlog-cosignature (type 0x04) and witness policy', () => {
  const seed = (b: number) => new Uint8Array(32).fill(b);
  const log = encodeKeyPair('example.org/log', seed(1));
  const w1 = encodeCosignerKeyPair('witness.example/w1', seed(2));
  const w2 = encodeCosignerKeyPair('witness.example/w2', seed(3));
  const w3 = encodeCosignerKeyPair('witness.example/w3', seed(4));
  const cp = { origin: 'example.org/log', size: 3, rootHash: seed(9), extensions: [] };
  const signed = signCheckpoint(cp, [parseSignerKey(log.signerKey)]);
  const text = formatCheckpoint(cp);
  const cosigned = addCosignatures(signed, [
    parseCosignerKey(w1.signerKey).cosign(text, 1679315147n),
    parseCosignerKey(w2.signerKey).cosign(text, 1679315150n),
  ]);

  test('the signed message is the spec example shape', () => {
    assert.equal(
      new TextDecoder().decode(cosignatureMessage(text, 1679315147n)),
      `cosignature/v1\ntime 1679315147\nexample.org/log\n3\n${toBase64(seed(9))}\n`,
    );
  });
  test('a cosigner key is type 0x04 and is not a note (0x01) key', () => {
    assert.doesNotThrow(() => parseCosignatureVerifierKey(w1.verifierKey));
    assert.throws(() => parseVerifierKey(w1.verifierKey));
    assert.throws(() => parseCosignatureVerifierKey(log.verifierKey));
  });
  test('the log signature still opens; cosignatures are unknown to the log verifier', () => {
    const { note } = openCheckpoint(cosigned, cp.origin, parseVerifierKey(log.verifierKey));
    assert.equal(note.unverifiedSigs.length, 2);
  });
  test('2 of 3 witnesses: met, with timestamps', () => {
    const { text: t, sigs } = noteSignatureLines(cosigned);
    const r = checkWitnessPolicy(t, sigs, {
      witnesses: [w1.verifierKey, w2.verifierKey, w3.verifierKey],
      required: 2,
    });
    assert.equal(r.ok, true);
    assert.deepEqual(
      r.cosigned.map((c) => c.timestamp),
      [1679315147n, 1679315150n],
    );
  });
  test('3 of 3 witnesses: not met', () => {
    const { text: t, sigs } = noteSignatureLines(cosigned);
    const r = checkWitnessPolicy(t, sigs, {
      witnesses: [w1.verifierKey, w2.verifierKey, w3.verifierKey],
      required: 3,
    });
    assert.equal(r.ok, false);
  });
  test('a malformed policy is misuse and throws, naming the field', () => {
    assert.throws(() => parseWitnessPolicy({ witnesses: [w1.verifierKey], required: 2 }), /policy\.required/);
    assert.throws(
      () => parseWitnessPolicy({ witnesses: [w1.verifierKey, w1.verifierKey], required: 2 }),
      /policy\.required/,
    );
    assert.throws(() => parseWitnessPolicy({ witnesses: [log.verifierKey], required: 1 }), /witness key/);
  });
  test('a cosignature over another checkpoint is invalid', () => {
    const other = formatCheckpoint({ ...cp, size: 4 });
    const forged = addCosignatures(signed, [parseCosignerKey(w1.signerKey).cosign(other, 1n)]);
    const { text: t, sigs } = noteSignatureLines(forged);
    const r = checkWitnessPolicy(t, sigs, { witnesses: [w1.verifierKey], required: 1 });
    assert.equal(r.ok, false);
    assert.deepEqual(r.invalid, ['witness.example/w1']);
  });
  test('opening with the witness as a verifier checks the cosignature too', () => {
    const wv = parseCosignatureVerifierKey(w1.verifierKey);
    const { note } = openCheckpoint(cosigned, cp.origin, parseVerifierKey(log.verifierKey), [wv]);
    assert.equal(note.sigs.length, 2);
  });
});
