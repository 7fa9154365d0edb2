// Pay schemes decided by councils (docs/PAY.md "Decisions"). Changing a council's pay scheme is a motion of
// kind "pay": each alternative carries a validated scheme document and the status quo (AGAINST) is the current
// scheme. When the vote adopts an alternative, closing the vote appends `pay_scheme_adopted` with the document
// and the council's next version; the council's current scheme is a projection of those entries. The workforce
// (grade, hours, output per worker) is personal data and stays out of the log: the log gets only a SHA-256
// commitment of each import, so a payroll can be reproduced and audited from the private file.
import canonicalize from 'canonicalize';
import { maxEntryBytes, utf8Length } from '../kernel/entry-size.ts';
export { checkEntrySize } from '../kernel/entry-size.ts';
import type { DecideContext } from '../kernel/command.ts';
import { accept } from '../kernel/decision.ts';
import { InvalidCommand, reject } from '../kernel/errors.ts';
import { DEFAULT_MINIMUM_GROUP, SchemeError, validateScheme, type SchemeDocument } from './index.ts';
import type { Constitution } from '../kernel/constitution.ts';
import type { AlternativeSpec, Motion } from '../motions/types.ts';
import { type Decision, newEntry, type NewEntry, type OrgState } from '../model.ts';
import { isCouncilMember } from '../organisation/membership.ts';
import type { AdoptedScheme, CouncilPay, PayCommand, PayPayloads } from './types.ts';

/** Room left in an entry for everything but the scheme (ids, time, title, alternative title). */
const entryOverhead = 1_024;
const hex64 = /^[0-9a-f]{64}$/;

/** Whether individual pay is visible to the council's members, or only aggregates (the default). */
export function payVisibility(c: Constitution): 'individuals' | 'aggregates' {
  return c.payVisibility ?? 'aggregates';
}

/** The constitution's minimum group for pay figures under aggregates (docs/PAY.md "Minimum group"); default 5. */
export function payMinimumGroup(c: Constitution): number {
  return c.payMinimumGroup ?? DEFAULT_MINIMUM_GROUP;
}

export function councilPay(state: OrgState, councilId: string): CouncilPay {
  return state.pay.get(councilId) ?? { schemes: [], imports: [] };
}

export function currentScheme(state: OrgState, councilId: string): AdoptedScheme | null {
  return councilPay(state, councilId).schemes.at(-1) ?? null;
}

/** Validates a proposed scheme (InvalidCommand naming `scheme.<path>`) and returns the document to record. */
export function checkScheme(input: unknown, field = 'scheme'): SchemeDocument {
  let document: SchemeDocument;
  try {
    document = validateScheme(input).document;
  } catch (e) {
    if (e instanceof SchemeError) {
      const path = e.path ? `${field}.${e.path}` : field;
      throw new InvalidCommand(e.problem, path, e.params);
    }
    throw e;
  }
  const bytes = utf8Length(canonicalize(document) ?? '');
  if (bytes > maxEntryBytes - entryOverhead) {
    throw new InvalidCommand('scheme_too_large', field, { bytes, max: maxEntryBytes - entryOverhead });
  }
  return document;
}

export function decidePayCommand(
  state: OrgState,
  c: Extract<PayCommand, { type: 'record_workforce' }>,
  ctx: DecideContext,
): Decision {
  if (!state.councils.has(c.councilId)) return reject('not_found', 'no_such_council');
  if (!ctx.actor || !isCouncilMember(state, c.councilId, ctx.actor, ctx.now)) return reject('not_a_member');
  if (typeof c.sha256 !== 'string' || !hex64.test(c.sha256)) {
    throw new InvalidCommand('sha256_hex', 'sha256');
  }
  if (!Number.isSafeInteger(c.workers) || c.workers < 1) {
    throw new InvalidCommand('workers_min', 'workers');
  }
  return accept(
    newEntry('workforce_imported', ctx.actor, ctx.now, {
      councilId: c.councilId,
      sha256: c.sha256,
      workers: c.workers,
    }),
  );
}

/** The alternative of a pay motion: its scheme validated, or an error naming `scheme`. */
export function payAlternative(motion: Motion, alt: AlternativeSpec, scheme: unknown): AlternativeSpec {
  if (motion.kind !== 'pay') {
    if (scheme !== undefined) throw new InvalidCommand('scheme_pay_motion_only', 'scheme');
    return alt;
  }
  if (scheme === undefined) throw new InvalidCommand('scheme_needed', 'scheme');
  return { ...alt, scheme: checkScheme(scheme) };
}

