// A secret vote through the pure core: every malformed ballot is refused with its reason and changes nothing; a
// cheating trustee is caught and k honest ones still decrypt; the replay (councils verify's core part) runs the
// ballot verifier over the board taken from the log and names a tampered ballot.
import assert from 'node:assert/strict';
import { constants, generateKeyPairSync, privateDecrypt, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import * as ballot from '../../../src/ballot/index.ts';
import { encodeEntry, replayEntries, type Entry } from '../../../src/core/index.ts';
import { credentialScalar, prepare } from '../../../src/ballot/election.ts';
import {
  ballotContext,
  ballotDigest,
  confirmationCode,
  contestHash,
  proofContext,
} from '../../../src/ballot/ballot.ts';
import { encrypt } from '../../../src/ballot/elgamal.ts';
import { pointFromHex, pointHex } from '../../../src/ballot/codec.ts';
import { schnorrProve } from '../../../src/ballot/schnorr.ts';
import { motionId, PureOrg, voteId } from '../../support/pure-org.ts';
import { signedCredential, testIssuer } from '../../support/issuer.ts';
import { organisation } from '../../support/factory.ts';

const g = await ballot.sodiumGroup();
const backends = { group: g }; // the core's and the replay's backend, passed in
const rnd = (n: number) => new Uint8Array(randomBytes(n));
const people = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'];

function assembly(): PureOrg {
  const org = new PureOrg(backends);
  org.must(
    organisation({
      name: 'Assembly',
      councils: [
        { id: 'top', name: 'Top', parentId: null, seatsInParent: 0 },
        { id: 'base', name: 'Base', parentId: 'top', seatsInParent: 1 },
      ],
      founders: people.map((p) => ({ memberId: p, name: p.toUpperCase(), councilId: 'base' })),
    }),
    null,
  );
  return org;
}

interface Setup {
  org: PureOrg;
  vote: string;
  motion: string;
  secrets: ballot.TrusteeSecret[];
  creds: { secret: string; public: string }[];
  election: ballot.Election;
}

const trustees = ['p1', 'p2', 'p3', 'p4', 'p5'];

/** Moves a secret motion with the five trustees, 3 of 5, and opens its vote. */
function openedVote() {
  const org = assembly();
  const motion = motionId(
    org.must(
      {
        type: 'move_motion',
        councilId: 'base',
        title: 'Strike?',
        text: '',
        secret: { trustees, threshold: 3, registrationMinutes: 60 },
      },
      'p1',
    ),
  );
  const issuer = testIssuer();
  const vote = voteId(
    org.must({ type: 'open_vote', motionId: motion, minutes: 120, issuers: [issuer.key] }, 'p1'),
  );
  return { org, motion, issuer, vote };
}

/** Moves a secret motion, runs the DKG (trustee `cheat` deals a bad share to trustee 4), registers, freezes. */
function secretVote(cheat?: number): Setup {
  const { org, motion, issuer, vote } = openedVote();
  const sv = () => org.state.votes.get(vote)!.secret!;
  const setup = sv().setup;
  assert.deepEqual(setup.manifest.contests[0]!.options, ['a1', 'against', 'abstain']);
  const round1 = trustees.map((_, i) => ballot.dkgCommit(g, setup, i + 1, rnd));
  round1.forEach((r, i) => org.must(post(vote, 'dkg-commit', r.message), trustees[i]!));
  const commits = round1.map((r) => r.message);
  round1.forEach((r, i) => {
    const body = ballot.dkgShares(g, setup, r.secret, commits, rnd);
    if (cheat === i + 1) {
      const other = {
        ...r.secret,
        // another first byte (always another: '01' alone left the share good 1 time in 256)
        coefficients: r.secret.coefficients.map((c, j) =>
          j === 0 ? (c.startsWith('01') ? '02' : '01') + c.slice(2) : c,
        ),
      };
      const bad = ballot.dkgShares(g, setup, other, commits, rnd).shares.find((s) => s.to === 4)!;
      body.shares = body.shares.map((s) => (s.to === 4 ? bad : s));
    }
    org.must(post(vote, 'dkg-shares', body), trustees[i]!);
  });
  const shares = sv()
    .board.filter((e) => e.kind === 'dkg-shares')
    .map((e) => e.body as ballot.DkgSharesBody);
  round1.forEach((r, i) => {
    for (const a of ballot.dkgReceive(g, setup, r.secret, shares, rnd).accusations)
      org.must(post(vote, 'dkg-accusation', a), trustees[i]!);
  });
  const creds = people.map(() => ballot.makeCredential(g, rnd));
  for (const p of people) org.must({ type: 'issue_credential', voteId: vote }, p);
  const list = creds.map((c) => signedCredential(issuer, setup.setupHash, c.public));
  // registration is open for an hour unless every elector has registered: six of seven is too early
  const early = org.run({ type: 'freeze_credentials', voteId: vote, credentials: list.slice(1) }, null);
  assert.equal(!early.ok && early.code, 'too_early');
  org.must({ type: 'freeze_credentials', voteId: vote, credentials: list }, null);
  return { org, vote, motion, secrets: round1.map((r) => r.secret), creds, election: sv().election! };
}

function post(voteId: string, kind: string, body: unknown) {
  return { type: 'post_trustee_message' as const, voteId, message: { kind, body } as never };
}

const yes = [[1, 0, 0]];
const no = [[0, 1, 0]];

function cast(s: Setup, voter: number, choices: number[][]) {
  const { ballot: b } = ballot.encryptBallot(g, s.election, s.creds[voter]!.secret, choices, rnd);
  return { b, r: s.org.run({ type: 'cast_secret_ballot', voteId: s.vote, ballot: b }, null) };
}

/** What a cheating client holding a credential can do: encrypt 2 for option 0, prove [0..1] falsely, and sign. */
function forgeTwo(s: Setup, secret: string): ballot.BallotBody {
  const b = structuredClone(ballot.encryptBallot(g, s.election, secret, yes, rnd).ballot);
  const prep = prepare(g, s.election);
  const x = credentialScalar(g, secret);
  const X = g.mulBase(x);
  const hI = ballotContext(prep.fp, ballot.fromHex(b.id, 32, 'id'), g.encode(X));
  const r = g.scalar.random(rnd);
  const ct = encrypt(g, prep.K, 2n, r);
  const st = { K: prep.K, ct, lo: 0, hi: 1, context: proofContext(hI, 0, 0, 0, 1) };
  b.contests[0]!.selections[0] = {
    alpha: pointHex(g, ct.alpha),
    beta: pointHex(g, ct.beta),
    proof: ballot.rangeProve(g, st, 1, r, rnd),
  };
  const cts = b.contests.map((c) =>
    c.selections.map((x) => ({ alpha: pointFromHex(g, x.alpha, 'a'), beta: pointFromHex(g, x.beta, 'b') })),
  );
  const code = confirmationCode(
    hI,
    cts.map((row, c) => contestHash(g, hI, c, row)),
  );
  const signature = schnorrProve(g, 'schnorr', [ballotDigest(hI, code, b.contests)], x, rnd);
  return { ...b, code: ballot.toHex(code), signature };
}

function decrypt(s: Setup, who: number[]) {
  const sv = s.org.state.votes.get(s.vote)!.secret!;
  const shares = sv.board.filter((e) => e.kind === 'dkg-shares').map((e) => e.body as ballot.DkgSharesBody);
  const accusations = sv.board
    .filter((e) => e.kind === 'dkg-accusation')
    .map((e) => e.body as ballot.DkgAccusationBody);
  const commits = sv.board.filter((e) => e.kind === 'dkg-commit').map((e) => e.body as ballot.DkgCommitBody);
  const key = ballot.dkgResult(g, sv.setup, commits, shares, accusations);
  const agg = ballot.aggregate(g, s.election, sv.cast);
  return who.map((i) => {
    const secret = s.secrets[i - 1]!;
    const { received } = ballot.dkgReceive(g, sv.setup, secret, shares, rnd);
    const share = ballot.trusteeShare(g, secret, received, key);
    return ballot.partialDecrypt(g, s.election, share, agg, rnd);
  });
}

describe('a secret vote in the core', () => {
  const s = secretVote();

  test('malformed ballots are refused with the reason, and change nothing', () => {
    const honest = cast(s, 0, yes);
    assert.ok(honest.r.ok);
    const before = s.org.state.size;
    const usedBefore = s.org.state.votes.get(s.vote)!.secret!.usedIds.size;
    const fresh = () => ballot.encryptBallot(g, s.election, s.creds[1]!.secret, yes, rnd).ballot;
    const refusals: [string, unknown, RegExp][] = [];
    const nonCanonical = structuredClone(fresh());
    nonCanonical.contests[0]!.selections[0]!.alpha =
      'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f';
    refusals.push(['non-canonical point', nonCanonical, /^5\.1 encoding: .*alpha/]);
    // a value 2, with the best 0/1 proof a cheater can build (a false witness), correctly signed
    refusals.push([
      'a proof for the value 2',
      forgeTwo(s, s.creds[1]!.secret),
      /^5\.6 range proof invalid \(contest 0, option 0\)/,
    ]);
    const theirs = fresh();
    refusals.push(['a copy of another voter’s ballot (replay)', { ...honest.b }, /^5\.8 ballot id reused/]);
    refusals.push([
      'a copy re-labelled with my credential',
      { ...honest.b, id: fresh().id, credential: s.creds[1]!.public },
      /^5\.[456] /,
    ]);
    refusals.push(['a reused ballot id', { ...theirs, id: honest.b.id }, /^5\.8 ballot id reused/]);
    refusals.push([
      'a wrong election fingerprint',
      { ...theirs, election: 'ab'.repeat(32) },
      /^5\.1 wrong election fingerprint/,
    ]);
    const badSig = structuredClone(theirs);
    badSig.signature.s = badSig.signature.s.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    refusals.push(['a bad signature', badSig, /^5\.5 signature invalid/]);
    const outsider = ballot.makeCredential(g, rnd);
    const foreign = ballot.encryptBallot(g, s.election, outsider.secret, yes, rnd).ballot;
    refusals.push(['a credential not on the list', foreign, /^5\.2 credential not on the list/]);
    // members no signature or hash covers: whoever casts could pad the board with anything (§8.2)
    refusals.push([
      'an unknown member',
      { ...fresh(), note: 'x' },
      /^5\.1 encoding: body\.note: not a member/,
    ]);
    const padded = structuredClone(fresh()) as unknown as {
      contests: { sumProof: Record<string, unknown> }[];
    };
    padded.contests[0]!.sumProof.w = [];
    refusals.push([
      'an unknown member of a proof',
      padded,
      /^5\.1 encoding: body\.contests\[0\]\.sumProof\.w/,
    ]);
    for (const [what, b, reason] of refusals) {
      const r = s.org.run(
        { type: 'cast_secret_ballot', voteId: s.vote, ballot: b as ballot.BallotBody },
        null,
      );
      assert.equal(r.ok, false, `${what} was accepted`);
      if (!r.ok) {
        assert.equal(r.code, 'ballot_rejected', what);
        assert.match(r.message, reason, what);
      }
    }
    // a member cannot cast in their own name: the entry would name them
    const named = s.org.run({ type: 'cast_secret_ballot', voteId: s.vote, ballot: theirs }, 'p2');
    assert.equal(!named.ok && named.code, 'not_allowed');
    assert.equal(s.org.state.size, before);
    assert.equal(s.org.state.votes.get(s.vote)!.secret!.usedIds.size, usedBefore);
    // open ballots and early closing are refused for a secret vote
    assert.equal(
      s.org.run({ type: 'cast_ballot', voteId: s.vote, ballot: { choice: 'a1' } }, 'p3').ok,
      false,
    );
    assert.equal(s.org.run({ type: 'close_vote', voteId: s.vote }, 'p3').ok, false);
  });

  test('challenge, revote, closing: a cheating decryption is refused and k honest trustees decide', async () => {
    // p2 challenges a ballot: it is published as spoiled with its plaintext, and its id can never be cast
    const { ballot: shown, ballotNonce } = ballot.encryptBallot(g, s.election, s.creds[1]!.secret, no, rnd);
    const spoiled = ballot.spoilBallot(g, s.election, shown, ballotNonce);
    const padded = s.org.run(
      {
        type: 'spoil_secret_ballot',
        voteId: s.vote,
        spoiled: { ...spoiled, note: 'x' } as ballot.SpoiledBody,
      },
      null,
    );
    assert.match(!padded.ok ? padded.message : 'accepted', /^5\.1 encoding: body\.note: not a member/);
    s.org.must({ type: 'spoil_secret_ballot', voteId: s.vote, spoiled }, null);
    const again = s.org.run({ type: 'cast_secret_ballot', voteId: s.vote, ballot: shown }, null);
    assert.equal(!again.ok && again.code, 'ballot_rejected');
    // p2..p5 vote yes, p6 no, p7 no then revotes yes: 6 yes (p1 too), 1 no
    for (const v of [1, 2, 3, 4]) assert.ok(cast(s, v, yes).r.ok);
    assert.ok(cast(s, 5, no).r.ok);
    assert.ok(cast(s, 6, no).r.ok);
    assert.ok(cast(s, 6, yes).r.ok);
    const early = s.org.run(post(s.vote, 'partial-decryption', decrypt(s, [1])[0]), 'p1');
    assert.equal(!early.ok && early.code, 'too_early');
    s.org.advanceMinutes(121);
    const late = cast(s, 5, yes).r;
    assert.equal(!late.ok && late.code, 'vote_closed');
    const [p1, p2, p3, p4] = decrypt(s, [1, 2, 3, 4]);
    // trustee 2 cheats: it claims another value, its proof fails, nothing is logged
    const forged = structuredClone(p2!);
    forged.decryptions[0]![0]!.M = p1!.decryptions[0]![0]!.M;
    const caught = s.org.run(post(s.vote, 'partial-decryption', forged), 'p2');
    assert.equal(!caught.ok && caught.code, 'invalid_proof');
    assert.match(!caught.ok ? caught.message : '', /trustee 2: proof invalid for contest 0 option 0/);
    assert.equal(
      s.org.run(post(s.vote, 'partial-decryption', p1), 'p2').ok,
      false,
      'posting as another trustee',
    );
    s.org.must(post(s.vote, 'partial-decryption', p1), 'p1');
    s.org.must(post(s.vote, 'partial-decryption', p3), 'p3');
    const closing = s.org.must(post(s.vote, 'partial-decryption', p4), 'p4');
    assert.deepEqual(
      closing.map((e) => e.act),
      ['board_posted', 'board_posted', 'vote_closed', 'motion_decided'],
    );
    const closed = closing[2]!;
    assert.ok(closed.act === 'vote_closed');
    assert.equal(closed.payload.outcome, 'adopted');
    const sv = s.org.state.votes.get(s.vote)!.secret!;
    assert.deepEqual(sv.result, { tallies: [[6, 1, 0]], trustees: [1, 3, 4] });
    assert.equal(s.org.state.motions.get(s.motion)!.state, 'decided');
    // A minority statement on a secret vote: any elector may attach one under their name; nobody else may.
    s.org.must(
      { type: 'attach_minority_statement', motionId: s.motion, text: 'I disagree with this.' },
      'p6',
    );
    const outsider = s.org.run(
      { type: 'attach_minority_statement', motionId: s.motion, text: 'x' },
      'nobody',
    );
    assert.equal(!outsider.ok && outsider.code, 'not_a_member');
    // every ballot entry is anonymous
    for (const e of s.org.log)
      if (e.act === 'board_posted' && e.payload.kind === 'ballot') assert.equal(e.actor, null);

    const checks = await replayEntries(s.org.log, { crypto: backends });
    const failed = checks.filter((c) => c.status !== 'pass');
    assert.deepEqual(failed, []);
    const secret = checks.find((c) => c.id === 'secret_ballot')!;
    assert.match(secret.detail!, /7 ballots counted, 1 superseded/);

    // one byte of one ballot changed in the log: the replay fails and names the ballot
    const i = s.org.log.findIndex((e) => e.act === 'board_posted' && e.payload.kind === 'ballot');
    const target = s.org.log[i]! as Extract<Entry, { act: 'board_posted' }>;
    const text = new TextDecoder().decode(encodeEntry(target));
    const body = target.payload.body as ballot.BallotBody;
    const beta = body.contests[0]!.selections[1]!.beta;
    const flipped = beta.slice(0, 10) + (beta[10] === '0' ? '1' : '0') + beta.slice(11);
    const tampered = JSON.parse(text.replace(beta, flipped)) as Entry;
    const log = [...s.org.log];
    log[i] = tampered;
    const bad = (await replayEntries(log, { crypto: backends })).find((c) => c.id === 'secret_ballot')!;
    assert.equal(bad.status, 'fail');
    assert.match(bad.detail!, new RegExp(`entry ${target.seq} ballot ${body.id}: 5\\.`));
    assert.deepEqual(bad.where, { entry: target.seq });
  });
});

describe('a trustee who deals a bad share', () => {
  test('is accused, disqualified, refused at decryption, and the tally completes with k honest ones', async () => {
    const s = secretVote(2);
    assert.deepEqual(s.election.qualified, [1, 3, 4, 5]);
    for (const v of [0, 1, 2]) assert.ok(cast(s, v, v === 0 ? no : yes).r.ok);
    s.org.advanceMinutes(121);
    const [p2, p3, p4, p5] = decrypt(s, [2, 3, 4, 5]);
    const refused = s.org.run(post(s.vote, 'partial-decryption', p2), 'p2');
    assert.equal(!refused.ok && refused.code, 'not_allowed');
    s.org.must(post(s.vote, 'partial-decryption', p3), 'p3');
    s.org.must(post(s.vote, 'partial-decryption', p5), 'p5');
    s.org.must(post(s.vote, 'partial-decryption', p4), 'p4');
    const sv = s.org.state.votes.get(s.vote)!.secret!;
    assert.deepEqual(sv.result, { tallies: [[2, 1, 0]], trustees: [3, 4, 5] });
    // 3 of 7 present: the default quorum decides; either way the replay must agree with the logged outcome
    const checks = await replayEntries(s.org.log, { crypto: backends });
    assert.deepEqual(
      checks.filter((c) => c.status !== 'pass'),
      [],
    );
    assert.match(checks.find((c) => c.id === 'secret_ballot')!.detail!, /trustee 2 disqualified/);
  });
});

describe('trustees appointed by the privileged act appoint_trustees', () => {
  test('are the default, and the only ones a mover may name', () => {
    const org = assembly();
    // the act's effect on the state (docs/POWER.md): the organisation's appointed trustees
    const s = org.state as unknown as { power?: { trustees?: string[] } };
    s.power ??= {};
    s.power.trustees = ['p5', 'p6', 'p7'];
    const move = (secret: Record<string, unknown>) =>
      org.run(
        { type: 'move_motion', councilId: 'base', title: 'Secret', text: '', secret: secret as never },
        'p1',
      );
    assert.throws(
      () => move({ trustees: ['p1', 'p2'] }),
      /secret\.trustees\[0\] is not an appointed trustee/,
    );
    const moved = move({});
    assert.ok(moved.ok);
    const m = org.state.motions.get(motionId(moved.entries))!;
    assert.deepEqual(m.decision.secret, { trustees: ['p5', 'p6', 'p7'], threshold: 2, appointed: true });
    const opened = org.must({ type: 'open_vote', motionId: m.id, minutes: 60 }, 'p1');
    const sv = org.state.votes.get(voteId(opened))!.secret!;
    assert.deepEqual([sv.trustees, sv.setup.n, sv.setup.k], [['p5', 'p6', 'p7'], 3, 2]);
  });
});

describe('credentials issued by blind signature (docs/BALLOT-PROTOCOL.md §4.1)', () => {
  /** A secret vote up to its joint key; nobody issued yet. */
  function keyed() {
    const org = assembly();
    const motion = motionId(
      org.must(
        {
          type: 'move_motion',
          councilId: 'base',
          title: 'Strike?',
          text: '',
          secret: { trustees: ['p1'], threshold: 1, registrationMinutes: 60 },
        },
        'p1',
      ),
    );
    const open = { type: 'open_vote' as const, motionId: motion, minutes: 120 };
    const wrong = { ...testIssuer(2).key };
    assert.throws(() => org.run({ ...open, issuers: [wrong] }, 'p1'), /one key for each weight 1/);
    const issuer = testIssuer();
    const vote = voteId(org.must({ ...open, issuers: [issuer.key] }, 'p1'));
    const sv = () => org.state.votes.get(vote)!.secret!;
    const setup = sv().setup;
    assert.deepEqual(setup.issuers, [issuer.key]);
    const r1 = ballot.dkgCommit(g, setup, 1, rnd);
    org.must(post(vote, 'dkg-commit', r1.message), 'p1');
    org.must(post(vote, 'dkg-shares', ballot.dkgShares(g, setup, r1.secret, [r1.message], rnd)), 'p1');
    return { org, vote, sv, issuer, setupHash: setup.setupHash };
  }

  test('one issuance per elector, logged in their name; a second one and a non-member are refused', () => {
    const { org, vote, sv } = keyed();
    const e = org.must({ type: 'issue_credential', voteId: vote }, 'p3');
    assert.equal(e[0]!.actor, 'p3');
    assert.deepEqual(e[0]!.payload, { voteId: vote, kind: 'credential-issued', body: { weight: 1 } });
    const size = org.state.size;
    const again = org.run({ type: 'issue_credential', voteId: vote }, 'p3');
    assert.equal(!again.ok && again.code, 'already_exists');
    const stranger = org.run({ type: 'issue_credential', voteId: vote }, 'nobody');
    assert.equal(!stranger.ok && stranger.code, 'not_an_elector');
    assert.equal(org.state.size, size, 'refusals change nothing');
    assert.deepEqual(
      sv().issued.map((i) => i.member),
      ['p3'],
    );
    assert.equal(sv().board.length, 3, 'issuances are beside the board, not on it');
  });

  test('a forged signature, another election’s key, a list longer than the issuances: refused, nothing changes', () => {
    const { org, vote, issuer, setupHash, sv } = keyed();
    for (const p of people.slice(0, 6)) org.must({ type: 'issue_credential', voteId: vote }, p);
    const signed = people
      .slice(0, 6)
      .map(() => signedCredential(issuer, setupHash, ballot.makeCredential(g, rnd).public));
    const freeze = (credentials: ballot.SignedCredential[]) =>
      org.run({ type: 'freeze_credentials', voteId: vote, credentials }, null);
    const size = org.state.size;
    const s0 = signed[0]!.signature;
    const forged = {
      ...signed[0]!,
      signature: s0.slice(0, 20) + (s0[20] === 'a' ? 'b' : 'a') + s0.slice(21),
    };
    assert.throws(() => freeze([forged, ...signed.slice(1)]), /credentials\[0\]: signature invalid/);
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    void privateKey;
    const jwk = publicKey.export({ format: 'jwk' });
    const other = {
      key: { weight: 1, n: Buffer.from(jwk.n!, 'base64url').toString('hex'), e: '010001' },
      blindSign: (m: string) =>
        privateDecrypt(
          { key: privateKey, padding: constants.RSA_NO_PADDING },
          Buffer.from(m, 'hex'),
        ).toString('hex'),
    };
    const foreign = signedCredential(other, setupHash, ballot.makeCredential(g, rnd).public);
    assert.throws(() => freeze([...signed.slice(0, 5), foreign]), /credentials\[5\]: signature invalid/);
    const otherElection = signedCredential(
      issuer,
      ballot.toHex(rnd(32)),
      ballot.makeCredential(g, rnd).public,
    );
    assert.throws(
      () => freeze([...signed.slice(0, 5), otherElection]),
      /credentials\[5\]: signature invalid/,
    );
    // the issuer signs a 7th credential for the elector who never asked: one more than the 6 issuances
    const stuffed = signedCredential(issuer, setupHash, ballot.makeCredential(g, rnd).public);
    assert.throws(() => freeze([...signed, stuffed]), /7 credentials of weight 1 but 6 issued/);
    assert.throws(() => freeze([...signed, signed[0]!]), /duplicate credential/);
    assert.equal(org.state.size, size, 'nothing appended');
    assert.equal(sv().election, null);
    // after registration ends, the six issued credentials freeze
    org.advanceMinutes(61);
    const late = org.run({ type: 'issue_credential', voteId: vote }, 'p7');
    assert.equal(!late.ok && late.code, 'wrong_state');
    org.must({ type: 'freeze_credentials', voteId: vote, credentials: signed }, null);
    assert.equal(sv().election!.credentials.length, 6);
  });

  test('the replay catches a list stuffed beyond the issuances in the log', async () => {
    const { org, vote, issuer, setupHash } = keyed();
    for (const p of people.slice(0, 6)) org.must({ type: 'issue_credential', voteId: vote }, p);
    const signed = people
      .slice(0, 6)
      .map(() => signedCredential(issuer, setupHash, ballot.makeCredential(g, rnd).public));
    org.advanceMinutes(61);
    org.must({ type: 'freeze_credentials', voteId: vote, credentials: signed }, null);
    const ok = await replayEntries(org.log, { crypto: backends });
    assert.deepEqual(
      ok.filter((c) => c.status !== 'pass'),
      [],
    );
    const i = org.log.findIndex((e) => e.act === 'board_posted' && e.payload.kind === 'credentials');
    const entry = org.log[i]! as Extract<Entry, { act: 'board_posted' }>;
    const stuffed = signedCredential(issuer, setupHash, ballot.makeCredential(g, rnd).public);
    const body = entry.payload.body as ballot.CredentialsBody;
    const log = [...org.log];
    log[i] = {
      ...entry,
      payload: { ...entry.payload, body: { credentials: [...body.credentials, stuffed] } },
    };
    const bad = (await replayEntries(log, { crypto: backends })).find((c) => c.id === 'secret_ballot')!;
    assert.equal(bad.status, 'fail');
    assert.match(bad.detail!, new RegExp(`entry ${entry.seq}: 7 credentials of weight 1 but 6 issued`));
    // and a forged signature in the logged list is named too
    const s0 = body.credentials[0]!.signature!;
    const forged = {
      ...body.credentials[0]!,
      signature: s0.slice(0, 20) + (s0[20] === 'a' ? 'b' : 'a') + s0.slice(21),
    };
    log[i] = {
      ...entry,
      payload: { ...entry.payload, body: { credentials: [forged, ...body.credentials.slice(1)] } },
    };
    const forgedReport = (await replayEntries(log, { crypto: backends })).find(
      (c) => c.id === 'secret_ballot',
    )!;
    assert.match(forgedReport.detail!, /credentials\[0\]: signature invalid/);
  });
});

describe('a trustee message of the wrong shape', () => {
  test('is refused naming the field and changes nothing, so one trustee cannot make the board fail check 1', () => {
    const { org, vote } = openedVote();
    const setup = org.state.votes.get(vote)!.secret!.setup;
    const { message } = ballot.dkgCommit(g, setup, 1, rnd);
    const size = org.state.size;
    const bad: [unknown, RegExp][] = [
      [{ ...message, commitmentHash: 'zz' }, /body\.commitmentHash: expected 32-byte hex/],
      [{ ...message, pop: { R: message.pop.R } }, /body\.pop\.s: expected 32-byte hex/],
      [{ trustee: 1 }, /body\.commitmentHash/],
      [{ ...message, note: 'x' }, /body\.note: not a member of this message/],
      [{ ...message, pop: { ...message.pop, t: '00' } }, /body\.pop\.t: not a member/],
    ];
    for (const [body, why] of bad) {
      assert.throws(() => org.run(post(vote, 'dkg-commit', body), 'p1'), why);
      assert.equal(org.state.size, size);
    }
    org.must(post(vote, 'dkg-commit', message), 'p1');
    // the board check 1 reads: every message the core accepted has its kind's shape
    const board = org.state.votes.get(vote)!.secret!.board;
    assert.deepEqual(
      board.map((e) => ballot.entryShape(e)),
      [null, null],
    );
  });
});

describe('a trustee who deals after the credential list is frozen', () => {
  test('is refused and changes nothing, so a late dealer cannot break the board’s order (check 1)', () => {
    const { org, issuer, vote } = openedVote();
    const sv = () => org.state.votes.get(vote)!.secret!;
    const setup = sv().setup;
    const round1 = trustees.map((_, i) => ballot.dkgCommit(g, setup, i + 1, rnd));
    round1.forEach((r, i) => org.must(post(vote, 'dkg-commit', r.message), trustees[i]!));
    const commits = round1.map((r) => r.message);
    const dealt = round1.map((r) => ballot.dkgShares(g, setup, r.secret, commits, rnd));
    // trustees 1–4 deal (3 are needed); trustee 5 holds its shares back until the list is frozen
    dealt.slice(0, 4).forEach((body, i) => org.must(post(vote, 'dkg-shares', body), trustees[i]!));
    const creds = people.map(() => ballot.makeCredential(g, rnd));
    for (const p of people) org.must({ type: 'issue_credential', voteId: vote }, p);
    const list = creds.map((c) => signedCredential(issuer, setup.setupHash, c.public));
    org.must({ type: 'freeze_credentials', voteId: vote, credentials: list }, null);
    const size = org.state.size;
    const late = org.run(post(vote, 'dkg-shares', dealt[4]), 'p5');
    assert.equal(!late.ok && late.code, 'wrong_state');
    assert.equal(org.state.size, size);
    const board = sv().board.map((e) => ({ kind: e.kind, at: e.at, body: e.body }));
    const report = ballot.verifyBoard(g, board as ballot.BoardEntry[]);
    assert.ok(report.checks[0]!.ok, JSON.stringify(report.checks[0]));
  });
});
