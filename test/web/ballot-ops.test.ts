// The voter's side of a secret ballot as the web app's worker runs it (src/web/secret/ballot-ops.ts), over a
// real board: encrypt, check the receipt, challenge (the decrypted content is what was chosen), and the
// server-side acceptance check agrees with what the browser made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { checkBallot, electionFromKey, nobleGroup, type BoardEntry } from '../../src/ballot/index.ts';
import { boardContest, choicesFor, handleBallotRequest } from '../../src/web/secret/ballot-ops.ts';
import { buildElection, manifest3 } from '../ballot/fixture.ts';

const g = nobleGroup;
const rnd = (n: number) => new Uint8Array(randomBytes(n));

function boardOf(f: ReturnType<typeof buildElection>): BoardEntry[] {
  const at = manifest3.opensAt - 1000;
  return [
    { kind: 'setup', at, body: f.setup },
    ...f.commits.map((body) => ({ kind: 'dkg-commit' as const, at, body })),
    ...f.shares.map((body) => ({ kind: 'dkg-shares' as const, at, body })),
    { kind: 'credentials', at, body: { credentials: f.election.credentials } },
  ];
}

test('encrypt → receipt → challenge → cast, as the browser worker does it', () => {
  const f = buildElection(g, { n: 2, k: 2, voters: 2, seed: 'web-ballot' });
  const board = boardOf(f);
  const contest = boardContest(board)!;
  assert.deepEqual(contest.options, ['yes', 'no', 'abstain']);
  const choices = choicesFor(contest, { no: 1 });
  assert.deepEqual(choices, [[0, 1, 0]]);

  const voter = f.voters[0]!;
  const enc = handleBallotRequest({ op: 'encrypt', board, credentialSecret: voter.secret, choices }, rnd);
  assert.equal(enc.op, 'encrypt');
  if (enc.op !== 'encrypt') return;
  assert.match(enc.code, /^[0-9a-f]{64}$/);
  assert.deepEqual(checkBallot(g, f.election, enc.ballot, manifest3.opensAt + 1, new Set()), { ok: true });

  // Challenge: the spoiled ballot opens to exactly the choices; it can never count.
  const spoil = handleBallotRequest(
    { op: 'spoil', board, ballot: enc.ballot, ballotNonce: enc.ballotNonce },
    rnd,
  );
  assert.equal(spoil.op, 'spoil');
  if (spoil.op !== 'spoil') return;
  assert.deepEqual(spoil.spoiled.plaintext, choices);
  const withSpoiled: BoardEntry[] = [
    ...board,
    { kind: 'spoiled', at: manifest3.opensAt + 1, body: spoil.spoiled },
  ];
  assert.equal(
    (handleBallotRequest({ op: 'check', board: withSpoiled, code: enc.code }, rnd) as any).check.status,
    'spoiled',
  );

  // Encrypt again and cast: the receipt is not on the board until it is, then it is counted.
  const again = handleBallotRequest({ op: 'encrypt', board, credentialSecret: voter.secret, choices }, rnd);
  if (again.op !== 'encrypt') return assert.fail('encrypt');
  assert.notEqual(again.code, enc.code);
  const check = (b: BoardEntry[]) =>
    (handleBallotRequest({ op: 'check', board: b, code: again.code }, rnd) as any).check;
  assert.equal(check(withSpoiled).status, 'not-found');
  const cast: BoardEntry[] = [
    ...withSpoiled,
    { kind: 'ballot', at: manifest3.opensAt + 2, body: again.ballot },
  ];
  assert.equal(check(cast).status, 'counted');
});

