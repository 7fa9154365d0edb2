// The election verifier (docs/BALLOT-PROTOCOL.md §8): numbered checks over the board alone. Two phases so that the
// per-ballot work (verifyBallotChunk) can run on worker threads: prepareBoard → chunks → finishBoard.
import type { Group } from './group.ts';
import type { RsaPssVerifier } from './rfc9474.ts';
import { toHex } from './bytes.ts';
import { BallotFormatError, BallotProtocolError } from './errors.ts';
import { PROTOCOL_VERSION, setupHash, validateManifest, type SetupBody } from './manifest.ts';
import { checkSignedList, type SignedCredential } from './credential-token.ts';
import { dkgResult, type KeyResult } from './dkg-result.ts';
import {
  electionForBooth,
  electionOfSummary,
  joinCredentialParts,
  makeElection,
  withListed,
  type CredentialEntry,
  type CredentialListSummary,
  type Election,
} from './election.ts';
import { aggregate, combine, selectLast, type Aggregate } from './tally.ts';
import type { BallotBody } from './ballot.ts';
import { bodiesOf, PHASE, type Board, type BoardEntry } from './board.ts';
import { entryShape } from './shape.ts';
import { StreamedCredentialList } from './streamed-list.ts';
import { verifyBallotChunk, type BallotFailure, type BallotItem } from './ballot-chunk.ts';

export interface Check {
  id: number;
  title: string;
  ok: boolean;
  failures: { where: string; reason: string }[];
  notes: string[];
}

export interface Report {
  ok: boolean;
  checks: Check[];
  fingerprint?: string;
  tallies?: number[][];
}

export interface PreparedBoard {
  checks: Check[];
  election: Election | null;
  items: BallotItem[];
}

const TITLES = [
  '',
  'parameters and hash chain',
  'trustee proofs and commitments',
  'joint key and election fingerprint',
  'credential list',
  'ballots: encoding, credential, time, code, signature, proofs, uniqueness',
  'last-ballot selection and aggregation',
  'partial decryptions',
  'combination',
  'decoding',
  'challenged ballots',
];

const newCheck = (id: number): Check => ({ id, title: TITLES[id]!, ok: true, failures: [], notes: [] });
const failIn = (c: Check, where: string, reason: string) => {
  c.ok = false;
  c.failures.push({ where, reason });
};

function checkParameters(board: Board, c1: Check): void {
  if (!Array.isArray(board as unknown)) return failIn(c1, 'board', 'expected an array of entries');
  const p = new ParameterCheck(c1);
  for (const e of board) p.add(e);
  p.end();
}

/**
 * Check 1 entry by entry, for a board read as a stream (StreamedBoard): the same failures, in the same order, as
 * over the whole array. It keeps only the setup, the previous entry's kind and time, and the failures.
 */
class ParameterCheck {
  private i = 0;
  private prev: { kind: BoardEntry['kind']; at: number } | null = null;
  private firstKind: unknown;
  private setup: SetupBody | null = null;
  private setups = 0;
  private results = 0;
  private readonly order: [string, string][] = [];

  constructor(private readonly c1: Check) {}

  add(e: BoardEntry): void {
    const i = this.i++;
    const shape = entryShape(e);
    if (shape !== null)
      failIn(this.c1, `entry ${i}`, `malformed ${String((e as { kind?: unknown })?.kind)}: ${shape}`);
    // what follows counts only when every entry has its shape (end() drops it otherwise)
    if (!this.c1.ok) return;
    if (i === 0) this.firstKind = e.kind;
    if (e.kind === 'setup' && this.setups++ === 0) this.setup = e.body;
    if (e.kind === 'result') this.results++;
    const prev = this.prev;
    if (prev) {
      if (PHASE[e.kind] < PHASE[prev.kind]) this.order.push([`entry ${i}`, `${e.kind} after ${prev.kind}`]);
      if (!(e.at >= prev.at)) this.order.push([`entry ${i}`, 'time goes backwards']);
    }
    this.prev = { kind: e.kind, at: e.at };
  }

