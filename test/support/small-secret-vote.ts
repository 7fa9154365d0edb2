// A small secret vote through the service, for the rules of decryption and mixing and their replay
// (docs/MIXNET.md §16, docs/BALLOT-PROTOCOL.md): five members, the first three the trustees (any two decrypt) and,
// for a ranked vote, its mixers in order; every member holds a credential and a few ballots are cast. Ranked: a
// Schulze motion among three programmes, mixed; otherwise a yes/no motion, tallied homomorphically. The trustees'
// devices are library calls; the clock is moved by hand, the scheduler run when a test asks.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as ballot from '../../src/ballot/index.ts';
import type { Command, Entry, Vote } from '../../src/core/index.ts';
import { runDueActs } from '../../src/server/scheduler.ts';
import { issueCredential, listSignedCredential } from '../../src/server/secret-votes.ts';
import { CouncilsService } from '../../src/server/service.ts';
import type { Db } from '../../src/store/database.ts';
import { readRawEntries } from '../../src/store/log-repository.ts';
import { TestClock } from './databases.ts';
import { organisation } from './factory.ts';

const rnd = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

export interface SmallSecretVote {
  service: CouncilsService;
  clock: TestClock;
  orgId: string;
  voteId: string;
  motionId: string;
  /** The trustees (members) in order: trustee i is mixer slot i. */
  trustees: string[];
  election: ballot.Election;
  /** Voting's end. */
  closesAt: string;
  vote(): Promise<Vote>;
  /** Runs a command through the ledger: the entries, or the refusal. */
  execute(actor: string | null, c: Command): ReturnType<ReturnType<CouncilsService['ledger']>['execute']>;
  /** The trustees' secrets (trustee i is trusteeSecrets[i - 1]): mixer slot i signs with its communication key. */
  trusteeSecrets: ballot.TrusteeSecret[];
  /** The list the next mixer shuffles, or (mixing over) the list the trustees decrypt. */
  currentList(): Promise<ballot.MixList>;
  /** The mixer of `slot` (1-based) shuffles the current list honestly, and signs it. */
  shuffle(slot: number): Promise<void>;
  /**
   * Voting closes; mixer 1 shuffles at once, mixers 2 and 3 are skipped by the scheduler at their deadlines (then
   * the duty is recorded). `whileMixing` runs after the close, before the shuffle. Returns the end of mixing.
   */
  mixOneSkipTwo(whileMixing?: () => Promise<void>): Promise<string>;
  /** Trustee `i`'s (1-based) honest decryption share: of the current list (ranked), else of the tally. */
  share(i: number): Promise<ballot.MixDecryptionBody>;
  partial(i: number): Promise<ballot.PartialDecryptionBody>;
  /** Trustee `i` posts `body` (by default its honest share): the entries, or the refusal. */
  decrypt(
    i: number,
    body?: ballot.MixDecryptionBody | ballot.PartialDecryptionBody,
  ): ReturnType<SmallSecretVote['execute']>;
  /** Runs the scheduler's due acts once. */
  tick(): Promise<number>;
  /** The whole log as stored. */
  entries(): Promise<Entry[]>;
}

/**
 * Opens the vote and runs it up to the close: key generation, a credential for every member, `ballots` ranked
 * ballots cast; voting lasts an hour, each mixer has `mixMinutes`, and the procedure gives `decryptionDays`.
 */
