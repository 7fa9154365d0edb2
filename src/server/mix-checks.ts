// Mixed votes' proofs checked before the organisation's queue (issue 20, docs/MIXNET.md §16.9): a shuffle's proof
// and a trustee's decryption proofs of the mixed list are verified on the ballot-check worker threads
// (src/node/ballot-checks.ts), so that the queue, which runs one command after another for the whole organisation,
// keeps only the cheap checks (whose turn, the sender, the shape, that the list is the one checked).
//
// What a hostile mixer or trustee can and cannot do with it:
// - A body is let into the queue unverified (BallotCrypto.preverified.shuffle / mixDecryption) when, and only when,
//   a worker's verdict on it was ok and names the SHA-256 of the body's canonical JSON (the bytes the log will hold)
//   that this process computed itself from the very object it then gives to the ledger, and the queue finds the
//   same digest of that object's canonical JSON again and the same SHA-256 of the list it would verify against. A
//   list that changed meanwhile (another shuffle logged first), or a body that is not the one checked, is verified
//   fully in the queue: nothing unchecked reaches the log.
// - One check at a time per vote (each vote's checks wait in a chain), and the routes take a token per member from
//   a small bucket before reading the body (routes/secret.ts): a due mixer repeating well-formed invalid shuffles
//   through its turn holds at most one worker thread, for at most MIX_RATE's burst of checks and then one every
//   few minutes, and never the organisation's queue.
// - No verdict (no worker threads, a worker that ended mid-check): the queue verifies, as before.
import { createHash } from 'node:crypto';
import type { Election, MixList } from '../ballot/index.ts';
import type { BallotChecks } from '../node/ballot-checks.ts';
import { canonicalJson } from '../record/canonical-json.ts';
import type { RateLimit } from './rate-limit-spec.ts';

/** Posts of shuffles and mix decryptions per member: 20 at once, then one every 5 minutes. */
export const MIX_RATE: RateLimit = { burst: 20, perMinute: 0.2 };

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export class MixChecks {
  /** What this process verified since it started: passed, refused, no verdict; and bodies the queue took as verified. */
  readonly counts = { passed: 0, refused: 0, unanswered: 0, trusted: 0 };
  /** Bodies whose proofs passed: the SHA-256 of their text and of the list they were verified against. */
  private readonly passed = new WeakMap<object, { digest: string; list: string }>();
  /** Each list's SHA-256 by the list object (a logged list never changes). */
  private readonly lists = new WeakMap<object, string>();
  /** The last check waiting or running for each vote. */
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(private readonly threads: BallotChecks | null) {}

  /** The SHA-256 of a list's canonical JSON. */
  listDigest(list: MixList): string {
    let d = this.lists.get(list);
    if (d === undefined) {
      d = sha256(canonicalJson(list));
      this.lists.set(list, d);
    }
    return d;
  }

  /** Whether this very body, with the same bytes, passed against the same list here (BallotCrypto.preverified). */
  passedFor(body: object, list: MixList): boolean {
    const p = this.passed.get(body);
    const ok =
      p !== undefined && p.list === this.listDigest(list) && p.digest === sha256(canonicalJson(body));
    if (ok) this.counts.trusted++;
    return ok;
  }

  /**
   * Verifies `body` against `list` on a worker thread, after the vote's earlier checks: null when it passed (the
   * queue then takes it as verified), the reason when it failed, undefined when there was no verdict (no threads,
   * a worker that ended): the queue verifies it then.
   */
  async check(
    vote: string,
    election: Election,
    kind: 'shuffle' | 'mix-decryption',
    body: object,
    list: MixList,
  ): Promise<string | null | undefined> {
    const threads = this.threads;
    if (!threads) return undefined;
    const run = async (): Promise<string | null | undefined> => {
      const text = canonicalJson(body);
      const digest = sha256(text);
      const v = await threads.checkMix(election, { kind, list, text }).catch(() => undefined);
      if (!v || v.digest !== digest) {
        this.counts.unanswered++;
        return undefined;
      }
      if (!v.ok) {
        this.counts.refused++;
        return v.reason ?? 'proof invalid';
      }
      this.counts.passed++;
      this.passed.set(body, { digest, list: this.listDigest(list) });
      return null;
    };
    const mine = (this.chains.get(vote) ?? Promise.resolve()).then(run);
    const tail = mine.catch(() => {});
    this.chains.set(vote, tail);
    try {
      return await mine;
    } finally {
      if (this.chains.get(vote) === tail) this.chains.delete(vote);
    }
  }
}