test('from setup, key generation and the list summary alone (§4.3) the booth makes the same election', () => {
  const f = buildElection(g, { n: 2, k: 2, voters: 3, seed: 'web-ballot-key' });
  const keyOnly = boardOf(f).filter((e) => e.kind !== 'credentials');
  const list = {
    credentialHash: f.election.credentialHash,
    count: f.election.credentials.length,
    totalWeight: f.election.totalWeight,
  };
  assert.equal(electionFromKey(g, keyOnly, list)?.fingerprint, f.election.fingerprint);
  const choices = [[1, 0, 0]];
  const enc = handleBallotRequest(
    { op: 'encrypt', board: keyOnly, list, credentialSecret: f.voters[1]!.secret, choices },
    rnd,
  );
  if (enc.op !== 'encrypt') return assert.fail(enc.op);
  // the server, holding the whole list, accepts it
  assert.deepEqual(checkBallot(g, f.election, enc.ballot, manifest3.opensAt + 1, new Set()), { ok: true });
  const spoil = handleBallotRequest(
    { op: 'spoil', board: keyOnly, list, ballot: enc.ballot, ballotNonce: enc.ballotNonce },
    rnd,
  );
  if (spoil.op !== 'spoil') return assert.fail(spoil.op);
  assert.deepEqual(spoil.spoiled.plaintext, choices);
  // a false H_C gives a ballot for another election: the real one refuses it (and the receipt check finds it
  // missing), but it cannot change whose key it is encrypted to
  const lie = { ...list, credentialHash: '00'.repeat(32) };
  const misled = handleBallotRequest(
    { op: 'encrypt', board: keyOnly, list: lie, credentialSecret: f.voters[1]!.secret, choices },
    rnd,
  );
  if (misled.op !== 'encrypt') return assert.fail(misled.op);
  assert.equal(checkBallot(g, f.election, misled.ballot, manifest3.opensAt + 1, new Set()).ok, false);
  // a key-generation message altered, or a board that reaches past key generation: no election
  const shares = keyOnly.findIndex((e) => e.kind === 'dkg-shares');
  const altered = keyOnly.map((e, i) =>
    i === shares
      ? ({ ...e, body: { ...e.body, commitments: [...(e.body as any).commitments].reverse() } } as BoardEntry)
      : e,
  );
  assert.equal(electionFromKey(g, altered, list), null);
  assert.equal(electionFromKey(g, boardOf(f), list), null);
  assert.equal(electionFromKey(g, keyOnly, { ...list, count: 0 }), null);
});

test('a credential made in the browser is fresh and only its public part is meant to leave', () => {
  const a = handleBallotRequest({ op: 'credential' }, rnd);
  const b = handleBallotRequest({ op: 'credential' }, rnd);
  if (a.op !== 'credential' || b.op !== 'credential') return assert.fail('credential');
  assert.notEqual(a.secret, b.secret);
  assert.match(a.public, /^[0-9a-f]{64}$/);
  assert.notEqual(a.public, a.secret);
});

test('a board that does not make an election is refused with a reason', () => {
  const f = buildElection(g, { n: 2, k: 2, voters: 1, seed: 'web-ballot-bad' });
  const board = boardOf(f).filter((e) => e.kind !== 'credentials');
  assert.throws(
    () =>
      handleBallotRequest(
        { op: 'encrypt', board, credentialSecret: f.voters[0]!.secret, choices: [[1, 0, 0]] },
        rnd,
      ),
    /does not make a valid election/,
  );
});

test('blind → organisation signs → unblind, as the browser worker does it (docs/BALLOT-PROTOCOL.md §4.1)', async () => {
  const { testIssuer } = await import('../support/issuer.ts');
  const { makeSetup, verifyToken } = await import('../../src/ballot/index.ts');
  const issuer = testIssuer();
  const setup = makeSetup(manifest3, { n: 1, k: 1, issuers: [issuer.key] });
  const board: BoardEntry[] = [{ kind: 'setup', at: manifest3.opensAt, body: setup }];
  const cred = handleBallotRequest({ op: 'credential' }, rnd);
  if (cred.op !== 'credential') return assert.fail(cred.op);
  const req = { board, credential: cred.public, weight: 1 };
  const blinded = handleBallotRequest({ op: 'blind', ...req }, rnd);
  if (blinded.op !== 'blind') return assert.fail(blinded.op);
  assert.ok(!blinded.blindedMessage.includes(cred.public), 'the blinded message hides the credential');
  const blindSignature = issuer.blindSign(blinded.blindedMessage);
  const fin = handleBallotRequest({ op: 'unblind', ...req, blindSignature, inv: blinded.inv }, rnd);
  if (fin.op !== 'unblind') return assert.fail(fin.op);
  assert.equal(verifyToken([issuer.key], setup.setupHash, fin.signed), true);
  // a wrong answer from the server is refused, and a weight without a key is named
  const bad = (blindSignature[0] === '0' ? '1' : '0') + blindSignature.slice(1);
  assert.throws(
    () => handleBallotRequest({ op: 'unblind', ...req, blindSignature: bad, inv: blinded.inv }, rnd),
    /does not verify/,
  );
  assert.throws(() => handleBallotRequest({ op: 'blind', ...req, weight: 2 }, rnd), /weight 2/);
});
