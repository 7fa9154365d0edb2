// The ballot backends of a Node process (the server, `councils verify`): libsodium's WebAssembly group, 2–5× faster
// than noble with identical bytes (docs/performance/ballot.md), hashing with node:crypto's SHA-256 (3–7× faster than
// noble's on a ballot's messages of 100–1,200 bytes), and node:crypto's RSASSA-PSS-VERIFY, about fifty times faster
// than bigint. Passed to whoever checks ballots (CouncilsService, replayEntries, the worker threads), never installed.
import { hash } from 'node:crypto';
import { sodiumGroup, withSha256, type BallotCrypto } from '../ballot/index.ts';
import { nativeRsaPssVerify } from './rsa-pss-native.ts';

/** node:crypto's one-shot SHA-256 (Node ≥ 20.12). */
export const nativeSha256 = (data: Uint8Array): Uint8Array => hash('sha256', data, 'buffer');

export const nodeBallotCrypto: BallotCrypto = {
  group: withSha256(await sodiumGroup(), nativeSha256),
  rsaPssVerify: nativeRsaPssVerify,
};
