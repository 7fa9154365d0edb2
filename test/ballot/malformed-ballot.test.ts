// Every malformed ballot is rejected with a reason by checkBallot (what the server runs before appending), so it
// changes nothing on the board.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  sodiumGroup,
  checkBallot,
  encryptBallot,
  verifyBallotBody,
  verifyBallotsBatched,
  makeCredential,
  type BallotBody,
} from '../../src/ballot/index.ts';
import {
  ballotContext,
  ballotDigest,
  confirmationCode,
  contestHash,
  proofContext,
} from '../../src/ballot/ballot.ts';
import { credentialScalar, prepare } from '../../src/ballot/election.ts';
import { encrypt } from '../../src/ballot/elgamal.ts';
import { rangeProve } from '../../src/ballot/range-proof.ts';
import { schnorrProve } from '../../src/ballot/schnorr.ts';
import { fromHex, toHex } from '../../src/ballot/bytes.ts';
import { pointFromHex, pointHex } from '../../src/ballot/codec.ts';
import { buildElection, manifest3, seededRandom } from './fixture.ts';

const g = await sodiumGroup();
const f = buildElection(g, { n: 3, k: 2, voters: 3, seed: 'malformed' });
const other = buildElection(g, { n: 3, k: 2, voters: 3, seed: 'other-election' });
const rnd = seededRandom('malformed-ballots');
const AT = manifest3.opensAt + 500;
const none = new Set<string>();
const yes = [[1, 0, 0]];

const honest = (voter = 0, election = f.election, secret = f.voters[voter]!.secret) =>
  encryptBallot(g, election, secret, yes, rnd).ballot;

/** What a cheating client holding credential `secret` can do: any ciphertexts and proofs, correctly signed. */
function resign(ballot: BallotBody, secret: string): BallotBody {
  const prep = prepare(g, f.election);
  const X = g.mulBase(credentialScalar(g, secret));
  const hI = ballotContext(prep.fp, fromHex(ballot.id, 32, 'id'), g.encode(X));
  const cts = ballot.contests.map((c) =>
    c.selections.map((s) => ({ alpha: pointFromHex(g, s.alpha, 'a'), beta: pointFromHex(g, s.beta, 'b') })),
  );
  const code = confirmationCode(
    hI,
    cts.map((row, c) => contestHash(g, hI, c, row)),
  );
  const signature = schnorrProve(
    g,
    'schnorr',
    [ballotDigest(hI, code, ballot.contests)],
    credentialScalar(g, secret),
    rnd,
  );
  return { ...ballot, credential: pointHex(g, X), code: toHex(code), signature };
}

function rejected(ballot: BallotBody, check: string, reason: RegExp, at = AT, used: Set<string> = none) {
  const v = checkBallot(g, f.election, ballot, at, used);
  assert.equal(v.ok, false, 'ballot was accepted');
  if (!v.ok) {
    assert.equal(v.check, check, v.reason);
    assert.match(v.reason, reason);
  }
  // The batched path (what `councils verify` runs, with CSPRNG weights): between two honest ballots in one
  // multi-scalar multiplication, the same verdict as the reference path, and the honest ballots pass. Check 5.8
  // (ids seen before) is the board's, not a ballot's.
  const batch = [
    { ballot: honest(1), at: AT },
    { ballot, at },
    { ballot: honest(2), at: AT },
  ];
  const verdicts = verifyBallotsBatched(g, f.election, batch, { randomBytes });
  assert.deepEqual(verdicts[0], { ok: true });
  assert.deepEqual(verdicts[2], { ok: true });
  assert.deepEqual(verdicts[1], verifyBallotBody(g, f.election, ballot, at));
  if (check !== '5.8') assert.deepEqual(verdicts[1], v);
}

