// A deterministic election for tests and the benchmark: seeded randomness, n trustees, k threshold, voters.
import { sha256 } from '@noble/hashes/sha2.js';
import type { Group } from '../../src/ballot/group.ts';
import type { RandomBytes } from '../../src/ballot/bytes.ts';
import {
  dkgCommit,
  dkgReceive,
  dkgResult,
  dkgShares,
  makeCredential,
  makeElection,
  makeSetup,
  trusteeShare,
  encryptBallot,
  checkBallot,
  spoilBallot,
  aggregate,
  partialDecrypt,
  combine,
  type BoardEntry,
  type CredentialEntry,
  type IssuerKey,
  type DkgAccusationBody,
  type DkgCommitBody,
  type DkgSharesBody,
  type Election,
  type KeyResult,
  type Manifest,
  type SetupBody,
  type TrusteeShare,
  type TrusteeSecret,
} from '../../src/ballot/index.ts';

/** Deterministic randomBytes: SHA-256(seed ‖ counter) blocks. */
export function seededRandom(seed: string): RandomBytes {
  let counter = 0;
  const enc = new TextEncoder().encode(seed);
  return (n: number) => {
    const out = new Uint8Array(n);
    for (let o = 0; o < n; o += 32) {
      const block = sha256(new Uint8Array([...enc, ...new TextEncoder().encode(`/${counter++}`)]));
      out.set(block.slice(0, Math.min(32, n - o)), o);
    }
    return out;
  };
}

export const manifest3: Manifest = {
  electionId: 'test-election',
  title: 'Motion 7: adopt the programme',
  opensAt: 1_000_000,
  closesAt: 2_000_000,
  contests: [
    { id: 'motion', title: 'Adopt?', options: ['yes', 'no', 'abstain'], min: 1, max: 1, optionMax: 1 },
  ],
};

export interface Fixture {
  setup: SetupBody;
  commits: DkgCommitBody[];
  secrets: TrusteeSecret[];
  shares: DkgSharesBody[];
  accusations: DkgAccusationBody[];
  key: KeyResult;
  trusteeShares: TrusteeShare[];
  election: Election;
  voters: { secret: string; public: string }[];
  /** The list as posted: sorted, with the signatures when signed. */
  credentialList: CredentialEntry[];
}

export interface FixtureOptions {
  n: number;
  k: number;
  voters: number;
  manifest?: Manifest;
  seed?: string;
  /** A dealer and the receivers it deals corrupt shares to: [dealer, receiver, …]. */
  corruptShare?: [number, ...number[]];
  /** Credential-issuing keys for the setup (§4.1), and how each voter's credential is signed. */
  issuers?: IssuerKey[];
  sign?: (setupHash: string, credential: string) => CredentialEntry;
}

export function runDkg(g: Group, opts: FixtureOptions, rnd: RandomBytes) {
  const setup = makeSetup(opts.manifest ?? manifest3, {
    n: opts.n,
    k: opts.k,
    ...(opts.issuers ? { issuers: opts.issuers } : {}),
  });
  const round1 = Array.from({ length: opts.n }, (_, i) => dkgCommit(g, setup, i + 1, rnd));
  const commits = round1.map((r) => r.message);
  const secrets = round1.map((r) => r.secret);
  const shares = secrets.map((s) => dkgShares(g, setup, s, commits, rnd));
  if (opts.corruptShare) {
    // The dealer sends its receivers shares of a different polynomial than the one it committed to.
    const [dealer, ...receivers] = opts.corruptShare;
    const s = secrets[dealer - 1]!;
    const other = { ...s, coefficients: s.coefficients.map((c, j) => (j === 0 ? '01' + c.slice(2) : c)) };
    const bad = dkgShares(g, setup, other, commits, rnd).shares;
    const body = shares[dealer - 1]!;
    body.shares = body.shares.map((sh) =>
      receivers.includes(sh.to) ? bad.find((b) => b.to === sh.to)! : sh,
    );
  }
  const received = secrets.map((s) => dkgReceive(g, setup, s, shares, rnd));
  const accusations = received.flatMap((r) => r.accusations);
  const key = dkgResult(g, setup, commits, shares, accusations);
  return { setup, commits, secrets, shares, received, accusations, key };
}

