// The credential list of a board read as a stream (StreamedBoard, docs/BALLOT-PROTOCOL.md §4.2 and §8 "A board read
// as a stream"): each `credentials` entry's credentials are checked as it arrives and kept as 32 bytes and a weight
// in typed arrays, not as JSON objects (≈ 44 bytes a credential against ≈ 500 for the parsed list, its sorted copy
// and prepare's map), then sorted, hashed (H_C, §2, fed to SHA-256 in pieces) and looked up by binary search. The
// check 4 it makes is makeElection's over joinCredentialParts, failure for failure: the same part named, the same
// credential index, the same reason.
import { sha256 } from '@noble/hashes/sha2.js';
import { checkSignedList, type IssuerKey, type SignedCredential } from './credential-token.ts';
import { DST_PREFIX } from './hash.ts';
import { pointFromHex, type Hex } from './codec.ts';
import type { Group } from './group.ts';
import type { RsaPssVerifier } from './rfc9474.ts';
import { BallotFormatError, BallotProtocolError } from './errors.ts';
import {
  checkCredentialParts,
  type CredentialEntry,
  type CredentialListSummary,
  type CredentialsBody,
} from './election.ts';

/** What joinCredentialParts looks at of one `credentials` entry. */
interface PartMeta {
  part: unknown;
  parts: unknown;
  count: number;
}

const nibble = (c: number): number => (c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1);

/** The list's signatures checked as its parts arrive (setups with issuers, §4.1). */
export interface SignedListCheck {
  issuers: readonly IssuerKey[];
  setupHash: Hex;
  rsaPssVerify?: RsaPssVerifier;
}

/** A BallotFormatError or BallotProtocolError, as makeElection throws it, or the election's list. */
export type ListOutcome =
  | { ok: false; error: BallotFormatError | BallotProtocolError }
  | { ok: true; summary: CredentialListSummary; signatures: { index: number; reason: string }[] };

export class StreamedCredentialList {
  private readonly meta: PartMeta[] = [];
  private n = 0;
  private bytes = new Uint8Array(32 * 1024);
  private weights = new Float64Array(1024);
  /** The first credential makeElection would refuse for itself (not as a duplicate), with its index. */
  private bad: { index: number; error: BallotFormatError } | null = null;
  private readonly signatures: { index: number; reason: string }[] = [];
  /** After `finish`: the first four bytes of each sorted credential, big-endian, for the binary search. */
  private keys = new Uint32Array(0);
  private outcome: ListOutcome | null = null;

  constructor(
    private readonly g: Group,
    private readonly signed: SignedListCheck | null,
  ) {}

  /** One `credentials` entry's body, in board order (its shape checked: check 1). */
  add(body: CredentialsBody): void {
    if (this.outcome) throw new Error('StreamedCredentialList: a part after the list was finished');
    const list: unknown = body?.credentials;
    const count = Array.isArray(list) ? list.length : 0;
    this.meta.push({ part: body?.part, parts: body?.parts, count: Array.isArray(list) ? count : -1 });
    if (!Array.isArray(list)) return;
    const first = this.n;
    if (this.signed)
      for (const f of checkSignedList(
        this.signed.issuers,
        this.signed.setupHash,
        list as SignedCredential[],
        undefined,
        this.signed.rsaPssVerify,
      ))
        this.signatures.push({ index: first + f.index, reason: f.reason });
    for (const c of list as CredentialEntry[]) {
      const i = this.n++;
      if (this.bad) continue; // makeElection stops at the first: what follows is not kept
      const error = this.refusal(c, i);
      if (error) {
        this.bad = { index: i, error };
        continue;
      }
      if (32 * (i + 1) > this.bytes.length) {
        const b = new Uint8Array(this.bytes.length * 2);
        b.set(this.bytes);
        this.bytes = b;
        const w = new Float64Array(this.weights.length * 2);
        w.set(this.weights);
        this.weights = w;
      }
      const s = c.credential;
      for (let j = 0; j < 32; j++)
        this.bytes[32 * i + j] = (nibble(s.charCodeAt(2 * j)) << 4) | nibble(s.charCodeAt(2 * j + 1));
      this.weights[i] = c.weight;
    }
  }