  end(): void {
    const c1 = this.c1;
    if (!c1.ok) return;
    if (this.firstKind !== 'setup' || this.setups !== 1)
      return failIn(c1, 'entry 0', 'exactly one setup entry, first');
    const s = this.setup!;
    if (s.version !== PROTOCOL_VERSION) failIn(c1, 'entry 0', `unknown version ${s.version}`);
    try {
      validateManifest(s.manifest);
      if (toHex(setupHash(s.manifest, s.n, s.k, s.issuers)) !== s.setupHash)
        failIn(c1, 'entry 0', 'setup hash H_S does not match');
    } catch (e) {
      if (!(e instanceof BallotFormatError)) throw e;
      failIn(c1, 'entry 0', e.message);
    }
    for (const [where, reason] of this.order) failIn(c1, where, reason);
    if (this.results > 1) failIn(c1, 'result', 'more than one result entry');
  }
}

/** The joint key the board's key-generation messages make (throws BallotFormatError on malformed ones). */
export function boardKey(g: Group, setup: SetupBody, board: Board): KeyResult {
  return dkgResult(
    g,
    setup,
    bodiesOf(board, 'dkg-commit'),
    bodiesOf(board, 'dkg-shares'),
    bodiesOf(board, 'dkg-accusation'),
  );
}

/** Checks 1–4 and the list of ballot items for check 5. */
export function prepareBoard(g: Group, board: Board, rsaPssVerify?: RsaPssVerifier): PreparedBoard {
  const parts = bodiesOf(board, 'credentials');
  const list: ListMaker | null = parts.length
    ? (setup, key) => {
        // §4.2: one entry, or parts 1..n of one list
        const creds = joinCredentialParts(parts);
        const election = makeElection(g, setup, key, creds);
        // §4.1: every listed credential carries the issuing key's blind signature (the issuance count is Councils'
        // check, from its issuance entries)
        const signatures = setup.issuers
          ? checkSignedList(
              setup.issuers,
              setup.setupHash,
              creds.credentials as SignedCredential[],
              undefined,
              rsaPssVerify,
            )
          : [];
        return { election, signatures, count: election.credentials.length };
      }
    : null;
  const head = prepareHead(g, board, list);
  const items: BallotItem[] = [];
  if (head.checks[0]!.ok)
    board.forEach((e, index) => {
      if (e.kind === 'ballot' || e.kind === 'spoiled')
        items.push({ index, kind: e.kind, at: e.at, body: e.body } as BallotItem);
    });
  return { ...head, items };
}

/**
 * The election from the credential list, given the setup and the joint key: makeElection over the parts, or
 * StreamedCredentialList's equivalent (throws BallotFormatError or BallotProtocolError as makeElection does).
 */
type ListMaker = (
  setup: SetupBody,
  key: KeyResult,
) => { election: Election; signatures: readonly { index: number; reason: string }[]; count: number };

/** Checks 1–4 (`list`: null when the board has no `credentials` entry). */
function prepareHead(g: Group, board: Board, list: ListMaker | null): Omit<PreparedBoard, 'items'> {
  const [c1, c2, c3, c4] = [1, 2, 3, 4].map(newCheck) as [Check, Check, Check, Check];
  const checks = [c1, c2, c3, c4];
  checkParameters(board, c1);
  if (!c1.ok) return { checks, election: null };
  const setup = bodiesOf(board, 'setup')[0]!;
  let election: Election | null = null;
  try {
    const key = boardKey(g, setup, board);
    for (const f of key.failures) c2.notes.push(`trustee ${f.trustee} disqualified: ${f.reason}`);
    if (!key.ok) failIn(c2, 'dkg', `${key.qualified.length} qualified trustees, ${setup.k} needed`);
    else c3.notes.push(`joint key ${key.jointKey}; qualified trustees ${key.qualified.join(', ')}`);
    if (!list) failIn(c4, 'credentials', 'no credential list');
    else if (key.ok) {
      const made = list(setup, key);
      election = made.election;
      for (const f of made.signatures) failIn(c4, `credentials[${f.index}]`, f.reason);
      c3.notes.push(`fingerprint ${election.fingerprint}`);
      c4.notes.push(`${made.count} credentials, total weight ${election.totalWeight}`);
    }
  } catch (e) {
    if (!(e instanceof BallotFormatError || e instanceof BallotProtocolError)) throw e;
    failIn(c4, 'credentials', e.message);
  }
  if (!c2.ok) failIn(c3, 'dkg', 'no joint key');
  return { checks, election };
}