export function buildElection(g: Group, opts: FixtureOptions): Fixture {
  const rnd = seededRandom(opts.seed ?? 'fixture');
  const { setup, commits, secrets, shares, received, accusations, key } = runDkg(g, opts, rnd);
  const trusteeShares = secrets.map((s, i) => trusteeShare(g, s, received[i]!.received, key));
  const voters = Array.from({ length: opts.voters }, () => makeCredential(g, rnd));
  // sorted by the credential's bytes, as the core posts a list (lower-case hex sorts as its bytes do)
  const credentialList = voters
    .map((v) => (opts.sign ? opts.sign(setup.setupHash, v.public) : { credential: v.public, weight: 1 }))
    .sort((x, y) => (x.credential < y.credential ? -1 : 1));
  const election = makeElection(g, setup, key, { credentials: credentialList });
  return {
    setup,
    commits,
    secrets,
    shares,
    accusations,
    key,
    trusteeShares,
    election,
    voters,
    credentialList,
  };
}

export interface VoteScript {
  /** Voter index and choices, in casting order; a later ballot of the same voter is a revote. */
  votes: { voter: number; choices: number[][]; challengeFirst?: boolean }[];
  /** Trustees (1-based) that publish partial decryptions, in order. */
  decrypting: number[];
}

/** Runs a whole election on a board: setup, DKG, credentials, ballots (with challenges), decryption, result. */
export function runElection(g: Group, f: Fixture, script: VoteScript, seed = 'votes') {
  const rnd = seededRandom(seed);
  const m = f.setup.manifest;
  let at = m.opensAt - 1000;
  const board: BoardEntry[] = [{ kind: 'setup', at, body: f.setup }];
  for (const c of f.commits) board.push({ kind: 'dkg-commit', at, body: c });
  for (const s of f.shares) board.push({ kind: 'dkg-shares', at, body: s });
  for (const a of f.accusations) board.push({ kind: 'dkg-accusation', at, body: a });
  board.push({ kind: 'credentials', at, body: { credentials: f.credentialList } });
  at = m.opensAt;
  const used = new Set<string>();
  const codes: { voter: number; code: string }[] = [];
  for (const v of script.votes) {
    at += 10;
    if (v.challengeFirst) {
      const { ballot, ballotNonce } = encryptBallot(g, f.election, f.voters[v.voter]!.secret, v.choices, rnd);
      board.push({ kind: 'spoiled', at, body: spoilBallot(g, f.election, ballot, ballotNonce) });
      used.add(ballot.id);
    }
    const { ballot } = encryptBallot(g, f.election, f.voters[v.voter]!.secret, v.choices, rnd);
    const verdict = checkBallot(g, f.election, ballot, at, used);
    if (!verdict.ok) throw new Error(`honest ballot rejected: ${verdict.reason}`);
    used.add(ballot.id);
    board.push({ kind: 'ballot', at, body: ballot });
    codes.push({ voter: v.voter, code: ballot.code });
  }
  at = m.closesAt + 1000;
  const cast = board.flatMap((e) => (e.kind === 'ballot' ? [{ ballot: e.body, at: e.at }] : []));
  const agg = aggregate(g, f.election, cast);
  const partials = script.decrypting.map((t) =>
    partialDecrypt(g, f.election, f.trusteeShares[t - 1]!, agg, rnd),
  );
  for (const p of partials) board.push({ kind: 'partial-decryption', at, body: p });
  const out = combine(g, f.election, agg, partials);
  if (!out.ok || !out.result) throw new Error(`combination failed: ${out.reason}`);
  board.push({ kind: 'result', at, body: out.result });
  return { board, codes, agg, result: out.result, partials };
}