/** The consequence of a pay motion adopted by its vote: the scheme becomes the council's next version. */
export function payAdoption(state: OrgState, motion: Motion, winner: string, ctx: DecideContext): NewEntry[] {
  if (motion.kind !== 'pay') return [];
  const alt = motion.alternatives.find((a) => a.id === winner);
  if (!alt?.scheme) return [];
  return [
    newEntry('pay_scheme_adopted', ctx.actor, ctx.now, {
      councilId: motion.councilId,
      motionId: motion.id,
      alternativeId: alt.id,
      version: councilPay(state, motion.councilId).schemes.length + 1,
      scheme: alt.scheme,
    }),
  ];
}

/** `councils verify`: a scheme is adopted only by the decision of its pay motion, at the next version. */
export function payConsequenceProblem(state: OrgState, e: { act: string; payload: unknown }): string | null {
  if (e.act !== 'pay_scheme_adopted') return null;
  const p = e.payload as PayPayloads['pay_scheme_adopted'];
  const m = state.motions.get(p.motionId);
  const alt = m?.alternatives.find((a) => a.id === p.alternativeId);
  if (!m || m.kind !== 'pay' || m.state !== 'decided' || m.adoptedAlternativeId !== p.alternativeId || !alt) {
    return 'a pay scheme adopted without a decided pay motion';
  }
  if (m.councilId !== p.councilId) return 'a pay scheme adopted for another council than its motion';
  if (canonicalize(alt.scheme) !== canonicalize(p.scheme))
    return 'the adopted scheme is not the one voted on';
  if (p.version !== councilPay(state, p.councilId).schemes.length + 1) {
    return 'a pay scheme adopted at the wrong version';
  }
  return null;
}

type Touched = { table: 'pay_schemes' | 'pay_workforce_imports'; key: string }[];

function payOf(s: OrgState, councilId: string): CouncilPay {
  let p = s.pay.get(councilId);
  if (!p) {
    p = { schemes: [], imports: [] };
    s.pay.set(councilId, p);
  }
  return p;
}

export const payHandlers = {
  pay_scheme_adopted(s: OrgState, e: { time: string; payload: PayPayloads['pay_scheme_adopted'] }): Touched {
    const p = e.payload;
    payOf(s, p.councilId).schemes.push({
      version: p.version,
      scheme: p.scheme,
      motionId: p.motionId,
      alternativeId: p.alternativeId,
      adoptedAt: e.time,
    });
    return [{ table: 'pay_schemes', key: `${p.councilId}/${p.version}` }];
  },
  workforce_imported(
    s: OrgState,
    e: { seq: number; actor: string | null; time: string; payload: PayPayloads['workforce_imported'] },
  ): Touched {
    const p = e.payload;
    payOf(s, p.councilId).imports.push({
      seq: e.seq,
      sha256: p.sha256,
      workers: p.workers,
      importedBy: e.actor,
      importedAt: e.time,
    });
    return [{ table: 'pay_workforce_imports', key: `${p.councilId}/${e.seq}` }];
  },
};

export const payTables = {
  pay_schemes: {
    columns: [
      'council_id',
      'version',
      'org_id',
      'scheme_id',
      'name',
      'document',
      'motion_id',
      'alternative_id',
      'adopted_at',
    ],
    keyColumns: 2,
  },
  pay_workforce_imports: {
    columns: ['council_id', 'seq', 'org_id', 'sha256', 'workers', 'imported_by', 'imported_at'],
    keyColumns: 2,
  },
} as const;

export function projectPayRow(
  s: OrgState,
  table: 'pay_schemes' | 'pay_workforce_imports',
  key: string,
): Record<string, string | number | null> | null {
  const slash = key.lastIndexOf('/');
  const councilId = key.slice(0, slash);
  const n = Number(key.slice(slash + 1));
  const pay = s.pay.get(councilId);
  const org = s.org?.id ?? null;
  if (table === 'pay_schemes') {
    const a = pay?.schemes.find((x) => x.version === n);
    return a
      ? {
          council_id: councilId,
          version: String(a.version),
          org_id: org,
          scheme_id: a.scheme.id,
          name: a.scheme.name,
          document: canonicalize(a.scheme) ?? null,
          motion_id: a.motionId,
          alternative_id: a.alternativeId,
          adopted_at: a.adoptedAt,
        }
      : null;
  }
  const w = pay?.imports.find((x) => x.seq === n);
  return w
    ? {
        council_id: councilId,
        seq: String(w.seq),
        org_id: org,
        sha256: w.sha256,
        workers: String(w.workers),
        imported_by: w.importedBy,
        imported_at: w.importedAt,
      }
    : null;
}

export function payKeys(s: OrgState): Touched {
  const keys: Touched = [];
  for (const [councilId, p] of s.pay) {
    for (const a of p.schemes) keys.push({ table: 'pay_schemes', key: `${councilId}/${a.version}` });
    for (const w of p.imports) keys.push({ table: 'pay_workforce_imports', key: `${councilId}/${w.seq}` });
  }
  return keys;
}