/**
 * The board indices of the ballots that count (check 6): the last valid ballot per credential, in board order.
 * Workers that hold those ballots sum them (sumBallots) and the sums, added up (addSums), go to finishBoard.
 */
export function countedIndices(prep: PreparedBoard, ballotFailures: readonly BallotFailure[]): number[] {
  const bad = new Set(ballotFailures.map((f) => f.index));
  const valid = prep.items.filter((it) => it.kind === 'ballot' && !bad.has(it.index));
  const last = new Map<string, number>();
  for (const it of valid) last.set((it.body as BallotBody).credential, it.index);
  return valid
    .filter((it) => last.get((it.body as BallotBody).credential) === it.index)
    .map((it) => it.index);
}

/** What checks 5.8, 6 and 10's note need of the board's ballots, however they are kept. */
interface BallotSummary {
  /** Check 5.8's failures, in board order. */
  reused: { where: string; reason: string }[];
  /** Check 6: the valid ballots that count (the last per credential) and those superseded by a revote. */
  counted: number;
  superseded: number;
  /** The sums of the counted ballots (Σ w·(α, β) per option). */
  sums: () => Aggregate['ciphertexts'];
  /** Challenged ballots. */
  spoiled: number;
}

/** Check 5.8 over ballot items: every later use of an id cast or challenged before. */
function reusedIds(items: readonly BallotItem[]): BallotSummary['reused'] {
  const seen = new Map<string, number>();
  const reused: BallotSummary['reused'] = [];
  for (const it of items) {
    const id = it.kind === 'ballot' ? it.body?.id : it.body?.ballot?.id;
    const first = seen.get(String(id));
    if (first !== undefined)
      reused.push({
        where: `entry ${it.index} ballot ${id}`,
        reason: `5.8 ballot id reused (first at entry ${first})`,
      });
    else seen.set(String(id), it.index);
  }
  return reused;
}

/**
 * Checks 5–10 given the per-ballot failures from verifyBallotChunk over all items (in any chunking), and
 * optionally the sums of the counted ballots (the ballots at countedIndices) computed elsewhere, e.g. on workers.
 */
export function finishBoard(
  g: Group,
  board: Board,
  prep: PreparedBoard,
  ballotFailures: readonly BallotFailure[],
  countedSums?: Aggregate['ciphertexts'],
): Report {
  return finishWith(g, board, prep, ballotFailures, () => {
    const bad = new Set(ballotFailures.map((f) => f.index));
    const cast = prep.items.flatMap((it) =>
      it.kind === 'ballot' && !bad.has(it.index) ? [{ ballot: it.body, at: it.at }] : [],
    );
    const { counted, superseded } = selectLast(cast);
    return {
      reused: reusedIds(prep.items),
      counted: counted.length,
      superseded: superseded.length,
      sums: () => countedSums ?? aggregate(g, prep.election!, cast).ciphertexts,
      spoiled: prep.items.filter((i) => i.kind === 'spoiled').length,
    };
  });
}

