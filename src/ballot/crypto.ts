// The two backends a secret ballot is checked with, passed to whoever checks (never installed process-wide): the
// group (noble, portable; or libsodium's WebAssembly, faster, identical bytes) and, optionally, a native
// RSASSA-PSS-VERIFY for the blind signatures of credentials (node:crypto's in src/node/rsa-pss-native.ts).
import type { Group } from './group.ts';
import { nobleGroup } from './noble-group.ts';
import type { RsaPssVerifier } from './rfc9474.ts';
import type { MixList } from './mixnet/shuffle.ts';

export interface BallotCrypto {
  group: Group;
  /** RFC 9474 verification after the size checks; absent: the pure bigint one. */
  rsaPssVerify?: RsaPssVerifier;
  /**
   * Ballot bodies (the very objects, not equal copies) whose checks 5.1 and 5.4–5.7 passed before the
   * organisation's queue, on the server's worker threads (src/node/ballot-checks.ts): the core then runs only the
   * cheap checks that depend on the board's state or the time (checkBallotQueued). Absent: every check in the queue.
   */
  preverified?: {
    has(ballot: object): boolean;
    /**
     * Whether this very shuffle body's proof was verified against this input list (the same bytes of both) before
     * the queue, on the server's worker threads (src/server/mix-checks.ts). Absent or false: verified in the queue.
     */
    shuffle?(body: object, input: MixList): boolean;
    /** Likewise for a trustee's decryption of the final mixed list. */
    mixDecryption?(body: object, list: MixList): boolean;
  };
}

/** Pure code only: what the browser and the core use when given nothing else. */
export const portableCrypto: BallotCrypto = { group: nobleGroup };
