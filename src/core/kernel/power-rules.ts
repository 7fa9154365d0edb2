// The constitution's rules of power from below and of collective authority (docs/POWER.md): petition
// thresholds and deadlines, which body authorises each privileged act and how, committees, term limits.
// Kept under `constitution.power`; logs founded before these rules existed read the defaults.
import type { Fraction } from '../../count/majority.ts';
import { InvalidCommand } from './errors.ts';
import { int, obj } from './settings.ts';

export const privilegedKinds = [
  'amend_constitution',
  'create_council',
  'merge_councils',
  'dissolve_council',
  'change_seats',
  'expel_member',
  'rotate_log_key',
  'change_witnesses',
  'unseal_entry',
  'appoint_trustees',
  'reset_password',
  'register_webhook',
  'rotate_webhook_secret',
  'remove_webhook',
] as const;
export type PrivilegedKind = (typeof privilegedKinds)[number];

/** Who authorises an act: k of the n members of a council's committee, or a share of a council's members. */
export type Authority =
  | { by: 'committee'; council: 'root' | 'subject'; k: number }
  | { by: 'council'; council: 'root' | 'subject'; threshold: Fraction };

/** A share of a council's members (rounded up) or a fixed number of them. */
export type Threshold = ({ kind: 'fraction' } & Fraction) | { kind: 'absolute'; count: number };

export interface PowerRules {
  petitions: {
    threshold: Threshold;
    /** Extraordinary elections end every sitting deputy's mandate: a higher bar by default. */
    electionThreshold: Threshold;
    deadlineDays: number;
    /** Longest a petitioned motion may stay in debate before its vote opens by itself. */
    debateMaxMinutes: number;
    /** Share of the child councils of the target that must pass a rising petition. */
    risingShare: Fraction;
  };
  acts: Record<PrivilegedKind, Authority>;
  /** Days a pending request, and each approval, stays valid. */
  approvalDays: number;
  committees: { maxSize: number; termDays: number; reversalDays: number; threshold: Fraction };
  /** Appeal of an expulsion to the council above: the share of its members that reinstates. */
  appeals: { days: number; threshold: Fraction };
  /**
   * maxConsecutive: most consecutive terms per seat (0: no limit). staggered: the seats a council fills in its
   * parent are given terms ending at evenly spaced dates, so they are not all renewed at once.
   */
  terms: { maxConsecutive: number; staggered: boolean };
}

const twoThirds = { num: 2, den: 3 };
const rootVote: Authority = { by: 'council', council: 'root', threshold: twoThirds };

export const defaultPowerRules: PowerRules = {
  petitions: {
    threshold: { kind: 'fraction', num: 1, den: 5 },
    electionThreshold: { kind: 'fraction', num: 1, den: 3 },
    deadlineDays: 30,
    debateMaxMinutes: 7 * 24 * 60,
    risingShare: { num: 1, den: 2 },
  },
  acts: {
    amend_constitution: rootVote,
    create_council: { by: 'council', council: 'subject', threshold: twoThirds },
    merge_councils: { by: 'council', council: 'subject', threshold: twoThirds },
    dissolve_council: { by: 'council', council: 'subject', threshold: twoThirds },
    change_seats: { by: 'council', council: 'subject', threshold: twoThirds },
    expel_member: { by: 'council', council: 'subject', threshold: twoThirds },
    rotate_log_key: rootVote,
    change_witnesses: rootVote,
    unseal_entry: rootVote,
    appoint_trustees: rootVote,
    // A member locked out of their account (docs/ACCOUNTS.md): half of their own council, never fewer than two.
    reset_password: { by: 'council', council: 'subject', threshold: { num: 1, den: 2 } },
    // Webhooks send the record to another system (docs/NOTIFICATIONS.md "Webhooks"): the council whose events
    // they carry (the root for the whole organisation) decides where they go, never one person.
    register_webhook: { by: 'council', council: 'subject', threshold: twoThirds },
    rotate_webhook_secret: { by: 'council', council: 'subject', threshold: twoThirds },
    remove_webhook: { by: 'council', council: 'subject', threshold: twoThirds },
  },
  approvalDays: 14,
  committees: { maxSize: 15, termDays: 365, reversalDays: 14, threshold: { num: 1, den: 2 } },
  appeals: { days: 30, threshold: { num: 1, den: 2 } },
  terms: { maxConsecutive: 0, staggered: false },
};

/** Members needed: a share rounded up (at least one), or the number, of `n`. */
export function requiredOf(t: Threshold | ({ kind?: undefined } & Fraction), n: number): number {
  if (t.kind === 'absolute') return t.count;
  return Math.max(1, Math.ceil((t.num * n) / t.den));
}

function bool(v: unknown, path: string): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new InvalidCommand('not_boolean', path);
  return v;
}