function finishWith(
  g: Group,
  board: Board,
  prep: Omit<PreparedBoard, 'items'>,
  ballotFailures: readonly BallotFailure[],
  summarise: () => BallotSummary,
): Report {
  const [c5, c6, c7, c8, c9, c10] = [5, 6, 7, 8, 9, 10].map(newCheck) as Check[] as [
    Check,
    Check,
    Check,
    Check,
    Check,
    Check,
  ];
  const checks = [...prep.checks, c5, c6, c7, c8, c9, c10];
  const election = prep.election;
  if (!election || prep.checks.some((c) => !c.ok)) {
    for (const c of [c5, c6, c7, c8, c9, c10]) failIn(c, 'setup', 'checks 1–4 failed');
    return { ok: false, checks };
  }
  const summary = summarise();
  for (const f of [...ballotFailures].sort((a, b) => a.index - b.index))
    failIn(f.check === '10' ? c10 : c5, `entry ${f.index} ballot ${f.ballotId}`, `${f.check} ${f.reason}`);
  for (const r of summary.reused) failIn(c5, r.where, r.reason);
  c6.notes.push(`${summary.counted} ballots counted, ${summary.superseded} superseded by revotes`);
  c10.notes.push(`${summary.spoiled} challenged ballots`);
  const results = bodiesOf(board, 'result');
  if (results.length === 0) {
    for (const c of [c7, c8, c9]) c.notes.push('no result on the board yet');
    return report(checks, election);
  }
  tallyChecks(g, board, election, summary.sums(), [c7, c8, c9]);
  return report(checks, election, results[0]!.tallies);
}

function tallyChecks(
  g: Group,
  board: Board,
  election: Election,
  ciphertexts: Aggregate['ciphertexts'],
  [c7, c8, c9]: Check[],
): void {
  const result = bodiesOf(board, 'result')[0]!;
  const out = combine(g, election, { ciphertexts }, bodiesOf(board, 'partial-decryption'));
  for (const inv of out.invalid) c7!.notes.push(`trustee ${inv.trustee} ignored: ${inv.reason}`);
  if (!out.ok || !out.result)
    return failIn(out.reason?.startsWith('contest') ? c9! : c8!, 'result', out.reason ?? 'failed');
  if (JSON.stringify(out.result.trustees) !== JSON.stringify(result.trustees)) {
    failIn(c8!, 'result', `trustees ${result.trustees} published, ${out.result.trustees} expected`);
  }
  if (JSON.stringify(out.result.tallies) !== JSON.stringify(result.tallies)) {
    failIn(
      c9!,
      'result',
      `published tallies ${JSON.stringify(result.tallies)}, decoded ${JSON.stringify(out.result.tallies)}`,
    );
  }
}

const report = (checks: Check[], election: Election, tallies?: number[][]): Report => ({
  ok: checks.every((c) => c.ok),
  checks,
  fingerprint: election.fingerprint,
  ...(tallies ? { tallies } : {}),
});

/**
 * The aggregate of a board's valid ballots, the last per credential (checks 1–6), as a trustee computes it before
 * decrypting instead of taking a server's word for it (docs/BALLOT-PROTOCOL.md "Trustees in the browser"): what
 * it decrypts is then the sum of the board's counted ballots, never one voter's ballot passed off as the tally.
 * Throws BallotProtocolError naming the check when checks 1–4 fail.
 */
export function boardAggregate(
  g: Group,
  board: Board,
  rsaPssVerify?: RsaPssVerifier,
): { election: Election; aggregate: Aggregate } {
  const prep = prepareBoard(g, board, rsaPssVerify);
  const failed = prep.checks.find((c) => !c.ok);
  if (failed || !prep.election) {
    const why = failed?.failures[0];
    throw new BallotProtocolError(
      `check ${failed?.id ?? 4} fails${why ? ` (${why.where}: ${why.reason})` : ''}`,
    );
  }
  const bad = new Set(verifyBallotChunk(g, prep.election, prep.items).map((f) => f.index));
  const cast = prep.items.flatMap((it) =>
    it.kind === 'ballot' && !bad.has(it.index) ? [{ ballot: it.body as BallotBody, at: it.at }] : [],
  );
  return { election: prep.election, aggregate: aggregate(g, prep.election, cast) };
}

