// A secret vote in a council of 1,000 electors (docs/BALLOT-PROTOCOL.md §4.2): the frozen credential list, with a
// 256-byte blind signature per credential, is far larger than one log entry may be (65,535 bytes, C2SP
// tlog-tiles), so it is posted in parts, all in the one freeze. Every part fits, the election is the one the whole
// list makes, ballots count, the replay passes, and a missing, reordered or altered part is named.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import * as ballot from '../../../src/ballot/index.ts';
import { encodeEntry, replayEntries, type Entry } from '../../../src/core/index.ts';
import { nativeRsaPssVerify } from '../../../src/node/rsa-pss-native.ts';
import { motionId, PureOrg, voteId } from '../../support/pure-org.ts';
import { signedCredential, testIssuer } from '../../support/issuer.ts';
import { organisation } from '../../support/factory.ts';

const g = await ballot.sodiumGroup();
const backends = { group: g, rsaPssVerify: nativeRsaPssVerify }; // 1,000 signatures are checked at the freeze and again by each replay
const rnd = (n: number) => new Uint8Array(randomBytes(n));
const ELECTORS = 1000;
const LIMIT = 65_535;

const post = (voteId: string, kind: string, body: unknown) => ({
  type: 'post_trustee_message' as const,
  voteId,
  message: { kind, body } as never,
});

function frozenLargeVote() {
  const org = new PureOrg(backends);
  const members = Array.from({ length: ELECTORS }, (_, i) => `m${i}`);
  org.must(
    organisation({
      name: 'A large union',
      councils: [{ id: 'all', name: 'General assembly', parentId: null, seatsInParent: 0 }],
      founders: members.map((memberId) => ({ memberId, name: memberId, councilId: 'all' })),
    }),
    null,
  );
  const motion = motionId(
    org.must(
      {
        type: 'move_motion',
        councilId: 'all',
        title: 'Strike?',
        text: '',
        secret: { trustees: ['m0'], threshold: 1, registrationMinutes: 60 },
      },
      'm0',
    ),
  );
  const issuer = testIssuer();
  const vote = voteId(
    org.must({ type: 'open_vote', motionId: motion, minutes: 120, issuers: [issuer.key] }, 'm0'),
  );
  const sv = () => org.state.votes.get(vote)!.secret!;
  const setup = sv().setup;
  const r1 = ballot.dkgCommit(g, setup, 1, rnd);
  org.must(post(vote, 'dkg-commit', r1.message), 'm0');
  org.must(post(vote, 'dkg-shares', ballot.dkgShares(g, setup, r1.secret, [r1.message], rnd)), 'm0');
  for (const m of members) org.must({ type: 'issue_credential', voteId: vote }, m);
  const creds = members.map(() => ballot.makeCredential(g, rnd));
  const list = creds.map((c) => signedCredential(issuer, setup.setupHash, c.public));
  const frozen = org.must({ type: 'freeze_credentials', voteId: vote, credentials: list }, null);
  return { org, vote, sv, creds, frozen, secret: r1.secret };
}

test('a council of 1,000 electors freezes its credential list in parts that each fit in a log entry', async () => {
  const { org, vote, sv, creds, frozen, secret } = frozenLargeVote();
  const parts = frozen.filter((e) => e.act === 'board_posted' && e.payload.kind === 'credentials');
  assert.equal(parts.length, frozen.length, 'the freeze posts the list and nothing else');
  assert.ok(parts.length >= 10, `${parts.length} parts for ${ELECTORS} signed credentials`);
  for (const e of parts) {
    const size = encodeEntry(e).length;
    assert.ok(size < LIMIT, `entry ${e.seq} is ${size} bytes`);
  }
  const bodies = parts.map((e) => (e as Extract<Entry, { act: 'board_posted' }>).payload.body);
  assert.deepEqual(
    bodies.map((b) => [(b as ballot.CredentialsBody).part, (b as ballot.CredentialsBody).parts]),
    bodies.map((_, i) => [i + 1, parts.length]),
  );
  // the election is the whole list's: every credential on it, in credential order across the parts
  const election = sv().election!;
  assert.equal(election.credentials.length, ELECTORS);
  assert.equal(election.totalWeight, ELECTORS);
  const joined = bodies.flatMap((b) => (b as ballot.CredentialsBody).credentials.map((c) => c.credential));
  assert.deepEqual(
    joined,
    creds
      .map((c) => c.public)
      .sort((a, b) => (Buffer.from(a, 'hex').compare(Buffer.from(b, 'hex')) < 0 ? -1 : 1)),
  );

  // three ballots, the result decrypted by the one trustee, and the replay passes
  for (const [i, choice] of [
    [0, [1, 0, 0]],
    [500, [0, 1, 0]],
    [999, [1, 0, 0]],
  ] as const) {
    const b = ballot.encryptBallot(g, election, creds[i]!.secret, [[...choice]], rnd).ballot;
    org.must({ type: 'cast_secret_ballot', voteId: vote, ballot: b }, null);
  }
  org.advanceMinutes(121);
  const state = sv();
  const shares = state.board
    .filter((e) => e.kind === 'dkg-shares')
    .map((e) => e.body as ballot.DkgSharesBody);
  const commits = state.board
    .filter((e) => e.kind === 'dkg-commit')
    .map((e) => e.body as ballot.DkgCommitBody);
  const key = ballot.dkgResult(g, state.setup, commits, shares, []);
  const share = ballot.trusteeShare(
    g,
    secret,
    ballot.dkgReceive(g, state.setup, secret, shares, rnd).received,
    key,
  );
  const agg = ballot.aggregate(g, election, state.cast);
  const pd = ballot.partialDecrypt(g, election, share, agg, rnd);
  org.must(post(vote, 'partial-decryption', pd), 'm0');
  assert.deepEqual(sv().result?.tallies, [[2, 1, 0]]);
  const report = await replayEntries(org.log, { crypto: backends });
  assert.deepEqual(
    report.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.detail}`),
    [],
  );

  // tampering with the parts in the log is named by the replay
  const at = org.log.flatMap((e, i) =>
    e.act === 'board_posted' && e.payload.kind === 'credentials' ? [i] : [],
  );
  const secretCheck = async (log: Entry[]) =>
    (await replayEntries(log, { crypto: backends })).find((c) => c.id === 'secret_ballot')!;
  const renumber = (log: Entry[]) => log.map((e, seq) => ({ ...e, seq }) as Entry);
  const missing = renumber(org.log.filter((_, i) => i !== at[3]));
  const m = await secretCheck(missing);
  assert.equal(m.status, 'fail');
  assert.match(m.detail!, /the credential list is in \d+ entries, but entry 1 says \d+ parts/);
  const swapped = [...org.log];
  [swapped[at[1]!], swapped[at[2]!]] = [
    { ...org.log[at[2]!]!, seq: at[1]! } as Entry,
    { ...org.log[at[1]!]!, seq: at[2]! } as Entry,
  ];
  const s = await secretCheck(swapped);
  assert.equal(s.status, 'fail');
  assert.match(s.detail!, /credential list entry 2 says it is part 3/);
});