export async function openSmallSecretVote(
  db: Db,
  options: {
    ballots?: number;
    mixMinutes?: number;
    decryptionDays?: number;
    ranked?: boolean;
    /** The record (and so the board) readable by anyone, without signing in. */
    publicRecord?: boolean;
  } = {},
): Promise<SmallSecretVote> {
  const g = await ballot.sodiumGroup();
  const clock = new TestClock();
  const service = new CouncilsService(db, clock, {});
  const members = ['m0', 'm1', 'm2', 'm3', 'm4'];
  const { orgId } = await service.found(
    organisation({
      name: 'Works',
      founders: members.map((memberId) => ({ memberId, name: memberId, councilId: 'all' })),
      constitution: {
        procedure: {
          seconders: { kind: 'absolute', count: 0 },
          debateMinimumMinutes: 0,
          votingMinimumMinutes: 1,
          coolingOffDays: 0,
          decryptionDays: options.decryptionDays ?? 3,
        },
        ...(options.publicRecord ? { recordVisibility: 'public' as const } : {}),
      },
    }),
  );
  const run = (actor: string | null, c: Command) => service.run(orgId, actor, c);
  const trustees = members.slice(0, 3);
  const ranked = options.ranked ?? true;
  const moved = await run(
    'm0',
    ranked
      ? {
          type: 'move_motion',
          councilId: 'all',
          title: 'Which programme?',
          text: '',
          alternatives: ['A', 'B', 'C'].map((title) => ({ title, text: '' })),
          method: 'schulze',
          secret: { trustees, threshold: 2, registrationMinutes: 30, mixMinutes: options.mixMinutes ?? 10 },
        }
      : {
          type: 'move_motion',
          councilId: 'all',
          title: 'Shall we?',
          text: '',
          secret: { trustees, threshold: 2, registrationMinutes: 30 },
        },
  );
  const motionId = (moved[0]!.payload as { motionId: string }).motionId;
  const opened = await run('m0', { type: 'open_vote', motionId, minutes: 60 });
  const voteId = (opened[0]!.payload as { voteId: string }).voteId;
  const vote = async () => (await service.ledger(orgId).current()).votes.get(voteId)!;
  const setup = (await vote()).secret!.setup;
  const r1 = trustees.map((_, i) => ballot.dkgCommit(g, setup, i + 1, rnd));
  const message = (i: number, kind: string, body: unknown) =>
    run(trustees[i]!, { type: 'post_trustee_message', voteId, message: { kind, body } as never });
  for (const [i, r] of r1.entries()) await message(i, 'dkg-commit', r.message);
  const commits = r1.map((x) => x.message);
  const dealt = r1.map((r) => ballot.dkgShares(g, setup, r.secret, commits, rnd));
  for (const [i, body] of dealt.entries()) await message(i, 'dkg-shares', body);
  const key = setup.issuers![0]!;
  const creds = members.map(() => ballot.makeCredential(g, rnd));
  for (const [i, c] of creds.entries()) {
    const req = ballot.requestToken(key, setup.setupHash, c.public, rnd);
    const issued = await issueCredential(service, orgId, voteId, members[i]!, req.blindedMessage);
    const signed = ballot.finishToken(key, setup.setupHash, c.public, issued.blindSignature, req.inv)!;
    await listSignedCredential(service, orgId, voteId, signed);
  }
  const v = await vote();
  const election = v.secret!.election!;
  const rankings = [
    [['a2'], ['a1']],
    [['a1'], ['a3']],
    [['a3'], ['a2'], ['a1']],
  ];
  if (ranked) {
    // a challenged ballot, opened on the board and never mixed
    const c = ballot.encryptRanking(g, election, creds[4]!.secret, [['a1']], rnd);
    const spoiled = ballot.spoilRanked(g, election, c.ballot, c.ballotNonce);
    await run(null, { type: 'spoil_secret_ballot', voteId, spoiled });
  }
  for (let i = 0; i < (options.ballots ?? 3); i++) {
    const b = ranked
      ? ballot.encryptRanking(g, election, creds[i]!.secret, rankings[i % 3]!, rnd).ballot
      : ballot.encryptBallot(g, election, creds[i]!.secret, [i % 2 ? [0, 1, 0] : [1, 0, 0]], rnd).ballot;
    await run(null, { type: 'cast_secret_ballot', voteId, ballot: b });
  }
  const dkg = ballot.dkgResult(g, setup, commits, dealt, []);
  const shareOf = (i: number) =>
    ballot.trusteeShare(
      g,
      r1[i]!.secret,
      ballot.dkgReceive(g, setup, r1[i]!.secret, dealt, rnd).received,
      dkg,
    );
  const currentList = async () => {
    const mix = (await vote()).secret!.mix!;
    const last = mix.shuffles.at(-1);
    return last ? last.shuffle.ciphertexts : ballot.mixInput(election, mix.cast);
  };
  const execute: SmallSecretVote['execute'] = (actor, c) => service.ledger(orgId).execute(c, actor);
  const share = async (i: number) =>
    ballot.mixPartialDecrypt(g, election, shareOf(i - 1), await currentList(), rnd);
  const shuffle = async (slot: number) => {
    const mixer = (await vote()).secret!.mix!.shuffles.length + 1;
    const list = await currentList();
    const s = ballot.shuffle(g, election, mixer, list, rnd);
    const signed = ballot.signShuffle(
      g,
      election,
      slot,
      list,
      s,
      r1[slot - 1]!.secret.communicationSecret,
      rnd,
    );
    await run(trustees[slot - 1]!, { type: 'post_shuffle', voteId, shuffle: signed });
  };
  const partial = async (i: number) =>
    ballot.partialDecrypt(
      g,
      election,
      shareOf(i - 1),
      ballot.aggregate(g, election, (await vote()).secret!.cast),
      rnd,
    );
  return {
    service,
    clock,
    orgId,
    voteId,
    motionId,
    trustees,
    election,
    closesAt: v.closesAt,
    vote,
    execute,
    trusteeSecrets: r1.map((r) => r.secret),
    currentList,
    shuffle,
    async mixOneSkipTwo(whileMixing) {
      clock.advanceMinutes(61);
      await runDueActs(service, [orgId]);
      await whileMixing?.();
      await shuffle(1);
      for (let slot = 2; slot <= 3; slot++) {
        clock.advanceMinutes(options.mixMinutes ?? 10);
        await runDueActs(service, [orgId]);
      }
      const mix = (await vote()).secret!.mix!;
      if (mix.skipped.length !== 2) throw new Error(`mixers skipped: ${mix.skipped.length}`);
      return mix.skipped[1]!.time;
    },
    share,
    partial,
    async decrypt(i, body) {
      const kind = ranked ? 'mix-decryption' : 'partial-decryption';
      const message = { kind, body: body ?? (await (ranked ? share(i) : partial(i))) } as never;
      return execute(trustees[i - 1]!, { type: 'post_trustee_message', voteId, message });
    },
    tick: () => runDueActs(service, [orgId]),
    async entries() {
      const out: Entry[] = [];
      for await (const r of readRawEntries(db.kysely, orgId)) out.push(JSON.parse(r.body) as Entry);
      return out;
    },
  };
}