/** A 52-bit digest of an id as check 5.8 compares it (String(id)): equal ids, equal digests. Not collision-proof. */
function idDigest(id: unknown): number {
  const s = String(id);
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return (a >>> 0) * 2 ** 20 + (b >>> 12);
}

/** An Int32Array or Float64Array twice as long, with the same start. */
const grown = <T extends Int32Array | Float64Array | Uint8Array>(a: T): T => {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
};

/**
 * A board verified as it is read, in memory that does not hold the ballots (docs/BALLOT-PROTOCOL.md §8, "A board
 * read as a stream"): `add` each entry in board order; a ballot or challenge comes back as the item to check (by
 * verifyBallotChunk against `electionFor` its credentials, on any thread, in any chunking); the board keeps of it 17
 * bytes in typed arrays: its index, its kind, its credential's position in the list and a 52-bit digest of its id.
 * The credential list is kept as 32 bytes and a weight a credential (StreamedCredentialList), and the election it
 * gives is without it (`listed` gives the entries some ballots need). `counted` then says which ballots count and
 * `recall` takes the entries of a second read of the board (the caller sums the counted ballots there: sumBallots,
 * addSums), which gives check 5.8 the whole ids of the ballots whose digests are equal; `finish` gives the report
 * verifyBoard gives on the same board.
 */
export class StreamedBoard {
  private readonly c1 = newCheck(1);
  private readonly parameters = new ParameterCheck(this.c1);
  /** Every entry but the ballots, challenges and credentials: setup, key generation, decryptions, result. */
  private readonly kept: BoardEntry[] = [];
  /** The credential list, from its first part on. */
  private list: StreamedCredentialList | null = null;
  private prep: Omit<PreparedBoard, 'items'> | null = null;
  private index = 0;
  /** The ballots and challenges: board index, 1 for a challenge, credential position (-1: none), id digest. */
  private n = 0;
  private at = new Int32Array(1024);
  private spoiled = new Uint8Array(1024);
  private credential = new Int32Array(1024);
  private digest = new Float64Array(1024);
  /** After `counted`: the records that count, how many do and are superseded, and the ids 5.8 must compare. */
  private selection: { counts: Uint8Array; counted: number; superseded: number } | null = null;
  private clash: Map<number, string | undefined> = new Map();
  /** A valid ballot whose credential had no position (the list changed after it: check 1 then fails). */
  private unplaced = false;

  constructor(
    private readonly g: Group,
    private readonly rsaPssVerify?: RsaPssVerifier,
  ) {}

  /**
   * Checks 1–4 over the entries before the first ballot (the setup, key generation and list must come first);
   * null while those fail, in which case the ballots need not be checked.
   */
  get election(): Election | null {
    return (this.prep ??= this.head()).election;
  }

  /** The election with the entries of the list for these credentials (listed), to check or sum their ballots. */
  electionFor(credentials: Iterable<unknown>): Election | null {
    const e = this.election;
    return e && withListed(e, this.listed(credentials));
  }

  /** The entries of the list for some ballots' credentials (election.ts's listedOf). */
  listed(credentials: Iterable<unknown>): CredentialEntry[] {
    return this.election && this.list ? this.list.listed(credentials) : [];
  }