describe('malformed ballots are rejected with a reason', () => {
  test('an honest ballot is accepted (the control)', () => {
    assert.deepEqual(checkBallot(g, f.election, honest(), AT, none), { ok: true });
  });

  test('non-canonical point (RFC 9496 A.2 encoding) in a ciphertext', () => {
    const b = structuredClone(honest());
    b.contests[0]!.selections[0]!.alpha = 'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f';
    rejected(b, '5.1', /encoding: .*alpha: invalid or non-canonical/);
  });

  test('non-canonical scalar (>= L) in a proof', () => {
    const b = structuredClone(honest());
    b.contests[0]!.selections[0]!.proof.v[0] = 'ff'.repeat(32);
    rejected(b, '5.1', /non-canonical scalar/);
  });

  test('a proof for the value 2 (an option encrypting 2, correctly signed)', () => {
    const b = structuredClone(honest());
    const prep = prepare(g, f.election);
    const hI = ballotContext(prep.fp, fromHex(b.id, 32, 'id'), fromHex(b.credential, 32, 'X'));
    const r = g.scalar.random(rnd);
    const ct = encrypt(g, prep.K, 2n, r);
    // the best a cheater can do: a [0..1] proof built with a false witness
    const st = { K: prep.K, ct, lo: 0, hi: 1, context: proofContext(hI, 0, 0, 0, 1) };
    b.contests[0]!.selections[0] = {
      alpha: pointHex(g, ct.alpha),
      beta: pointHex(g, ct.beta),
      proof: rangeProve(g, st, 1, r, rnd),
    };
    rejected(resign(b, f.voters[0]!.secret), '5.6', /range proof invalid \(contest 0, option 0\)/);
  });

  test('two options selected in a single-choice contest (each 0/1 proof valid, the sum proof not)', () => {
    const b = structuredClone(honest());
    const two = encryptBallot(g, f.election, f.voters[0]!.secret, [[0, 1, 0]], rnd).ballot;
    b.contests[0]!.selections[1] = two.contests[0]!.selections[1]!;
    // re-prove option 1 under this ballot's id so only the sum is wrong
    const prep = prepare(g, f.election);
    const hI = ballotContext(prep.fp, fromHex(b.id, 32, 'id'), fromHex(b.credential, 32, 'X'));
    const r = g.scalar.random(rnd);
    const ct = encrypt(g, prep.K, 1n, r);
    const st = { K: prep.K, ct, lo: 0, hi: 1, context: proofContext(hI, 0, 1, 0, 1) };
    b.contests[0]!.selections[1] = {
      alpha: pointHex(g, ct.alpha),
      beta: pointHex(g, ct.beta),
      proof: rangeProve(g, st, 1, r, rnd),
    };
    rejected(resign(b, f.voters[0]!.secret), '5.7', /sum proof invalid \(contest 0\)/);
  });

  test('a ballot copied from another voter and re-signed with my credential (replay)', () => {
    const theirs = honest(1);
    rejected(resign(structuredClone(theirs), f.voters[2]!.secret), '5.6', /range proof invalid/);
  });

  test('a ballot copied verbatim (replay of the same ballot)', () => {
    const b = honest(1);
    rejected(b, '5.8', /ballot id reused/, AT, new Set([b.id]));
  });

  test('a ballot id reused by a different ballot', () => {
    const first = honest(1);
    const second = honest(2);
    rejected({ ...second, id: first.id }, '5.8', /ballot id reused/, AT, new Set([first.id]));
  });

  test('a ballot id changed without re-proving (the proofs are bound to the id)', () => {
    const b = honest(1);
    rejected(resign({ ...b, id: 'ab'.repeat(32) }, f.voters[1]!.secret), '5.6', /range proof invalid/);
  });

  test('wrong election fingerprint', () => {
    // the same voter secret is also registered in the other election: a ballot made there is refused here
    const fromOther = honest(0, other.election, other.voters[0]!.secret);
    rejected(fromOther, '5.1', /wrong election fingerprint/);
    // and claiming this election's fingerprint does not help: the confirmation code no longer matches
    rejected({ ...fromOther, election: f.election.fingerprint }, '5.2', /credential not on the list/);
    const mine = honest(0);
    const relabelled = { ...honest(0, other.election, f.voters[0]!.secret) };
    assert.equal(checkBallot(g, other.election, relabelled, AT, none).ok, false); // not on the other list either
    rejected({ ...mine, election: other.election.fingerprint }, '5.1', /wrong election fingerprint/);
  });

  test('bad signature', () => {
    const b = structuredClone(honest());
    b.signature.s = b.signature.s.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    rejected(b, '5.5', /signature invalid/);
  });

  test('credential not on the list (a well-formed ballot from an outsider)', () => {
    const outsider = makeCredential(g, rnd);
    rejected(honest(0, f.election, outsider.secret), '5.2', /credential not on the list/);
  });

  test('vote after closing and before opening (the times are parameters)', () => {
    const b = honest();
    rejected(b, '5.3', /after closing/, manifest3.closesAt + 1);
    rejected(b, '5.3', /before opening/, manifest3.opensAt - 1);
    assert.equal(checkBallot(g, f.election, b, manifest3.closesAt, none).ok, true);
  });

  test('a confirmation code that does not match the ciphertexts', () => {
    const b = { ...honest(), code: '00'.repeat(32) };
    rejected(b, '5.4', /confirmation code/);
  });

  test('garbage instead of a ballot', () => {
    rejected({ ...honest(), contests: [] }, '5.1', /contests/);
    rejected({ ...honest(), id: 'xyz' }, '5.1', /ballot.id/);
  });
});

test('the RFC 9496 A.2 list is what we feed as non-canonical (sanity of the fixture)', () => {
  const rfc = JSON.parse(
    readFileSync(new URL('../vectors/ballot/rfc9496-ristretto255.json', import.meta.url), 'utf8'),
  );
  assert.ok(
    rfc['A.2_invalid_encodings']['non-canonical field encodings'].includes(
      'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    ),
  );
});
