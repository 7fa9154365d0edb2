// The constitution is fixed when an organisation is founded. Changing it is a privileged act (a later issue);
// until then every default here is what the founders wrote, validated once.
import type { Fraction, MajorityRule, QuorumRule } from '../../count/majority.ts';
import { parseCosignatureVerifierKey } from '../../record/index.ts';
import { InvalidCommand } from './errors.ts';
import { defaultPowerRules, parsePowerRules, type PowerRules } from './power-rules.ts';
import { defaultAdmissionRules, parseAdmissionRules, type AdmissionRules } from './admission-rules.ts';
import { defaultProcedure, parseProcedure, type Procedure } from './procedure-rules.ts';

export interface Constitution {
  /** Quorum of ordinary votes: a fraction of the electorate or an absolute number. */
  quorum: QuorumRule;
  /** The rule ordinary motions are decided by unless the mover asks for a supermajority. */
  majority: MajorityRule;
  /** The fraction of votes cast a supermajority motion needs (e.g. 2/3). */
  supermajority: Fraction;
  /** Length of a deputy's term, in days. */
  deputyTermDays: number;
  /**
   * How a recall vote is decided; a recall is never harder than the ordinary rule. `debateMinutes`: the right of
   * reply, the least time a recall is debated before its vote opens (docs/PROCEDURE.md "Recall"), kept here only
   * by a constitution without a procedure block, or written before the block took it in
   * (`procedure.recallDebateMinutes`; `recallReplyMinutes` reads either); absent in a constitution written before
   * 2026-12-06, whose petitioned recalls went to the vote at once.
   */
  recall: { majority: MajorityRule; quorum: QuorumRule; debateMinutes?: number };
  /**
   * Minimum minutes a motion stays in debate before voting can open, under the rules before the procedure block
   * (read only when `procedure` is absent; the block has its own).
   */
  debateMinimumMinutes: number;
  /** Default and maximum length of a vote, in minutes. */
  votingMinutes: number;
  /**
   * Who may read the entries of the record: its members, or anyone. Checkpoints, hash tiles and proofs (which
   * reveal no content) are always public, so anyone can check that the record is not rewritten.
   */
  recordVisibility: 'members' | 'public';
  /** Petitions, privileged acts and who authorises them, committees, term limits (docs/POWER.md). */
  power: PowerRules;
  /**
   * How the council admits the people its members invite (docs/PROCEDURE.md "Admission"). Absent in a
   * constitution written before 2026-12-06: its invitations admit on acceptance, as they did then. Every new
   * founding and every amendment writes it (with the defaults unless set).
   */
  admission?: AdmissionRules;
  /**
   * Seconding, minimum debate, closure, minimum vote, re-votes, cooling-off, emergencies (docs/PROCEDURE.md).
   * Absent in constitutions written before it existed, whose motions keep the old rules until an amendment
   * adopts it; every new organisation is founded with it.
   */
  procedure?: Procedure;
  /**
   * Whether the members of a council see each worker's pay, or only aggregates (docs/PAY.md "Visibility").
   * Absent means aggregates; it is written into the founding only when the founders set it.
   */
  payVisibility?: 'individuals' | 'aggregates';
  /**
   * Under aggregates, the fewest workers a served figure may describe (docs/PAY.md "Minimum group"): smaller
   * grades are merged, a smaller workforce shows only its count. Absent means 5 (`payMinimumGroup()`); written
   * into the founding only when the founders set it.
   */
  payMinimumGroup?: number;
  /**
   * The record's witnesses (docs/OPERATIONS.md "Witnesses"): the witness keys (C2SP tlog-cosignature, type 0x04)
   * whose cosignatures the server accepts, and how many of them a verifier should require on the latest
   * checkpoint. Absent means `defaultWitnessPolicy`; written into the founding only when the founders set it.
   * `change_witnesses` changes its keys; `amend_constitution` either.
   */
  witnesses?: WitnessSetting;
}

export interface WitnessSetting {
  keys: string[];
  /** Cosignatures a verifier should require: at most the number of keys (0: none asked for). */
  required: number;
}