  add(e: BoardEntry): BallotItem | null {
    const index = this.index++;
    this.parameters.add(e);
    if (e?.kind === 'credentials') {
      // a part after a ballot fails check 1 (at the end: the phase order), which makes the list irrelevant; the list
      // was finished at that ballot, so it takes no more parts
      if (this.c1.ok && !this.prep && this.n === 0) {
        const setup = (this.kept[0]?.kind === 'setup' ? this.kept[0].body : null) as SetupBody | null;
        this.list ??= new StreamedCredentialList(
          this.g,
          setup?.issuers
            ? { issuers: setup.issuers, setupHash: setup.setupHash, rsaPssVerify: this.rsaPssVerify }
            : null,
        );
        this.list.add(e.body);
      }
      return null;
    }
    if (e?.kind !== 'ballot' && e?.kind !== 'spoiled') {
      if (this.prep && PHASE[e?.kind] <= PHASE.credentials) this.prep = null; // out of order: check 1 fails
      this.kept.push(e);
      return null;
    }
    const item = { index, kind: e.kind, at: e.at, body: e.body } as BallotItem;
    const b = (e.kind === 'ballot' ? e.body : e.body?.ballot) as Partial<BallotBody> | undefined;
    const election = this.election;
    if (this.n === this.at.length) {
      this.at = grown(this.at);
      this.spoiled = grown(this.spoiled);
      this.credential = grown(this.credential);
      this.digest = grown(this.digest);
    }
    const r = this.n++;
    this.at[r] = index;
    this.spoiled[r] = e.kind === 'spoiled' ? 1 : 0;
    this.credential[r] = election && this.list ? this.list.position(b?.credential) : -1;
    this.digest[r] = idDigest(b?.id);
    return item;
  }

  /**
   * The board indices of the ballots that count (check 6), given every item's failures, and those of the valid
   * ballots a later one superseded. A caller that summed every valid ballot as it was checked subtracts the
   * superseded ones; `again` says whether a second read is needed at all (superseded ballots to subtract, or ids
   * whose digests are equal for check 5.8): then the caller reads the board again and passes `recall` the entries
   * at the indices `recalls` names (or every entry).
   */
  counted(failures: readonly BallotFailure[]): {
    has(index: number): boolean;
    superseded(index: number): boolean;
    again: boolean;
  } {
    const bad = new Set(failures.map((f) => f.index));
    const n = this.n;
    const last = new Int32Array(this.election && this.list ? this.list.size : 0).fill(-1);
    // 1: valid and counted, 2: valid and superseded
    const counts = new Uint8Array(n);
    let valid = 0;
    for (let r = 0; r < n; r++) {
      if (this.spoiled[r] || bad.has(this.at[r]!)) continue;
      valid++;
      counts[r] = 2;
      const p = this.credential[r]!;
      if (p < 0) this.unplaced = true;
      else last[p] = r;
    }
    let counted = 0;
    for (const r of last)
      if (r >= 0) {
        counts[r] = 1;
        counted++;
      }
    this.selection = { counts, counted, superseded: valid - counted };
    // check 5.8: the digests that occur twice; their ids are compared whole on the second read
    const sorted = this.digest.slice(0, n).sort();
    const twice = new Set<number>();
    for (let i = 1; i < n; i++) if (sorted[i] === sorted[i - 1]) twice.add(sorted[i]!);
    this.clash = new Map();
    for (let r = 0; r < n; r++) if (twice.has(this.digest[r]!)) this.clash.set(this.at[r]!, undefined);
    return {
      has: (index) => counts[this.record(index)] === 1,
      superseded: (index) => counts[this.record(index)] === 2,
      again: valid > counted || this.clash.size > 0,
    };
  }

  /** Whether `recall` needs the entry at this board index (check 5.8's whole ids). */
  recalls(index: number): boolean {
    return this.clash.has(index);
  }

  /** An entry of the second read, at its board index. */
  recall(index: number, e: BoardEntry): void {
    if (!this.clash.has(index)) return;
    const b = (e?.kind === 'ballot' ? e.body : (e?.body as { ballot?: unknown })?.ballot) as
      Partial<BallotBody> | undefined;
    this.clash.set(index, String(b?.id));
  }