/**
 * The fraction at `path`, at most one and above zero (or at least zero where `positive` is false); `fallback` when
 * absent. A caller with a further bound names its own problem, so the message says the whole rule.
 */
export function frac(
  v: unknown,
  path: string,
  fallback: Fraction,
  positive = true,
  problem: 'fraction_positive' | 'fraction_qualified' = 'fraction_positive',
): Fraction {
  if (v === undefined) return fallback;
  const f = v as Partial<Fraction>;
  const ok =
    typeof f === 'object' &&
    f !== null &&
    Number.isSafeInteger(f.num) &&
    Number.isSafeInteger(f.den) &&
    f.den! > 0 &&
    f.num! >= (positive ? 1 : 0) &&
    f.num! <= f.den!;
  if (!ok) throw new InvalidCommand(problem, path);
  return { num: f.num!, den: f.den! };
}

function threshold(v: unknown, path: string, fallback: Threshold): Threshold {
  if (v === undefined) return fallback;
  const t = v as { kind?: unknown; count?: unknown };
  if (t?.kind === 'absolute') return { kind: 'absolute', count: int(t.count, `${path}.count`, 1, 0) };
  if (t?.kind === 'fraction') return { kind: 'fraction', ...frac(v, path, { num: 1, den: 1 }) };
  throw new InvalidCommand('threshold_kind', path);
}

function authority(v: unknown, path: string, fallback: Authority): Authority {
  if (v === undefined) return fallback;
  const a = obj(v, path, ['by', 'council', 'k', 'threshold']);
  const council = a.council ?? 'root';
  if (council !== 'root' && council !== 'subject')
    throw new InvalidCommand('authority_council', `${path}.council`);
  if (a.by === 'committee') return { by: 'committee', council, k: int(a.k, `${path}.k`, 1, 2) };
  if (a.by === 'council')
    return { by: 'council', council, threshold: frac(a.threshold, `${path}.threshold`, twoThirds) };
  throw new InvalidCommand('authority_by', `${path}.by`);
}

/** Validates `constitution.power` and fills in defaults; throws InvalidCommand naming the field. */
export function parsePowerRules(input: unknown): PowerRules {
  const d = defaultPowerRules;
  if (input === undefined) return structuredClone(d);
  const p = 'constitution.power';
  const c = obj(input, p, Object.keys(d));
  const pet = obj(c.petitions ?? {}, `${p}.petitions`, Object.keys(d.petitions));
  const acts = obj(c.acts ?? {}, `${p}.acts`, [...privilegedKinds]);
  const com = obj(c.committees ?? {}, `${p}.committees`, Object.keys(d.committees));
  const app = obj(c.appeals ?? {}, `${p}.appeals`, Object.keys(d.appeals));
  const terms = obj(c.terms ?? {}, `${p}.terms`, Object.keys(d.terms));
  return {
    petitions: {
      threshold: threshold(pet.threshold, `${p}.petitions.threshold`, d.petitions.threshold),
      electionThreshold: threshold(
        pet.electionThreshold,
        `${p}.petitions.electionThreshold`,
        d.petitions.electionThreshold,
      ),
      deadlineDays: int(pet.deadlineDays, `${p}.petitions.deadlineDays`, 1, d.petitions.deadlineDays),
      debateMaxMinutes: int(
        pet.debateMaxMinutes,
        `${p}.petitions.debateMaxMinutes`,
        0,
        d.petitions.debateMaxMinutes,
      ),
      risingShare: frac(pet.risingShare, `${p}.petitions.risingShare`, d.petitions.risingShare),
    },
    acts: Object.fromEntries(
      privilegedKinds.map((k) => [k, authority(acts[k], `${p}.acts.${k}`, d.acts[k])]),
    ) as Record<PrivilegedKind, Authority>,
    approvalDays: int(c.approvalDays, `${p}.approvalDays`, 1, d.approvalDays),
    committees: {
      maxSize: int(com.maxSize, `${p}.committees.maxSize`, 1, d.committees.maxSize),
      termDays: int(com.termDays, `${p}.committees.termDays`, 1, d.committees.termDays),
      reversalDays: int(com.reversalDays, `${p}.committees.reversalDays`, 1, d.committees.reversalDays),
      threshold: frac(com.threshold, `${p}.committees.threshold`, d.committees.threshold),
    },
    appeals: {
      days: int(app.days, `${p}.appeals.days`, 1, d.appeals.days),
      threshold: frac(app.threshold, `${p}.appeals.threshold`, d.appeals.threshold),
    },
    terms: {
      maxConsecutive: int(terms.maxConsecutive, `${p}.terms.maxConsecutive`, 0, 0),
      staggered: bool(terms.staggered, `${p}.terms.staggered`),
    },
  };
}
