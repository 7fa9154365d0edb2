// The shapes of the trustees' decryption duty (decryption.ts), apart so that the state's types can name them
// without importing the decisions (an import cycle through model.ts and votes/decide.ts otherwise).

export interface DecryptionCommand {
  type: 'call_for_decryption';
  voteId: string;
}

/** The payload of `decryption_due`. */
export interface DecryptionDue {
  voteId: string;
  /** When the vote ends not decrypted unless k trustees have decrypted; null: the procedure sets no deadline. */
  decryptBy: string | null;
  /** The trustees (members, in trustee order) whose partial decryption is awaited. */
  awaited: string[];
  /**
   * Written by every duty since 2026-12-07: a share dated at or after decryptBy is refused (lateShare). A duty
   * recorded before then lacks it: a late share posted before the scheduler failed the vote was taken then, and the
   * replay of such a record takes it still (an honest old record must go on verifying).
   */
  refusesLate?: true;
}

/** What a `vote_failed` entry says of a vote whose trustees did not decrypt it in time. */
export interface NotDecrypted {
  decryptBy: string;
  /** Valid partial decryptions posted, and how many were needed (k). */
  shares: number;
  needed: number;
  /** The trustees who could have decrypted and did not (members, in trustee order). */
  awaited: string[];
}

/** The secret vote's duty as recorded (the state of `decryption_due`), or undefined before it. */
export type DecryptionDuty = DecryptionDue & { calledAt: string; seq: number };
