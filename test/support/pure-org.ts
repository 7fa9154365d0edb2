// Drives the pure core without a database: decide, then apply, with a hand-moved clock and counting ids.
import assert from 'node:assert/strict';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import {
  apply,
  approvalMessage,
  keyProofMessage,
  publicKeyOf,
  signMessage,
  attentionByScan,
  attentionFor,
  decide,
  dueAdmissions,
  dueAdmissionsByScan,
  dueExpiries,
  dueExpiriesByScan,
  dueLapses,
  dueLapsesByScan,
  duePetitionMotions,
  duePetitionMotionsByScan,
  dueSealedRecords,
  dueSealedRecordsByScan,
  dueTermEnds,
  dueTermEndsByScan,
  dueVotes,
  dueVotesByScan,
  openVotes,
  emptyState,
  settleVotes,
  type BallotCrypto,
  type Command,
  type Entry,
  type OrgState,
} from '../../src/core/index.ts';
import { members, organisation } from './factory.ts';

export class PureOrg {
  state: OrgState;
  log: Entry[] = [];
  t = Date.parse('2026-01-05T09:00:00.000Z');
  private n = 0;

  /** `crypto`: the ballot backends of secret votes (the core's portable ones if not given). */
  constructor(crypto?: BallotCrypto) {
    this.state = emptyState(crypto);
  }

  now(): string {
    return new Date(this.t).toISOString();
  }
  advanceMinutes(m: number): void {
    this.t += m * 60_000;
  }
  newId = (kind: string): string => `${kind}_${++this.n}`;

  /** Runs a command; returns the entries or the rejection. */
  run(command: Command, actor: string | null) {
    const d = decide(this.state, command, { actor, now: this.now(), newId: this.newId });
    if (!d.ok) return d;
    const entries: Entry[] = [];
    for (const ne of d.entries) {
      const e = { ...ne, seq: this.state.size } as Entry;
      apply(this.state, e);
      this.log.push(e);
      entries.push(e);
    }
    settleVotes(this.state); // as the ledger does once a batch's rows are written
    this.checkSchedulerIndex();
    this.checkAttentionIndex();
    return { ok: true as const, entries };
  }

  /**
   * Every core test that drives an organisation, large ones too, checks the scheduler's indexes against the scans
   * they replace. Their cost grows with the state's items, not with the members squared.
   */
  checkSchedulerIndex(): void {
    const now = this.now();
    // the scheduler's index of motions waiting for seconders, at now and once any wait is over
    for (const at of [now, '9999-12-31T00:00:00.000Z'])
      assert.deepEqual(
        dueLapses(this.state, at).sort(),
        dueLapsesByScan(this.state, at).sort(),
        `lapses at ${at}`,
      );
    checkDueIndex(this.state, now);
  }

  /**
   * Every core test that drives an organisation of at most 40 members also checks the attention index
   * (src/core/attention): each member's inbox read through it equals the inbox made by walking the whole state.
   */
  checkAttentionIndex(): void {
    if (this.state.members.size > 40) return;
    const now = this.now();
    for (const id of this.state.members.keys())
      assert.deepEqual(
        attentionFor(this.state, id, now),
        attentionByScan(this.state, id, now),
        `inbox of ${id}`,
      );
  }

  /** Runs a command the rules must refuse with `code`, checks that nothing was appended; returns the message. */
  refuses(command: Command, actor: string | null, code: string): string {
    const size = this.state.size;
    const r = this.run(command, actor);
    assert.ok(!r.ok, `${command.type} by ${actor} should be refused with ${code}`);
    assert.equal(r.code, code, r.message);
    assert.equal(this.state.size, size, 'a refusal changes nothing');
    return r.message;
  }

  /** Runs a command that must succeed. */
  must(command: Command, actor: string | null): Entry[] {
    const r = this.run(command, actor);
    assert.ok(
      r.ok,
      `expected ${command.type} by ${actor} to succeed, got ${!r.ok ? r.code + ': ' + r.message : ''}`,
    );
    return r.entries;
  }
}

/**
 * The scheduler's index (src/core/schedule) answers exactly as the scans it replaced, in the same order (the order
 * of the commands and entries the scheduler makes), at `now`, a week later and once every deadline is past.
 */
