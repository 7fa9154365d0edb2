// Signed shuffles (docs/MIXNET.md §12 "The operator and the mixers' slots"): the mixer of slot j (trustee j) signs
// its shuffle with its key-generation communication key Y_j, which its `dkg-commit` put on the board with a proof of
// possession, so that anyone can tell from the record alone that the shuffle in slot j is trustee j's and not the
// operator's. The signature is the ballot signature's Schnorr form (schnorr.ts, tag "schnorr") over a digest that
// binds the election, the slot, the chain position, the input list, the output list and the proof.
import { concat, fromHex, u32, type RandomBytes } from '../bytes.ts';
import { hashBytes } from '../hash.ts';
import type { Group } from '../group.ts';
import type { Election } from '../election.ts';
import type { DkgCommitBody } from '../dkg.ts';
import { pointFromHex, scalarFromHex, type Hex } from '../codec.ts';
import { BallotFormatError } from '../errors.ts';
import { schnorrProve, schnorrVerify, type SchnorrProof } from '../schnorr.ts';
import type { MixList, ShuffleBody } from './shuffle.ts';

/** Whether the election's manifest requires every shuffle to be signed by its slot's mixer. */
export const signedShuffles = (election: Pick<Election, 'setup'>): boolean =>
  election.setup.manifest.shuffles === 'signed';

const bytes32 = (x: Hex, name: string) => fromHex(x, 32, name);

/** E(list): every α and β in order, 32 bytes each (§4.2). */
function listBytes(list: MixList, name: string): Uint8Array {
  if (!Array.isArray(list)) throw new BallotFormatError(`${name}: not a list`);
  return concat(
    list.flatMap((v, i) =>
      (Array.isArray(v) ? v : []).flatMap((c, k) => [
        bytes32(c?.alpha, `${name}[${i}][${k}].alpha`),
        bytes32(c?.beta, `${name}[${i}][${k}].beta`),
      ]),
    ),
  );
}

/**
 * d = H("mix-shuffle-signed"; H_E, u32(slot), u32(mixer), H("mix-list"; E(input)), H("mix-list"; E(output)),
 * H("mix-proof"; every proof value in §10's order)). Throws BallotFormatError on a value that is not 32 bytes of hex.
 */
export function shuffleDigest(
  election: Election,
  slot: number,
  input: MixList,
  body: ShuffleBody,
): Uint8Array {
  const p = body.proof;
  if (typeof p !== 'object' || p === null) throw new BallotFormatError('shuffle.proof: not an object');
  const many = (xs: Hex[], name: string) =>
    (Array.isArray(xs) ? xs : []).map((x, i) => bytes32(x, `${name}[${i}]`));
  const proof = concat([
    ...many(p.commitments, 'commitments'),
    ...many(p.chain, 'chain'),
    bytes32(p.t1, 't1'),
    bytes32(p.t2, 't2'),
    bytes32(p.t3, 't3'),
    listBytes([p.t4], 't4'),
    ...many(p.tHat, 'tHat'),
    bytes32(p.s1, 's1'),
    bytes32(p.s2, 's2'),
    bytes32(p.s3, 's3'),
    ...many(p.s4, 's4'),
    ...many(p.sHat, 'sHat'),
    ...many(p.sPrime, 'sPrime'),
  ]);
  return hashBytes('mix-shuffle-signed', [
    bytes32(election.fingerprint, 'election'),
    u32(slot),
    u32(body.mixer),
    hashBytes('mix-list', [listBytes(input, 'input')]),
    hashBytes('mix-list', [listBytes(body.ciphertexts, 'ciphertexts')]),
    hashBytes('mix-proof', [proof]),
  ]);
}

/** The mixer of `slot` signs its shuffle of `input` with its communication secret y (dkg.ts's TrusteeSecret). */
export function signShuffle(
  g: Group,
  election: Election,
  slot: number,
  input: MixList,
  body: ShuffleBody,
  communicationSecret: Hex,
  randomBytes: RandomBytes,
): ShuffleBody & { signature: SchnorrProof } {
  const { mixer, ciphertexts, proof } = body;
  const y = scalarFromHex(communicationSecret, 'communicationSecret');
  const d = shuffleDigest(election, slot, input, body);
  return { mixer, ciphertexts, proof, signature: schnorrProve(g, 'schnorr', [d], y, randomBytes) };
}

/**
 * Why `body` is not signed by the key `communicationKey` of slot `slot`'s mixer for this input, or null. Never throws
 * on board data.
 */
export function shuffleSignatureProblem(
  g: Group,
  election: Election,
  slot: number,
  input: MixList,
  body: ShuffleBody,
  communicationKey: Hex | undefined,
): string | null {
  if (body.signature === undefined) return `not signed (slot ${slot}'s mixer must sign its shuffle)`;
  if (communicationKey === undefined) return `slot ${slot} has no key on the board`;
  const sig: unknown = body.signature;
  if (typeof sig !== 'object' || sig === null || Array.isArray(sig)) return 'signature: not an object';
  try {
    const Y = pointFromHex(g, communicationKey, 'communicationKey');
    const d = shuffleDigest(election, slot, input, body);
    return schnorrVerify(g, 'schnorr', [d], Y, body.signature)
      ? null
      : `the signature is not slot ${slot}'s mixer's over this shuffle`;
  } catch (e) {
    if (e instanceof BallotFormatError) return `signature: ${e.message}`;
    throw e;
  }
}

/** Each trustee's communication key from the board's `dkg-commit` messages (the first per trustee). */
export function mixerKeys(commits: readonly DkgCommitBody[]): Record<number, Hex> {
  const keys: Record<number, Hex> = {};
  for (const c of commits)
    if (Number.isInteger(c?.trustee) && keys[c.trustee] === undefined) keys[c.trustee] = c.communicationKey;
  return keys;
}
