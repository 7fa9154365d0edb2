// Named errors of the record layer. Corrupt or malformed input throws one of these (or TypeError/RangeError for
// misuse); an expected negative outcome (a proof that does not verify, a policy not met) is a returned value.

export class RecordError extends Error {
  override name = 'RecordError';
}

/** A signed note that breaks the C2SP signed-note grammar (Go: errMalformedNote). */
export class MalformedNoteError extends RecordError {
  override name = 'MalformedNoteError';
  constructor(detail = 'malformed note') {
    super(detail);
  }
}

/** A verifier or signer key string that does not parse or whose key hash does not match. */
export class InvalidKeyError extends RecordError {
  override name = 'InvalidKeyError';
}

/** A signature by a known key that does not verify: the whole note is rejected (signed-note §Signatures). */
export class InvalidSignatureError extends RecordError {
  override name = 'InvalidSignatureError';
  constructor(
    readonly keyName: string,
    readonly keyId: number,
  ) {
    super(`invalid signature for key ${keyName}+${keyId.toString(16).padStart(8, '0')}`);
  }
}

/** No signature of the note is by a known key; `note` carries what was parsed. */
export class UnverifiedNoteError extends RecordError {
  override name = 'UnverifiedNoteError';
  constructor(readonly note: unknown) {
    super('note has no verifiable signatures');
  }
}

export class UnknownVerifierError extends RecordError {
  override name = 'UnknownVerifierError';
  constructor(keyName: string, keyId: number) {
    super(`unknown key ${keyName}+${keyId.toString(16).padStart(8, '0')}`);
  }
}

export class AmbiguousVerifierError extends RecordError {
  override name = 'AmbiguousVerifierError';
  constructor(keyName: string, keyId: number) {
    super(`ambiguous key ${keyName}+${keyId.toString(16).padStart(8, '0')}`);
  }
}

/** A verifier lookup returned a key whose name or id differs from the signature line's. */
export class MismatchedVerifierError extends RecordError {
  override name = 'MismatchedVerifierError';
  constructor() {
    super("verifier name or hash doesn't match signature");
  }
}

/** A checkpoint body that breaks C2SP tlog-checkpoint, or a checkpoint not signed by the log. */
export class MalformedCheckpointError extends RecordError {
  override name = 'MalformedCheckpointError';
}

/** A tile, tile path or entry bundle that breaks C2SP tlog-tiles. */
export class MalformedTileError extends RecordError {
  override name = 'MalformedTileError';
  constructor(
    message: string,
    /** The tile or bundle path, when known. */
    readonly tile?: string,
  ) {
    super(message);
  }
}