/** Runs the small vote to its close: the duty, a mixer's shuffle (ranked) and two trustees' decryptions. */
export async function closeSmallSecretVote(v: SmallSecretVote, ranked: boolean): Promise<void> {
  if (ranked) await v.mixOneSkipTwo();
  else {
    v.clock.advanceMinutes(61);
    await v.tick();
  }
  for (const i of [1, 2]) assert.equal((await v.decrypt(i)).ok, true);
  assert.equal((await v.vote()).outcome, 'adopted');
}

/** Closes a ranked small vote's voting; mixers 1 and 2 shuffle, mixer 3 is skipped at its deadline; two trustees decrypt. */
export async function closeTwoShuffles(v: SmallSecretVote): Promise<void> {
  v.clock.advanceMinutes(61);
  await v.tick();
  await v.shuffle(1);
  await v.shuffle(2);
  v.clock.advanceMinutes(10);
  await v.tick();
  for (const i of [1, 2]) assert.equal((await v.decrypt(i)).ok, true);
  assert.equal((await v.vote()).outcome, 'adopted');
}

/** Empties the bodies of an organisation's log rows at `seqs` (a damaged log, in a test's database only). */
export async function emptyBodies(db: Db, orgId: string, seqs: readonly number[]): Promise<void> {
  await db.kysely
    .updateTable('log_entries')
    .set({ body: '{}' })
    .where('org_id', '=', orgId)
    .where('seq', 'in', [...seqs])
    .execute();
}

/** Empties the bodies of the vote's `board_posted` log rows that `pick` picks (by kind and seq); their seqs. */
export async function emptyBoardBodies(
  db: Db,
  v: SmallSecretVote,
  pick: (kind: string, seq: number) => boolean,
): Promise<number[]> {
  const seqs = (await v.entries())
    .filter((e) => e.act === 'board_posted' && e.payload.voteId === v.voteId && pick(e.payload.kind, e.seq))
    .map((e) => e.seq);
  if (seqs.length) await emptyBodies(db, v.orgId, seqs);
  return seqs;
}