  /** normaliseCredentials' checks of one credential, in its order, but for duplicates (found after the sort). */
  private refusal(c: CredentialEntry, i: number): BallotFormatError | null {
    try {
      const X = pointFromHex(this.g, c.credential, `credentials[${i}].credential`);
      if (this.g.eq(X, this.g.identity))
        return new BallotFormatError(`credentials[${i}].credential: the identity`);
    } catch (e) {
      if (e instanceof BallotFormatError) return e;
      throw e;
    }
    if (!Number.isSafeInteger(c.weight) || c.weight < 1)
      return new BallotFormatError(`credentials[${i}].weight`);
    return null;
  }

  /** The list ends: joinCredentialParts' and makeElection's verdict, and the summary H_C, count, total weight. */
  finish(): ListOutcome {
    return (this.outcome ??= this.conclude());
  }

  private conclude(): ListOutcome {
    try {
      this.joinParts();
      const n = this.bad ? this.bad.index : this.n;
      const order = this.sortedOrder(n);
      // the first credential seen before (normaliseCredentials' `duplicate credential`), unless refused earlier
      let dup = Infinity;
      for (let r = 1; r < n; r++) if (this.equal(order[r - 1]!, order[r]!)) dup = Math.min(dup, order[r]!);
      if (this.bad && this.bad.index <= dup) throw this.bad.error;
      if (dup < Infinity) throw new BallotFormatError(`credentials[${dup}]: duplicate credential`);
      if (n === 0) throw new BallotProtocolError('credentials: the electorate is empty');
      this.sortBy(order);
      let totalWeight = 0;
      for (let r = 0; r < n; r++) totalWeight += this.weights[r]!;
      return {
        ok: true,
        summary: { credentialHash: this.hash(), count: n, totalWeight },
        signatures: this.signatures,
      };
    } catch (e) {
      if (!(e instanceof BallotFormatError || e instanceof BallotProtocolError)) throw e;
      this.bytes = new Uint8Array(0);
      this.weights = new Float64Array(0);
      return { ok: false, error: e };
    }
  }

  /** joinCredentialParts' refusals, from what it looks at of each part. */
  private joinParts(): void {
    if (checkCredentialParts(this.meta) && this.meta[0]!.count < 0)
      throw new BallotFormatError('credentials: expected an array');
  }

  private equal(a: number, b: number): boolean {
    const x = this.bytes;
    for (let j = 0; j < 32; j++) if (x[32 * a + j] !== x[32 * b + j]) return false;
    return true;
  }

  /** The first `n` credentials' indices sorted by their bytes, equal ones by index. */
  private sortedOrder(n: number): Int32Array {
    const x = this.bytes;
    const keys = new Uint32Array(n);
    for (let i = 0; i < n; i++)
      keys[i] = ((x[32 * i]! << 24) | (x[32 * i + 1]! << 16) | (x[32 * i + 2]! << 8) | x[32 * i + 3]!) >>> 0;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return order.sort((a, b) => {
      if (keys[a] !== keys[b]) return keys[a]! - keys[b]!;
      for (let j = 4; j < 32; j++) {
        const d = x[32 * a + j]! - x[32 * b + j]!;
        if (d) return d;
      }
      return a - b;
    });
  }