  /** The report, given every item's failures and the sums of the counted ballots. */
  finish(failures: readonly BallotFailure[], countedSums: Aggregate['ciphertexts'] | undefined): Report {
    this.parameters.end();
    const prep = this.stub();
    const passes = prep.election !== null && prep.checks.every((c) => c.ok);
    if (passes && (!countedSums || !this.selection))
      throw new Error("StreamedBoard.finish: the counted ballots' sums");
    if (passes && this.unplaced) throw new Error('StreamedBoard: a valid ballot without its credential');
    return finishWith(this.g, this.kept, prep, failures, () => {
      const reused: BallotSummary['reused'] = [];
      const first = new Map<string, number>();
      for (const [index, id] of this.clash) {
        if (id === undefined) throw new Error('StreamedBoard.finish: the second read');
        const before = first.get(id);
        if (before === undefined) first.set(id, index);
        else
          reused.push({
            where: `entry ${index} ballot ${id}`,
            reason: `5.8 ballot id reused (first at entry ${before})`,
          });
      }
      let spoiled = 0;
      for (let r = 0; r < this.n; r++) spoiled += this.spoiled[r]!;
      return {
        reused,
        counted: this.selection!.counted,
        superseded: this.selection!.superseded,
        sums: () => countedSums!,
        spoiled,
      };
    });
  }

  /** The record of a ballot or challenge at a board index, or -1. */
  private record(index: number): number {
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const x = this.at[mid]!;
      if (x === index) return mid;
      if (x < index) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private stub(): Omit<PreparedBoard, 'items'> {
    // as prepareBoard: when check 1 fails, checks 2–4 are not run
    if (!this.c1.ok) return { checks: [this.c1, ...[2, 3, 4].map(newCheck)], election: null };
    const head = (this.prep ??= this.head());
    return { checks: [this.c1, ...head.checks.slice(1)], election: head.election };
  }

  /** Checks 1–4 over the entries kept and the list (its end: the first ballot, or the report). */
  private head(): Omit<PreparedBoard, 'items'> {
    const list = this.list;
    return prepareHead(
      this.g,
      this.kept,
      list &&
        ((setup, key) => {
          const out = list.finish();
          if (!out.ok) throw out.error;
          const election = electionOfSummary(this.g, setup, key, out.summary);
          return { election, signatures: out.signatures, count: out.summary.count };
        }),
    );
  }
}

/** All checks in one thread (RFC 9474 signatures by `rsaPssVerify` when given, else in pure bigint). */
export function verifyBoard(g: Group, board: Board, rsaPssVerify?: RsaPssVerifier): Report {
  const prep = prepareBoard(g, board, rsaPssVerify);
  const failures = prep.election ? verifyBallotChunk(g, prep.election, prep.items) : [];
  return finishBoard(g, board, prep, failures);
}

/**
 * The election a booth encrypts for, from a board of setup and key generation only (no credential list: it
 * grows with the electorate) and the list's summary as the server states it (§4.3). Checks 1–3 run here, so the
 * joint key is the trustees' whatever the server says; a false H_C only makes the ballot invalid, which the
 * voter's receipt check finds on the full board. Null if checks 1–3 fail or the board holds more than setup and
 * key generation.
 */
export function electionFromKey(g: Group, board: Board, list: CredentialListSummary): Election | null {
  if (!Array.isArray(board as unknown) || board.some((e) => PHASE[e?.kind] > PHASE['dkg-accusation']))
    return null;
  const c1 = newCheck(1);
  checkParameters(board, c1);
  if (!c1.ok) return null;
  const setup = bodiesOf(board, 'setup')[0]!;
  try {
    const key = boardKey(g, setup, board);
    return key.ok ? electionForBooth(g, setup, key, list) : null;
  } catch (e) {
    if (e instanceof BallotFormatError || e instanceof BallotProtocolError) return null;
    throw e;
  }
}

/** The election as frozen on the board (for voters' devices), or null if checks 1–4 fail. */
export function electionFromBoard(g: Group, board: Board): Election | null {
  const prep = prepareBoard(g, board);
  return prep.checks.every((c) => c.ok) ? prep.election : null;
}

export { verifyBallotChunk, type BallotFailure, type BallotItem };
