// Misuse or corrupt input throws one of these; an invalid proof or a rejected ballot is a returned value.

/** Bytes, hex or a structure that cannot be decoded (wrong length, non-canonical point or scalar, bad shape). */
export class BallotFormatError extends Error {
  override name = 'BallotFormatError';
}

/** A protocol step called out of order or with inconsistent parameters (e.g. k > n, too few trustees). */
export class BallotProtocolError extends Error {
  override name = 'BallotProtocolError';
}