export function checkDueIndex(state: OrgState, now: string): void {
  const week = new Date(Date.parse(now) + 7 * 86_400_000).toISOString();
  for (const at of [now, week, '9999-12-31T00:00:00.000Z']) {
    const ids = (vs: { id: string }[]) => vs.map((v) => v.id);
    const ofAdmissions = (as: { invitationId: string }[]) => as.map((a) => a.invitationId);
    assert.deepEqual(ids(dueVotes(state, at)), ids(dueVotesByScan(state, at)), `votes due at ${at}`);
    assert.deepEqual(dueExpiries(state, at), dueExpiriesByScan(state, at), `expiries at ${at}`);
    assert.deepEqual(
      duePetitionMotions(state, at),
      duePetitionMotionsByScan(state, at),
      `petition votes at ${at}`,
    );
    assert.deepEqual(
      ofAdmissions(dueAdmissions(state, at)),
      ofAdmissions(dueAdmissionsByScan(state, at)),
      `admissions at ${at}`,
    );
    assert.deepEqual(dueTermEnds(state, at), dueTermEndsByScan(state, at), `terms at ${at}`);
    assert.deepEqual(dueSealedRecords(state, at), dueSealedRecordsByScan(state, at), `sealed at ${at}`);
  }
  // the admissions a council's removal ends, by council, each in the order issued, as a walk of every admission finds them
  const pending = new Map<string, string[]>();
  for (const a of state.admissions.values()) {
    if (a.admittedAt !== null || a.endedBy !== null) continue;
    if (!pending.has(a.councilId)) pending.set(a.councilId, []);
    pending.get(a.councilId)!.push(a.invitationId);
  }
  const sortedByKey = (m: Iterable<[string, Iterable<string>]>) =>
    [...m].map(([c, ids]) => [c, [...ids]]).sort(([a], [b]) => (a! < b! ? -1 : 1));
  assert.deepEqual(sortedByKey(state.openAdmissions), sortedByKey(pending), 'open admissions by council');
  // the requests a new one of the same act is refused against, by content, as a walk of every request finds them
  const pendingRequests = new Map<string, string[]>();
  for (const r of state.power.requests.values()) {
    if (r.state !== 'pending' || r.expiredAt !== null) continue;
    if (!pendingRequests.has(r.contentHash)) pendingRequests.set(r.contentHash, []);
    pendingRequests.get(r.contentHash)!.push(r.id);
  }
  assert.deepEqual(
    sortedByKey(state.power.pendingByContent),
    sortedByKey(pendingRequests),
    'pending requests by content',
  );
  // each petition's signatures by council, as a walk of its signatures counts them
  for (const p of state.power.petitions.values()) {
    const walked = new Map<string, number>();
    for (const sig of p.signatures.values()) walked.set(sig.councilId, (walked.get(sig.councilId) ?? 0) + 1);
    const sorted = (m: Map<string, number>) => [...m].sort(([a], [b]) => (a < b ? -1 : 1));
    assert.deepEqual(sorted(p.signedIn), sorted(walked), `signatures by council of ${p.id}`);
  }
  const open = [...state.votes.values()].filter((v) => v.closedAt === null).map((v) => v.id);
  assert.deepEqual(
    openVotes(state).map((v) => v.id),
    open,
    'open votes',
  );
}

/** Federation (root) ← North, South (base, one deputy each). North: ana, ben, cai; South: dan, eve. */
export function foundFederation(org = new PureOrg()): PureOrg {
  org.must(
    organisation({
      name: 'Federation of Workers',
      councils: [
        { id: 'fed', name: 'Federation Council', parentId: null, seatsInParent: 0 },
        { id: 'north', name: 'North', parentId: 'fed', seatsInParent: 1 },
        { id: 'south', name: 'South', parentId: 'fed', seatsInParent: 1 },
      ],
      founders: [
        { memberId: 'ana', name: 'Ana', councilId: 'north' },
        { memberId: 'ben', name: 'Ben', councilId: 'north' },
        { memberId: 'cai', name: 'Cai', councilId: 'north' },
        { memberId: 'dan', name: 'Dan', councilId: 'south' },
        { memberId: 'eve', name: 'Eve', councilId: 'south' },
      ],
    }),
    null,
  );
  return org;
}

/** A member's signing key in the pure tests: derived from their id. */
const secretOf = (who: string) => bytesToHex(sha256(new TextEncoder().encode(`key of ${who}`)));

/** Each of `who` registers their signing key (docs/POWER.md "Member keys"). */
export function registerKeys(org: PureOrg, ...who: string[]): void {
  for (const m of who) {
    const publicKey = publicKeyOf(secretOf(m));
    org.must(
      {
        type: 'register_key',
        publicKey,
        proof: signMessage(keyProofMessage(org.state.org!.id, m, publicKey), secretOf(m)),
      },
      m,
    );
  }
}