  /** Puts the credentials in sorted order (as normaliseCredentials returns them) and keeps their first bytes. */
  private sortBy(order: Int32Array): void {
    const n = order.length;
    const bytes = new Uint8Array(32 * n);
    const weights = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const i = order[r]!;
      bytes.set(this.bytes.subarray(32 * i, 32 * i + 32), 32 * r);
      weights[r] = this.weights[i]!;
    }
    this.bytes = bytes;
    this.weights = weights;
    this.keys = new Uint32Array(n);
    for (let r = 0; r < n; r++)
      this.keys[r] =
        ((bytes[32 * r]! << 24) |
          (bytes[32 * r + 1]! << 16) |
          (bytes[32 * r + 2]! << 8) |
          bytes[32 * r + 3]!) >>>
        0;
  }

  /**
   * H_C = H("credentials"; u32(n), enc(X_1) ‖ u64(w_1), …) of the sorted list (election.ts's credentialListHash),
   * expand_message_xmd of 32 bytes (one block: b_1) with the message fed to SHA-256 in pieces.
   */
  private hash(): Hex {
    const n = this.keys.length;
    const dst = new TextEncoder().encode(`${DST_PREFIX}credentials`);
    const h0 = sha256.create();
    h0.update(new Uint8Array(64)); // Z_pad
    h0.update(Uint8Array.of(0, 0, 0, 4, n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255));
    const per = 44;
    const block = new Uint8Array(per * 1024);
    for (let from = 0; from < n; from += 1024) {
      const to = Math.min(n, from + 1024);
      for (let r = from; r < to; r++) {
        const at = per * (r - from);
        block[at + 3] = 40; // LP: u32(40)
        block.set(this.bytes.subarray(32 * r, 32 * r + 32), at + 4);
        const w = this.weights[r]!;
        const hi = Math.floor(w / 2 ** 32);
        const lo = w >>> 0;
        for (let j = 0; j < 4; j++) {
          block[at + 36 + j] = (hi >>> (24 - 8 * j)) & 255;
          block[at + 40 + j] = (lo >>> (24 - 8 * j)) & 255;
        }
      }
      h0.update(block.subarray(0, per * (to - from)));
    }
    h0.update(Uint8Array.of(0, 32, 0));
    h0.update(dst);
    h0.update(Uint8Array.of(dst.length));
    const b0 = h0.digest();
    const b1 = sha256
      .create()
      .update(b0)
      .update(Uint8Array.of(1))
      .update(dst)
      .update(Uint8Array.of(dst.length));
    return Array.from(b1.digest(), (b) => b.toString(16).padStart(2, '0')).join('') as Hex;
  }

  /** The position of a credential in the sorted list, or -1 (not listed, not a credential, or the list failed). */
  position(credential: unknown): number {
    if (typeof credential !== 'string' || credential.length !== 64 || !this.outcome?.ok) return -1;
    const want = new Uint8Array(32);
    for (let j = 0; j < 32; j++) {
      const hi = nibble(credential.charCodeAt(2 * j));
      const lo = nibble(credential.charCodeAt(2 * j + 1));
      if ((hi | lo) < 0) return -1;
      want[j] = (hi << 4) | lo;
    }
    const key = ((want[0]! << 24) | (want[1]! << 16) | (want[2]! << 8) | want[3]!) >>> 0;
    const x = this.bytes;
    let lo = 0;
    let hi = this.keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      let d = this.keys[mid]! - key;
      for (let j = 4; d === 0 && j < 32; j++) d = x[32 * mid + j]! - want[j]!;
      if (d === 0) return mid;
      if (d < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /**
   * The entries of the list for some ballots' credentials (election.ts's listedOf): each listed credential once, in
   * the order first met, with its weight; a worker checking or summing those ballots needs only these.
   */
  listed(credentials: Iterable<unknown>): CredentialEntry[] {
    const out = new Map<Hex, number>();
    for (const c of credentials) {
      if (out.has(c as Hex)) continue;
      const p = this.position(c);
      if (p >= 0) out.set(c as Hex, this.weights[p]!);
    }
    return [...out].map(([credential, weight]) => ({ credential, weight }));
  }

  /** The number of credentials kept so far (before `finish`) or listed. */
  get size(): number {
    return this.outcome?.ok ? this.outcome.summary.count : this.n;
  }
}
