// The verifiable re-encryption mix-net for secret ranked ballots (docs/MIXNET.md).
export {
  shuffle,
  verifyShuffle,
  mixGenerators,
  type CiphertextHex,
  type MixList,
  type ShuffleBody,
  type ShuffleProof,
  type ShuffleVerdict,
} from './shuffle.ts';
export {
  encryptRanking,
  encryptRanks,
  checkRankedBallot,
  verifyRankedBallots,
  openRanked,
  spoilRanked,
  verifySpoiledRanked,
  type SpoiledRankedBody,
  mixInput,
  rankedCandidates,
  rankedWidth,
  ranksOf,
  encodeRanks,
  decodeRanking,
  RANKS_PER_POINT,
  MAX_RANKED_CANDIDATES,
  type DecodedRanking,
  type RankedBallotBody,
  type RankedCiphertext,
  type RankedVerdict,
} from './ranked.ts';
export {
  mixPartialDecrypt,
  verifyMixPartial,
  combineMix,
  decodeRankings,
  verifyMixResult,
  type MixCombination,
  type MixDecryptionBody,
  type MixResultBody,
} from './decrypt.ts';
export { signShuffle, signedShuffles, shuffleDigest, shuffleSignatureProblem, mixerKeys } from './sign.ts';
export { verifyMixBoard, type MixBoard, type MixCheck, type MixReport } from './verify.ts';
