// The public API of the verifiable secret ballot (docs/BALLOT-PROTOCOL.md §9).
export type { Group, Point, ScalarOps } from './group.ts';
export { withSha256 } from './group.ts';
export { ballotHash, type BallotHash, type Sha256 } from './hash.ts';
export { nobleGroup } from './noble-group.ts';
export { sodiumGroup } from './sodium-group.ts';
export type { RandomBytes } from './bytes.ts';
export { toHex, fromHex } from './bytes.ts';
export type { Hex } from './codec.ts';
export { BallotFormatError, BallotProtocolError } from './errors.ts';
export { expandMessageXmd } from './rfc9380.ts';
export { hashBytes, hashToScalar } from './hash.ts';
export { makeSetup, validateManifest, type Contest, type Manifest, type SetupBody } from './manifest.ts';
export {
  dkgCommit,
  dkgShares,
  dkgReceive,
  type DkgAccusationBody,
  type DkgCommitBody,
  type DkgSharesBody,
  type TrusteeSecret,
} from './dkg.ts';
export { dkgResult, trusteeShare, type KeyResult, type TrusteeShare } from './dkg-result.ts';
export {
  makeCredential,
  credentialPublic,
  makeElection,
  credentialParts,
  electionForBooth,
  joinCredentialParts,
  listedOf,
  listless,
  withListed,
  CREDENTIAL_PART_BYTES,
  type CredentialEntry,
  type CredentialListSummary,
  type CredentialsBody,
  type Election,
} from './election.ts';
export {
  ballotBytes,
  encryptBallot,
  type BallotBody,
  type EncryptedContest,
  type EncryptedSelection,
} from './ballot.ts';
export {
  checkBallot,
  checkBallotQueued,
  verifyBallotBody,
  verifyBallotsBatched,
  BATCH_BALLOTS,
  type BatchOptions,
  type Verdict,
} from './check-ballot.ts';
export { openBallot, spoilBallot, verifySpoiled, type SpoiledBody } from './challenge.ts';
export {
  aggregate,
  addSums,
  subSums,
  selectLast,
  sumBallots,
  combine,
  discreteLog,
  partialDecrypt,
  verifyPartial,
  type Aggregate,
  type CastBallot,
  type PartialDecryptionBody,
  type ResultBody,
} from './tally.ts';
export { rangeProve, rangeVerify, rangeVerifyBatch, type RangeProof } from './range-proof.ts';
export type { SchnorrProof } from './schnorr.ts';
export type { DleqProof } from './dleq.ts';
export type { Board, BoardEntry } from './board.ts';
export { PHASE } from './board.ts';
export { entryShape, unknownMember } from './shape.ts';
export {
  countedIndices,
  electionFromBoard,
  electionFromKey,
  boardAggregate,
  boardKey,
  finishBoard,
  prepareBoard,
  verifyBallotChunk,
  verifyBoard,
  StreamedBoard,
  type BallotFailure,
  type BallotItem,
  type Check,
  type PreparedBoard,
  type Report,
} from './verifier.ts';
export { voterCheck, type VoterCheck } from './voter-check.ts';
export {
  RSABSSA_SHA384_PSS_DETERMINISTIC,
  RSABSSA_SHA384_PSS_RANDOMIZED,
  blind as rsaBlind,
  finalize as rsaFinalize,
  verify as rsaVerify,
  checkBlindSignature,
  type RsaPssVerifier,
  type RsaPublicKey,
  type Rsabssa,
} from './rfc9474.ts';
export { portableCrypto, type BallotCrypto } from './crypto.ts';
export {
  CREDENTIAL_SIGNATURE,
  checkSignedList,
  finishToken,
  issuerKeysHash,
  issuerPublicKey,
  requestToken,
  sortSigned,
  tokenMessage,
  verifyToken,
  type IssuerKey,
  type ListFailure,
  type SignedCredential,
} from './credential-token.ts';
export * from './mixnet/index.ts';
export { hashToPoint } from './hash.ts';
