// One secret vote's whole log made through the core, for the benchmarks of ended secret votes
// (bench/closed-votes.bench.ts --secret, bench/ended-secret-pages.bench.ts): a homomorphic (yes/no) vote, or a mixed
// (ranked) one with its three shuffles; real blind signatures, ballots, shuffles and proofs, every entry decided and
// applied as the ledger does, without a database.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { Entry } from '../../src/core/index.ts';

const g0 = '2026-12-07T08:00:00.000Z';
const minutesAfter = (t: string, m: number) => new Date(Date.parse(t) + m * 60_000).toISOString();

export interface SecretVoteLog {
  /** The log, a JSON line an entry, in seq order from 0. */
  file: string;
  orgId: string;
  voteId: string;
}

/**
 * The log of one secret vote of `electors` electors through this code's core (decide, then apply), as JSON lines:
 * founded, moved, opened with an RSA issuing key, three trustees' key generation, every elector issued a blind
 * signature and listed, every elector casting (two in three yes), the duty, two trustees' decryptions, the close.
 * Made once, cached in the temporary directory (a log takes about 5 ms a ballot to make). `publicRecord`: the
 * organisation's record (and so the board) readable by anyone, without signing in.
 */
export async function secretVoteLog(
  electors: number,
  options: {
    publicRecord?: boolean;
    /** A ranked (Schulze) vote among three programmes, mixed by its three trustees in turn (docs/MIXNET.md §16). */
    ranked?: boolean;
  } = {},
): Promise<SecretVoteLog> {
  const ranked = options.ranked ?? false;
  const file = join(
    os.tmpdir(),
    `councils-closed-secret-vote-${electors}${options.publicRecord ? '-public' : ''}${ranked ? '-ranked' : ''}.jsonl`,
  );
  // the organisation's and the vote's ids are the first the log's ids counter makes (`org_1`, then `vote_…`)
  if (existsSync(file) && existsSync(`${file}.ids.json`))
    return {
      file,
      ...(JSON.parse(readFileSync(`${file}.ids.json`, 'utf8')) as { orgId: string; voteId: string }),
    };
  const core = await import('../../src/core/index.ts');
  const ballot = await import('../../src/ballot/index.ts');
  const { nodeBallotCrypto } = await import('../../src/node/ballot-crypto.ts');
  const { testIssuer, signedCredential } = await import('../../test/support/issuer.ts');
  const g = await ballot.sodiumGroup();
  const rnd = (n: number) => new Uint8Array(randomBytes(n));
  const state = core.emptyState(nodeBallotCrypto);
  const lines: string[] = [];
  let ids = 0;
  let now = g0;
  const run = (command: object, actor: string | null) => {
    const d = core.decide(state, command as never, { actor, now, newId: (kind) => `${kind}_${++ids}` });
    if (!d.ok) throw new Error(`${(command as { type: string }).type}: ${d.code} ${d.message}`);
    return d.entries.map((ne) => {
      const e = { ...ne, seq: state.size } as never as Entry;
      core.apply(state, e);
      core.settleVotes(state);
      lines.push(JSON.stringify(e));
      return e;
    });
  };
  const member = (i: number) => `member_${String(i).padStart(7, '0')}`;
  const members = Array.from({ length: electors }, (_, i) => member(i));
  const trustees = members.slice(0, 3);
  run(
    {
      type: 'found_organisation',
      name: 'Memory',
      constitution: {
        procedure: {
          seconders: { kind: 'absolute', count: 0 },
          debateMinimumMinutes: 0,
          votingMinimumMinutes: 1,
          decryptionDays: 3,
        },
        ...(options.publicRecord ? { recordVisibility: 'public' as const } : {}),
      },
      councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
      founders: members.map((memberId, i) => ({ memberId, name: `Member ${i}`, councilId: 'all' })),
    },
    null,
  );
  const [moved] = run(
    {
      type: 'move_motion',
      councilId: 'all',
      text: '',
      ...(ranked
        ? {
            title: 'Which programme?',
            alternatives: ['A', 'B', 'C'].map((title) => ({ title, text: '' })),
            method: 'schulze',
            secret: { trustees, threshold: 2, registrationMinutes: 30, mixMinutes: 10 },
          }
        : { title: 'Strike?', secret: { trustees, threshold: 2, registrationMinutes: 30 } }),
    },
    member(0),
  );
  const motionId = (moved!.payload as { motionId: string }).motionId;
  const issuer = testIssuer();
  const [opened] = run({ type: 'open_vote', motionId, minutes: 60, issuers: [issuer.key] }, member(0));
  const voteId = (opened!.payload as { voteId: string }).voteId;
  const sv = () => state.votes.get(voteId)!.secret!;
  const setup = sv().setup;
  const message = (i: number, kind: string, body: unknown) =>
    run({ type: 'post_trustee_message', voteId, message: { kind, body } }, trustees[i]!);
  const r1 = trustees.map((_, i) => ballot.dkgCommit(g, setup, i + 1, rnd));
  r1.forEach((r, i) => message(i, 'dkg-commit', r.message));
  const commits = r1.map((r) => r.message);
  const dealt = r1.map((r) => ballot.dkgShares(g, setup, r.secret, commits, rnd));
  dealt.forEach((body, i) => message(i, 'dkg-shares', body));
  const creds = members.map(() => ballot.makeCredential(g, rnd));
  for (const m of members) run({ type: 'issue_credential', voteId }, m);
  const list = creds.map((c) => signedCredential(issuer, setup.setupHash, c.public));
  run({ type: 'freeze_credentials', voteId, credentials: list }, null);
  const election = sv().election!;
  const rankings = [
    [['a2'], ['a1']],
    [['a1'], ['a3']],
    [['a3'], ['a2'], ['a1']],
  ];
  creds.forEach((c, i) => {
    const choice = i % 3 ? [1, 0, 0] : [0, 1, 0];
    const b = ranked
      ? ballot.encryptRanking(g, election, c.secret, rankings[i % 3]!, rnd).ballot
      : ballot.encryptBallot(g, election, c.secret, [choice], rnd).ballot;
    run({ type: 'cast_secret_ballot', voteId, ballot: b }, null);
  });
  now = minutesAfter(state.votes.get(voteId)!.closesAt, 1);
  // a mixed vote: each mixer (trustee j in slot j) shuffles the list before it and signs it, a minute apart
  const currentList = () => {
    const mix = sv().mix!;
    return mix.shuffles.at(-1)?.shuffle.ciphertexts ?? ballot.mixInput(election, mix.cast);
  };
  for (let slot = 1; ranked && slot <= trustees.length; slot++) {
    const list = currentList();
    const s = ballot.shuffle(g, election, slot, list, rnd);
    const secret = r1[slot - 1]!.secret.communicationSecret;
    const shuffle = ballot.signShuffle(g, election, slot, list, s, secret, rnd);
    run({ type: 'post_shuffle', voteId, shuffle }, trustees[slot - 1]!);
    now = minutesAfter(now, 1);
  }
  run({ type: 'call_for_decryption', voteId }, null);
  const dkg = ballot.dkgResult(g, setup, commits, dealt, []);
  const aggregate = ranked ? null : ballot.aggregate(g, election, sv().cast);
  for (const i of [0, 1]) {
    const received = ballot.dkgReceive(g, setup, r1[i]!.secret, dealt, rnd).received;
    const share = ballot.trusteeShare(g, r1[i]!.secret, received, dkg);
    if (ranked)
      message(i, 'mix-decryption', ballot.mixPartialDecrypt(g, election, share, currentList(), rnd));
    else message(i, 'partial-decryption', ballot.partialDecrypt(g, election, share, aggregate!, rnd));
  }
  if (state.votes.get(voteId)!.closedAt === null) throw new Error('the secret vote did not close');
  const orgId = state.org!.id;
  writeFileSync(`${file}.partial`, lines.join('\n') + '\n');
  renameSync(`${file}.partial`, file);
  writeFileSync(`${file}.ids.json`, JSON.stringify({ orgId, voteId }));
  return { file, orgId, voteId };
}
