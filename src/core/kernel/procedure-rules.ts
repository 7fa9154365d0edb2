// The constitution's procedure (docs/PROCEDURE.md): how a motion reaches the agenda, how long it is debated, who
// opens its vote and when, how long the vote lasts, re-votes after no quorum, cooling-off, the emergency
// procedure, lapsing unseconded motions, changing an open ballot, the recall's right of reply. Kept under
// `constitution.procedure`. A constitution without the block is one written before it existed: its motions follow
// the old rules (any member opens a vote after `debateMinimumMinutes`), so old logs replay as they were made. New
// organisations are founded with `defaultProcedure`. A block written before a setting existed lacks it and keeps
// the behaviour of its time (each optional setting says which) until an amendment writes the block again.
import type { Fraction } from '../../count/majority.ts';
import { InvalidCommand } from './errors.ts';
import { int, obj } from './settings.ts';
import { frac, type Threshold } from './power-rules.ts';

export interface Procedure {
  /**
   * Members other than the mover who must second a motion before it is on the agenda (its debate begins): a
   * number, or a share of the council's other members rounded up. `{kind:"absolute",count:0}`: none.
   */
  seconders: Threshold;
  /** Minimum minutes of debate, from when the motion is on the agenda, before the mover may open the vote. */
  debateMinimumMinutes: number;
  /** The share of the council's members whose support for closure opens the vote before the minimum debate. */
  closure: Fraction;
  /** The shortest vote, in minutes (the constitution's `votingMinutes` is the default and the longest). */
  votingMinimumMinutes: number;
  /** How many times a motion whose vote failed for lack of quorum may be put to the vote again. */
  quorumRevotes: number;
  /** Days after a motion was voted down (or failed for lack of quorum) before the same motion may be moved again. */
  coolingOffDays: number;
  /**
   * The emergency procedure, or null when the constitution offers none: a motion moved as an emergency is
   * marked so in the record, is decided by `majority` of the votes cast (a supermajority), and has these shorter
   * minimums.
   */
  emergency: { majority: Fraction; debateMinimumMinutes: number; votingMinimumMinutes: number } | null;
  /**
   * Days a motion may wait for its seconders; then it lapses (the organisation's act, on time). 0: it waits for
   * ever. Absent in a block written before 2026-12-06: motions waited for ever.
   */
  unsecondedLapseDays?: number;
  /**
   * Whether an elector may cast an open ballot again until the vote closes, the later replacing the earlier (a
   * secret ballot can always be cast again: docs/BALLOT-PROTOCOL.md, the last ballot of a credential counts).
   * Absent in a block written before 2026-12-06: a ballot once cast was final.
   */
  ballotsChangeable?: boolean;
  /**
   * The right of reply: the least minutes a recall is debated before its vote opens (docs/PROCEDURE.md
   * "Recall"). Absent in a block written before 2026-12-06, which kept it as `recall.debateMinutes` beside the
   * block (`recallReplyMinutes` reads either).
   */
  recallDebateMinutes?: number;
  /**
   * Days the trustees have, after a secret vote's voting ends, to decrypt its result; then, without k partial
   * decryptions, the vote ends "not decrypted" (docs/BALLOT-PROTOCOL.md). 0: they may take for ever. Absent in a
   * block written before 2026-12-07: they could take for ever.
   */
  decryptionDays?: number;
}

const hours = 60;
const days = 24 * hours;

/** What a new organisation is founded with unless its founders say otherwise (why each: docs/PROCEDURE.md). */
export const defaultProcedure: Procedure = {
  seconders: { kind: 'absolute', count: 1 },
  debateMinimumMinutes: 3 * days,
  closure: { num: 2, den: 3 },
  votingMinimumMinutes: 2 * days,
  quorumRevotes: 1,
  coolingOffDays: 30,
  emergency: {
    majority: { num: 3, den: 4 },
    debateMinimumMinutes: 2 * hours,
    votingMinimumMinutes: 12 * hours,
  },
  unsecondedLapseDays: 14,
  ballotsChangeable: false,
  recallDebateMinutes: 3 * days,
  decryptionDays: 3,
};

/**
 * The recall's right of reply in minutes under a constitution, or undefined under one written before it existed
 * (its petitioned recalls went to the vote at once). Read from the procedure block, or from `recall.debateMinutes`
 * where a constitution written before the block took it in keeps it.
 */
export function recallReplyMinutes(c: {
  procedure?: Procedure;
  recall: { debateMinutes?: number };
}): number | undefined {
  return c.procedure?.recallDebateMinutes ?? c.recall.debateMinutes;
}

/** Seconders a motion needs in a council of `members` (its mover among them): never more than the others. */
export function secondersNeeded(p: Procedure, members: number): number {
  const others = Math.max(0, members - 1);
  const t = p.seconders;
  const n = t.kind === 'absolute' ? t.count : Math.ceil((t.num * others) / t.den);
  return Math.min(n, others);
}

/** Members whose support carries a closure in a council of `members`: the share rounded up, at least one. */
export function closureNeeded(p: Procedure, members: number): number {
  return Math.max(1, Math.ceil((p.closure.num * members) / p.closure.den));
}

