// Sealed records: "history that is unsealed instead of falsified". A member of a council deposits a record whose
// existence is public at once: the log gets only a commitment (src/record/sealed.ts: HMAC-SHA-256 over a fresh
// 32-byte key, the label and the content), the label and the date or condition of release. The reveal is a later
// entry that anyone checks against the commitment. It may come when the release date has passed, or earlier
// only when the privileged act `unseal_entry` has been approved (docs/POWER.md). How many records are sealed and
// revealed is always public.
import { fromBase64, verifyReveal, type RevealPayload } from '../../record/index.ts';
import type { DecideContext } from '../kernel/command.ts';
import { accept } from '../kernel/decision.ts';
import { InvalidCommand, reject } from '../kernel/errors.ts';
import { checkText, limits } from '../kernel/limits.ts';
import { type Decision, newEntry, type OrgState } from '../model.ts';
import { isCouncilMember } from '../organisation/membership.ts';
import type { SealedCommand, SealedPayloads } from './types.ts';

/**
 * The most bytes (UTF-8) a record sealed by the service may hold: its reveal carries them in base64 (4/3 as
 * many, 60,000 here) in one entry of at most 65,535 bytes. Checked when sealing, so nothing sealed can be
 * impossible to reveal.
 */
export const maxSealedContentBytes = 45_000;

const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

export function decideSealedCommand(state: OrgState, c: SealedCommand, ctx: DecideContext): Decision {
  if (c.type === 'seal_record') {
    if (!state.councils.has(c.councilId)) return reject('not_found', 'no_such_council');
    if (!ctx.actor || !isCouncilMember(state, c.councilId, ctx.actor, ctx.now)) return reject('not_a_member');
    const label = checkText(c.label, 'label', limits.title);
    if (fromBase64(String(c.commitment))?.length !== 32) {
      throw new InvalidCommand('commitment_base64', 'commitment');
    }
    const at = c.release?.at;
    const condition = c.release?.condition;
    if (at === undefined && condition === undefined) {
      throw new InvalidCommand('release_needed', 'release');
    }
    if (at !== undefined && (typeof at !== 'string' || !iso.test(at) || Number.isNaN(Date.parse(at)))) {
      throw new InvalidCommand('release_iso', 'release.at');
    }
    if (at !== undefined && at <= ctx.now) throw new InvalidCommand('release_future', 'release.at');
    const release = {
      ...(at !== undefined ? { at } : {}),
      ...(condition !== undefined
        ? { condition: checkText(condition, 'release.condition', limits.title) }
        : {}),
    };
    const keeper = c.keyKeptBy;
    if (keeper !== undefined && keeper !== 'service' && keeper !== 'sealer')
      throw new InvalidCommand('key_kept_by', 'keyKeptBy');
    return accept(
      newEntry('record_sealed', ctx.actor, ctx.now, {
        councilId: c.councilId,
        label,
        commitment: c.commitment,
        release,
        // only when the command says: a command without it (an older client's, or a replayed older entry) makes
        // the entry it always made
        ...(keeper !== undefined ? { keyKeptBy: keeper } : {}),
      }),
    );
  }
  const record = state.sealed.get(c.sealedSeq);
  if (!record) return reject('not_found', 'no_sealed_record');
  if (record.revealedAt !== null) return reject('wrong_state', 'record_revealed');
  const due = record.release.at !== undefined && record.release.at <= ctx.now;
  const unsealed = state.power.unsealed.includes(c.sealedSeq);
  if (!due && !unsealed) {
    return reject('too_early', 'reveal_on_release');
  }
  const reveal: RevealPayload = { sealedSeq: c.sealedSeq, key: String(c.key), content: String(c.content) };
  if (!verifyReveal(record, reveal)) return reject('invalid_proof', 'commitment_mismatch');
  // Anyone holding the content and key may publish it once it is due: the commitment decides, not the person.
  return accept(newEntry('record_revealed', ctx.actor, ctx.now, reveal));
}

type Touched = { table: 'sealed_records'; key: string }[];

export const sealedHandlers = {
  record_sealed(
    s: OrgState,
    e: { seq: number; actor: string | null; time: string; payload: SealedPayloads['record_sealed'] },
  ): Touched {
    const p = e.payload;
    s.sealed.set(e.seq, {
      seq: e.seq,
      councilId: p.councilId,
      label: p.label,
      commitment: p.commitment,
      release: p.release,
      sealedBy: e.actor,
      sealedAt: e.time,
      // only a record that says its sealer keeps the key is not the service's to reveal: anything else (no field,
      // in entries written before it) is
      keyKeptBy: p.keyKeptBy === 'sealer' ? 'sealer' : 'service',
      revealedAt: null,
      content: null,
    });
    return [{ table: 'sealed_records', key: sealedKey(s, e.seq) }];
  },
  record_revealed(s: OrgState, e: { time: string; payload: SealedPayloads['record_revealed'] }): Touched {
    const r = s.sealed.get(e.payload.sealedSeq)!;
    r.revealedAt = e.time;
    r.content = e.payload.content;
    return [{ table: 'sealed_records', key: sealedKey(s, r.seq) }];
  },
};

export const sealedTables = {
  sealed_records: {
    columns: [
      'id',
      'seq',
      'org_id',
      'council_id',
      'label',
      'commitment',
      'release_at',
      'release_condition',
      'sealed_by',
      'sealed_at',
      'revealed_at',
      'content',
    ],
    keyColumns: 1,
  },
} as const;

/** A sealed record's row key: unique across organisations (seq alone is not). */
function sealedKey(s: OrgState, seq: number): string {
  return `${s.org!.id}:${seq}`;
}

export function projectSealedRow(s: OrgState, key: string): Record<string, string | number | null> | null {
  const r = s.sealed.get(Number(key.slice(key.lastIndexOf(':') + 1)));
  if (!r) return null;
  return {
    id: key,
    seq: String(r.seq),
    org_id: s.org?.id ?? null,
    council_id: r.councilId,
    label: r.label,
    commitment: r.commitment,
    release_at: r.release.at ?? null,
    release_condition: r.release.condition ?? null,
    sealed_by: r.sealedBy,
    sealed_at: r.sealedAt,
    revealed_at: r.revealedAt,
    content: r.content,
  };
}

export function sealedKeys(s: OrgState): Touched {
  return [...s.sealed.keys()].map((seq) => ({ table: 'sealed_records' as const, key: sealedKey(s, seq) }));
}

/**
 * The records the service is to reveal now, by seq: those whose key it keeps, not yet revealed, whose release date
 * has passed or that were unsealed early: the ones due by date from the state's index (src/core/schedule), and
 * those unsealed. A record whose sealer keeps the key is never in the index: its reveal is the sealer's to publish.
 */
export function dueSealedRecords(s: OrgState, now: string): number[] {
  const due = new Set(s.due.sealed.due(now));
  for (const seq of s.power.unsealed) if (s.due.sealed.has(seq)) due.add(seq);
  return [...due].sort((a, b) => a - b);
}

/** dueSealedRecords by walking every sealed record: the reference the index is checked against. */
export function dueSealedRecordsByScan(s: OrgState, now: string): number[] {
  return [...s.sealed.values()]
    .filter(
      (r) =>
        r.revealedAt === null &&
        r.keyKeptBy === 'service' &&
        ((r.release.at !== undefined && r.release.at <= now) || s.power.unsealed.includes(r.seq)),
    )
    .map((r) => r.seq);
}