/**
 * For a new organisation: no witness is known until the founders or members name one (a member's or a sister
 * organisation's `councils witness`), and then one cosignature is asked for.
 */
export const defaultWitnessPolicy: WitnessSetting = { keys: [], required: 1 };

export const maxWitnesses = 50;

/** The witness policy a constitution sets: listed keys, and how many of them a verifier should require. */
export function witnessPolicyOf(c: Constitution): { witnesses: string[]; required: number } {
  const w = c.witnesses ?? defaultWitnessPolicy;
  return { witnesses: [...w.keys], required: Math.min(w.required, w.keys.length) };
}

function witnessSetting(v: unknown): WitnessSetting {
  const path = 'constitution.witnesses';
  const w = v as { keys?: unknown; required?: unknown };
  if (typeof w !== 'object' || w === null || Array.isArray(w))
    throw new InvalidCommand('witnesses_shape', path);
  for (const k of Object.keys(w))
    if (k !== 'keys' && k !== 'required') throw new InvalidCommand('unknown_setting', `${path}.${k}`);
  const keys = w.keys ?? [];
  if (!Array.isArray(keys) || keys.length > maxWitnesses)
    throw new InvalidCommand('witnesses_too_many', `${path}.keys`, { max: maxWitnesses });
  for (const [i, k] of keys.entries()) {
    try {
      if (typeof k !== 'string') throw new Error();
      parseCosignatureVerifierKey(k);
    } catch {
      throw new InvalidCommand('witness_key', `${path}.keys`, { index: i, number: i + 1 });
    }
  }
  if (new Set(keys).size !== keys.length) throw new InvalidCommand('witness_twice', `${path}.keys`);
  const required = w.required ?? defaultWitnessPolicy.required;
  if (
    !Number.isSafeInteger(required) ||
    (required as number) < 0 ||
    (required as number) > Math.max(1, keys.length)
  )
    throw new InvalidCommand('witnesses_required', `${path}.required`);
  return { keys: keys as string[], required: required as number };
}

export const defaultConstitution: Constitution = {
  quorum: { kind: 'fraction', num: 1, den: 2 },
  majority: { kind: 'simple' },
  supermajority: { num: 2, den: 3 },
  deputyTermDays: 365,
  // The right of reply is the procedure block's (defaultProcedure.recallDebateMinutes); a constitution without the
  // block is given the same, here.
  recall: { majority: { kind: 'simple' }, quorum: { kind: 'fraction', num: 1, den: 2 } },
  debateMinimumMinutes: 0,
  votingMinutes: 7 * 24 * 60,
  recordVisibility: 'members',
  power: defaultPowerRules,
  admission: defaultAdmissionRules,
};

function fraction(v: unknown, path: string): Fraction {
  const f = v as Partial<Fraction>;
  if (
    typeof f !== 'object' ||
    f === null ||
    !Number.isSafeInteger(f.num) ||
    !Number.isSafeInteger(f.den) ||
    f.den! <= 0 ||
    f.num! < 0 ||
    f.num! > f.den!
  ) {
    throw new InvalidCommand('fraction_share', path);
  }
  return { num: f.num!, den: f.den! };
}

function quorumRule(v: unknown, path: string): QuorumRule {
  const q = v as { kind?: unknown; count?: unknown };
  if (q?.kind === 'none') return { kind: 'none' };
  if (q?.kind === 'fraction') return { kind: 'fraction', ...fraction(v, path) };
  if (q?.kind === 'absolute' && Number.isSafeInteger(q.count) && (q.count as number) >= 0) {
    return { kind: 'absolute', count: q.count as number };
  }
  throw new InvalidCommand('quorum_kind', path);
}

function majorityRule(v: unknown, path: string): MajorityRule {
  const r = v as { kind?: unknown };
  if (r?.kind === 'simple' || r?.kind === 'absolute') return { kind: r.kind };
  if (r?.kind === 'supermajority') return { kind: 'supermajority', ...fraction(v, path) };
  throw new InvalidCommand('majority_kind', path);
}

function positiveInt(v: unknown, path: string, min = 1): number {
  if (!Number.isSafeInteger(v) || (v as number) < min) {
    throw new InvalidCommand('integer_min', path, { min });
  }
  return v as number;
}