/** A fraction above one half and at most one: a qualified share. */
function qualified(v: unknown, path: string, fallback: Fraction): Fraction {
  const f = frac(v, path, fallback, true, 'fraction_qualified');
  if (2 * f.num <= f.den) throw new InvalidCommand('fraction_qualified', path);
  return f;
}

function seconders(v: unknown, path: string, fallback: Threshold): Threshold {
  if (v === undefined) return fallback;
  const t = v as { kind?: unknown; count?: unknown; num?: unknown; den?: unknown };
  if (t?.kind === 'absolute') {
    obj(v, path, ['kind', 'count']);
    return { kind: 'absolute', count: int(t.count, `${path}.count`, 0, 1) };
  }
  if (t?.kind === 'fraction') {
    obj(v, path, ['kind', 'num', 'den']);
    const ok =
      Number.isSafeInteger(t.num) &&
      Number.isSafeInteger(t.den) &&
      (t.den as number) > 0 &&
      (t.num as number) >= 0 &&
      (t.num as number) <= (t.den as number);
    if (!ok) throw new InvalidCommand('fraction_share', path);
    return { kind: 'fraction', num: t.num as number, den: t.den as number };
  }
  throw new InvalidCommand('threshold_kind', path);
}

/**
 * Validates `constitution.procedure` and fills in defaults; throws InvalidCommand naming the field.
 * `votingMinutes` is the constitution's longest vote, which the shortest may not exceed.
 */
export function parseProcedure(
  input: unknown,
  votingMinutes: number,
  legacyRecallMinutes?: number,
): Procedure {
  const p = 'constitution.procedure';
  const d = defaultProcedure;
  const c = obj(input, p, Object.keys(d));
  if (c.ballotsChangeable !== undefined && typeof c.ballotsChangeable !== 'boolean')
    throw new InvalidCommand('not_boolean', `${p}.ballotsChangeable`);
  // The default shortest vote is cut to the constitution's longest; a longer one given is refused.
  const votingMinimumMinutes = int(
    c.votingMinimumMinutes,
    `${p}.votingMinimumMinutes`,
    1,
    Math.min(d.votingMinimumMinutes, votingMinutes),
  );
  if (votingMinimumMinutes > votingMinutes)
    throw new InvalidCommand('voting_minimum_over_longest', `${p}.votingMinimumMinutes`, {
      max: votingMinutes,
    });
  const debateMinimumMinutes = int(
    c.debateMinimumMinutes,
    `${p}.debateMinimumMinutes`,
    0,
    d.debateMinimumMinutes,
  );
  return {
    seconders: seconders(c.seconders, `${p}.seconders`, d.seconders),
    debateMinimumMinutes,
    closure: qualified(c.closure, `${p}.closure`, d.closure),
    votingMinimumMinutes,
    quorumRevotes: int(c.quorumRevotes, `${p}.quorumRevotes`, 0, d.quorumRevotes),
    coolingOffDays: int(c.coolingOffDays, `${p}.coolingOffDays`, 0, d.coolingOffDays),
    emergency: emergency(c.emergency, `${p}.emergency`, debateMinimumMinutes, votingMinimumMinutes),
    unsecondedLapseDays: int(
      c.unsecondedLapseDays,
      `${p}.unsecondedLapseDays`,
      0,
      d.unsecondedLapseDays!,
      MAX_DAYS,
    ),
    ballotsChangeable: (c.ballotsChangeable as boolean | undefined) ?? d.ballotsChangeable!,
    // A constitution that kept the right of reply as recall.debateMinutes keeps its length when the block takes it.
    recallDebateMinutes: int(
      c.recallDebateMinutes,
      `${p}.recallDebateMinutes`,
      0,
      legacyRecallMinutes ?? d.recallDebateMinutes!,
    ),
    decryptionDays: int(c.decryptionDays, `${p}.decryptionDays`, 0, d.decryptionDays!, MAX_DAYS),
  };
}

/**
 * The longest a deadline counted in days may be (ten years): a setting is added to a date, and a number of days
 * past the calendar's range would make that addition throw in the scheduler, tick after tick.
 */
const MAX_DAYS = 3_650;

function emergency(
  v: unknown,
  path: string,
  debateMinimum: number,
  votingMinimum: number,
): Procedure['emergency'] {
  if (v === null) return null;
  const d = defaultProcedure.emergency!;
  const e = obj(v ?? {}, path, Object.keys(d));
  // An emergency shortens the timetable and never lengthens it: a default longer than the ordinary minimum is
  // cut to it, a longer value given is refused.
  const shorter = (k: 'debateMinimumMinutes' | 'votingMinimumMinutes', ordinary: number, min: number) => {
    if (e[k] === undefined) return Math.min(d[k], ordinary);
    const given = int(e[k], `${path}.${k}`, min, d[k]);
    if (given > ordinary)
      throw new InvalidCommand(
        k === 'debateMinimumMinutes' ? 'emergency_debate_longer' : 'emergency_voting_longer',
        `${path}.${k}`,
        { max: ordinary },
      );
    return given;
  };
  return {
    majority: qualified(e.majority, `${path}.majority`, d.majority),
    debateMinimumMinutes: shorter('debateMinimumMinutes', debateMinimum, 0),
    votingMinimumMinutes: shorter('votingMinimumMinutes', votingMinimum, 1),
  };
}