/**
 * An amendment of the constitution as a council makes it (docs/POWER.md): `by` requests `amend_constitution` with
 * `constitution` (each block named replaces the one in force), and `approvers` (their keys registered) sign it in
 * turn until it is carried out. Returns the request's id.
 */
export function amendConstitution(
  org: PureOrg,
  constitution: Record<string, unknown>,
  by: string,
  approvers: string[],
): string {
  const [requested] = org.must(
    { type: 'request_act', kind: 'amend_constitution', content: { constitution } },
    by,
  );
  assert.ok(requested?.act === 'privileged_act_requested');
  const id = requested.payload.requestId;
  for (const who of approvers) {
    const r = org.state.power.requests.get(id)!;
    if (r.state !== 'pending') break;
    const signature = signMessage(approvalMessage(org.state.org!.id, id, r.contentHash, 0), secretOf(who));
    org.must({ type: 'approve_request', requestId: id, signature }, who);
  }
  assert.equal(org.state.power.requests.get(id)!.state, 'done', 'the amendment is carried out');
  return id;
}

export function motionId(entries: Entry[]): string {
  const e = entries.find((x) => x.act === 'motion_moved');
  assert.ok(e && e.act === 'motion_moved');
  return e.payload.motionId;
}

export function voteId(entries: Entry[]): string {
  const e = entries.find((x) => x.act === 'vote_opened');
  assert.ok(e && e.act === 'vote_opened');
  return e.payload.voteId;
}

/** North elects `who` as its deputy to the Federation Council by everyone voting for them. */
export function electDeputy(org: PureOrg, council: string, who: string, voters: string[]): string {
  const m = motionId(org.must({ type: 'call_election', councilId: council }, voters[0]!));
  org.must({ type: 'propose_alternative', motionId: m, title: who, text: '', candidateId: who }, voters[0]!);
  const v = voteId(org.must({ type: 'open_vote', motionId: m }, voters[0]!));
  let last: Entry[] = [];
  for (const voter of voters)
    last = org.must({ type: 'cast_ballot', voteId: v, ballot: { choice: 'a1' } }, voter);
  const started = last.find((e) => e.act === 'mandate_started');
  assert.ok(started && started.act === 'mandate_started', 'the election should start a mandate');
  return started.payload.mandateId;
}

/**
 * Federation ← North (ana, ben, cai, dia, eli), South (dan, eve); petitions need 2/5 and debate at most an hour;
 * `constitution`: the rest of its constitution.
 */
export function petitionOrg(
  power: Record<string, unknown> = {},
  constitution: Record<string, unknown> = {},
): PureOrg {
  const org = new PureOrg();
  org.must(
    organisation({
      name: 'Federation',
      constitution: {
        ...constitution,
        power: {
          petitions: { threshold: { kind: 'fraction', num: 2, den: 5 }, debateMaxMinutes: 60 },
          ...power,
        },
      },
      councils: [
        { id: 'fed', name: 'Federation Council', parentId: null, seatsInParent: 0 },
        { id: 'north', name: 'North', parentId: 'fed', seatsInParent: 1 },
        { id: 'south', name: 'South', parentId: 'fed', seatsInParent: 1 },
      ],
      founders: ['ana', 'ben', 'cai', 'dia', 'eli']
        .map((id) => ({ memberId: id, name: id, councilId: 'north' }))
        .concat(['dan', 'eve'].map((id) => ({ memberId: id, name: id, councilId: 'south' }))),
    }),
    null,
  );
  return org;
}

/**
 * One council, `all`, of `names`; Ana moves a motion of two alternatives (a1, a2) and opens its vote for an hour;
 * then each `[member, choice]` casts (`null`: abstains). The vote closes by itself once every member has voted.
 */
export function votedMotion(names: string[], ballots: [string, string | null][]) {
  const org = new PureOrg();
  org.must(organisation({ name: 'Bakers', founders: members('all', ...names) }), null);
  const m = motionId(
    org.must(
      {
        type: 'move_motion',
        councilId: 'all',
        title: 'Opening hours',
        text: 'When do we open?',
        alternatives: [
          { title: 'At six', text: '' },
          { title: 'At seven', text: '' },
        ],
      },
      'ana',
    ),
  );
  const v = voteId(org.must({ type: 'open_vote', motionId: m, minutes: 60 }, 'ana'));
  for (const [who, choice] of ballots) org.must({ type: 'cast_ballot', voteId: v, ballot: { choice } }, who);
  return { org, m, v };
}