/**
 * Validates a (possibly partial) constitution and fills in defaults. Throws InvalidCommand naming the field.
 * `founding`: a new organisation's, which gets the default procedure when its founders set none; an amended
 * constitution keeps the procedure it has (none, for one written before the block existed) unless it names one.
 */
export function parseConstitution(input: unknown, founding = false): Constitution {
  if (input === undefined) return parseConstitution({}, founding);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidCommand('not_an_object', 'constitution');
  }
  const c = input as Record<string, unknown>;
  const known = [
    ...Object.keys(defaultConstitution),
    'payVisibility',
    'payMinimumGroup',
    'witnesses',
    'procedure',
  ];
  for (const k of Object.keys(c)) {
    if (!known.includes(k)) throw new InvalidCommand('unknown_setting', `constitution.${k}`);
  }
  const d = defaultConstitution;
  const recall = (c.recall ?? d.recall) as Record<string, unknown>;
  const votingMinutes =
    c.votingMinutes === undefined
      ? d.votingMinutes
      : positiveInt(c.votingMinutes, 'constitution.votingMinutes');
  // The right of reply's old place: read, and moved into the procedure block where there is one.
  const legacyReply =
    recall.debateMinutes === undefined
      ? undefined
      : positiveInt(recall.debateMinutes, 'constitution.recall.debateMinutes', 0);
  const procedure =
    c.procedure !== undefined
      ? parseProcedure(c.procedure, votingMinutes, legacyReply)
      : founding
        ? parseProcedure({}, votingMinutes, legacyReply)
        : undefined;
  if (procedure && legacyReply !== undefined && legacyReply !== procedure.recallDebateMinutes)
    throw new InvalidCommand('recall_debate_moved', 'constitution.recall.debateMinutes');
  return {
    quorum: c.quorum === undefined ? d.quorum : quorumRule(c.quorum, 'constitution.quorum'),
    majority: c.majority === undefined ? d.majority : majorityRule(c.majority, 'constitution.majority'),
    supermajority:
      c.supermajority === undefined
        ? d.supermajority
        : fraction(c.supermajority, 'constitution.supermajority'),
    deputyTermDays:
      c.deputyTermDays === undefined
        ? d.deputyTermDays
        : positiveInt(c.deputyTermDays, 'constitution.deputyTermDays'),
    recall: {
      majority:
        recall.majority === undefined
          ? d.recall.majority
          : majorityRule(recall.majority, 'constitution.recall.majority'),
      quorum:
        recall.quorum === undefined
          ? d.recall.quorum
          : quorumRule(recall.quorum, 'constitution.recall.quorum'),
      ...(procedure ? {} : { debateMinutes: legacyReply ?? defaultProcedure.recallDebateMinutes! }),
    },
    debateMinimumMinutes:
      c.debateMinimumMinutes === undefined
        ? d.debateMinimumMinutes
        : positiveInt(c.debateMinimumMinutes, 'constitution.debateMinimumMinutes', 0),
    votingMinutes,
    recordVisibility: visibility(c.recordVisibility),
    power: parsePowerRules(c.power),
    admission: parseAdmissionRules(c.admission),
    ...(c.payVisibility === undefined ? {} : { payVisibility: payVisibility(c.payVisibility) }),
    ...(c.payMinimumGroup === undefined
      ? {}
      : { payMinimumGroup: positiveInt(c.payMinimumGroup, 'constitution.payMinimumGroup') }),
    ...(c.witnesses === undefined ? {} : { witnesses: witnessSetting(c.witnesses) }),
    ...(procedure === undefined ? {} : { procedure }),
  };
}

function payVisibility(v: unknown): 'individuals' | 'aggregates' {
  if (v === 'individuals' || v === 'aggregates') return v;
  throw new InvalidCommand('pay_visibility', 'constitution.payVisibility');
}

function visibility(v: unknown): 'members' | 'public' {
  if (v === undefined || v === 'members' || v === 'public') return v ?? 'members';
  throw new InvalidCommand('record_visibility', 'constitution.recordVisibility');
}
