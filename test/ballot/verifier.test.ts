// Board-level attacks the per-ballot checks cannot see, and misuse that throws.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  sodiumGroup,
  verifyBoard,
  encryptBallot,
  makeSetup,
  credentialParts,
  joinCredentialParts,
  BallotFormatError,
  BallotProtocolError,
  type BoardEntry,
  type CredentialsBody,
  type Report,
} from '../../src/ballot/index.ts';
import { buildElection, manifest3, runElection, seededRandom } from './fixture.ts';

const g = await sodiumGroup();
const f = buildElection(g, { n: 3, k: 2, voters: 4, seed: 'verifier' });
const choice = (o: number) => [[0, 1, 2].map((x) => (x === o ? 1 : 0))];
const run = runElection(g, f, {
  votes: [0, 1, 2, 3].map((v) => ({ voter: v, choices: choice(v % 3) })),
  decrypting: [1, 2],
});
const failing = (r: Report) => r.checks.filter((c) => !c.ok).map((c) => c.id);

describe('the verifier over a tampered board', () => {
  test('the untouched board passes', () => {
    assert.equal(verifyBoard(g, run.board).ok, true);
  });

  test('a ballot dated after closing fails check 5.3 and names the ballot', () => {
    const i = run.board.findLastIndex((e) => e.kind === 'ballot');
    const late = run.board.map((e, j): BoardEntry => (j === i ? { ...e, at: manifest3.closesAt + 1 } : e));
    const r = verifyBoard(g, late);
    const c5 = r.checks.find((c) => c.id === 5)!;
    assert.equal(c5.ok, false);
    assert.match(c5.failures[0]!.reason, /5\.3 cast after closing/);
    assert.match(c5.failures[0]!.where, new RegExp(`entry ${i} ballot [0-9a-f]{64}`));
  });

  test('the same ballot appended twice fails check 5.8', () => {
    const b = run.board.find((e) => e.kind === 'ballot')!;
    const at = run.board.findIndex((e) => e.kind === 'partial-decryption');
    const twice = [...run.board.slice(0, at), { ...b, at: b.at + 100 }, ...run.board.slice(at)];
    const r = verifyBoard(g, twice);
    assert.match(
      r.checks
        .find((c) => c.id === 5)!
        .failures.map((x) => x.reason)
        .join(),
      /5\.8 ballot id reused/,
    );
  });

  test('a second credential list (unfreezing the electorate) fails checks 1 and 4', () => {
    const extra: BoardEntry = {
      kind: 'credentials',
      at: manifest3.opensAt + 1000,
      body: { credentials: [] },
    };
    const r = verifyBoard(g, [...run.board.slice(0, -3), extra, ...run.board.slice(-3)]);
    assert.deepEqual(failing(r).slice(0, 1), [1]);
    const first = run.board.findIndex((e) => e.kind === 'credentials');
    const r2 = verifyBoard(g, [
      ...run.board.slice(0, first + 1),
      { ...extra, at: run.board[first]!.at },
      ...run.board.slice(first + 1),
    ]);
    assert.deepEqual(failing(r2).slice(0, 1), [4]);
    assert.match(r2.checks[3]!.failures[0]!.reason, /2 credential lists/);
  });

  test('a list in parts (§4.2) makes the same election; a missing, reordered, mislabelled or empty part fails check 4', () => {
    const first = run.board.findIndex((e) => e.kind === 'credentials');
    const whole = run.board[first]! as Extract<BoardEntry, { kind: 'credentials' }>;
    const inParts = (bodies: CredentialsBody[]): BoardEntry[] => [
      ...run.board.slice(0, first),
      ...bodies.map((body): BoardEntry => ({ kind: 'credentials', at: whole.at, body })),
      ...run.board.slice(first + 1),
    ];
    // one credential a part: four parts
    const parts = credentialParts(whole.body.credentials, 1);
    assert.deepEqual(
      parts.map((p) => [p.part, p.parts, p.credentials.length]),
      [1, 2, 3, 4].map((i) => [i, 4, 1]),
    );
    assert.deepEqual(joinCredentialParts(parts), { credentials: whole.body.credentials });
    const ok = verifyBoard(g, inParts(parts));
    assert.equal(ok.ok, true, JSON.stringify(ok.checks.filter((c) => !c.ok)));
    assert.equal(ok.fingerprint, verifyBoard(g, run.board).fingerprint);
    const reason = (bodies: CredentialsBody[]) => {
      const r = verifyBoard(g, inParts(bodies));
      assert.deepEqual(failing(r).slice(0, 1), [4]);
      return r.checks[3]!.failures[0]!.reason;
    };
    assert.match(
      reason([parts[0]!, parts[1]!, parts[3]!]),
      /the credential list is in 3 entries, but entry 1 says 4 parts/,
    );
    assert.match(reason([parts[1]!, parts[0]!, parts[2]!, parts[3]!]), /entry 1 says it is part 2/);
    assert.match(
      reason([{ ...parts[0]!, parts: 5 }, ...parts.slice(1)]),
      /in 4 entries, but entry 1 says 5 parts/,
    );
    assert.match(reason([...parts.slice(0, 3), { ...parts[3]!, credentials: [] }]), /part 4 is empty/);
    assert.match(
      reason([{ ...parts[0]!, parts: 2 }, { credentials: parts[1]!.credentials }]),
      /2 credential lists, not parts of one \(entry 2 has no part\)/,
    );
    // a small budget still puts at least one credential in every part; a large one puts the list in one part
    assert.equal(credentialParts(whole.body.credentials).length, 1);
  });

  test('a spoiled ballot whose shown plaintext is not what it encrypts fails check 10', () => {
    const rnd = seededRandom('spoil');
    const { ballot, ballotNonce } = encryptBallot(g, f.election, f.voters[0]!.secret, choice(1), rnd);
    const lie: BoardEntry = {
      kind: 'spoiled',
      at: manifest3.opensAt + 5,
      body: { ballot, ballotNonce, plaintext: choice(0) },
    };
    const i = run.board.findIndex((e) => e.kind === 'ballot');
    const r = verifyBoard(g, [...run.board.slice(0, i), lie, ...run.board.slice(i)]);
    assert.deepEqual(failing(r), [10]);
    assert.match(r.checks[9]!.failures[0]!.reason, /shown plaintext/);
  });

  test('a changed manifest fails check 1 (H_S no longer matches)', () => {
    const setup = run.board[0] as Extract<BoardEntry, { kind: 'setup' }>;
    const board = [
      { ...setup, body: { ...setup.body, manifest: { ...manifest3, title: 'other' } } },
      ...run.board.slice(1),
    ];
    assert.deepEqual(failing(verifyBoard(g, board)).slice(0, 1), [1]);
  });
});

