// The ballot backends of a Node process (the server, `councils verify`): libsodium's WebAssembly group, 2–5× faster
// than noble with identical bytes (docs/performance/ballot.md), and node:crypto's RSASSA-PSS-VERIFY, about fifty
// times faster than bigint. Passed to whoever checks ballots (CouncilsService, replayEntries), never installed.
import { sodiumGroup, type BallotCrypto } from '../ballot/index.ts';
import { nativeRsaPssVerify } from './rsa-pss-native.ts';

export const nodeBallotCrypto: BallotCrypto = {
  group: await sodiumGroup(),
  rsaPssVerify: nativeRsaPssVerify,
};