describe('misuse throws, naming the parameter', () => {
  test('bad manifests and parameters', () => {
    assert.throws(() => makeSetup({ ...manifest3, contests: [] }, { n: 3, k: 2 }), BallotFormatError);
    const c = manifest3.contests[0]!;
    assert.throws(() => makeSetup({ ...manifest3, contests: [{ ...c, max: 5 }] }, { n: 3, k: 2 }), /max/);
    assert.throws(() => makeSetup(manifest3, { n: 3, k: 4 }), BallotProtocolError);
  });
  test('a credential list with the identity or a duplicate is refused', async () => {
    const { makeElection } = await import('../../src/ballot/index.ts');
    const one = { credential: f.election.credentials[0]!.credential, weight: 1 };
    assert.throws(
      () => makeElection(g, f.setup, f.key, { credentials: [{ credential: '00'.repeat(32), weight: 1 }] }),
      /identity/,
    );
    assert.throws(() => makeElection(g, f.setup, f.key, { credentials: [one, one] }), /duplicate/);
    assert.throws(() => makeElection(g, f.setup, f.key, { credentials: [{ ...one, weight: 0 }] }), /weight/);
  });
  test('choices that do not fit the manifest', () => {
    const rnd = seededRandom('misuse');
    assert.throws(
      () => encryptBallot(g, f.election, f.voters[0]!.secret, [[1, 1, 0]], rnd),
      /choices\[0\]: 2 selections/,
    );
    assert.throws(() => encryptBallot(g, f.election, f.voters[0]!.secret, [[2, 0, 0]], rnd), RangeError);
    assert.throws(() => encryptBallot(g, f.election, 'zz', choice(0), rnd), BallotFormatError);
    assert.throws(
      () => encryptBallot(g, f.election, f.voters[0]!.secret, choice(0), () => new Uint8Array(3)),
      TypeError,
    );
  });
});
