// Presenters of pay and pensions (see organisation.ts): a council's schemes and workforce imports, a pay motion
// moved, a payroll and a pay motion's projected effect, in the shapes of src/server/responses/pay.ts.
import type {
  AdoptedScheme,
  Constitution,
  CouncilPay,
  Entry,
  Motion,
  WorkforceImport,
} from '../../core/index.ts';
import { payMinimumGroup, payVisibility } from '../../core/index.ts';
import type {
  AdoptedScheme as AdoptedSchemeReply,
  PayMotionMoved,
  PayOverview,
  WorkforceImport as WorkforceImportReply,
} from '../responses/pay.ts';

export function presentAdoptedScheme(a: AdoptedScheme): AdoptedSchemeReply {
  return {
    version: a.version,
    scheme: { ...a.scheme },
    motionId: a.motionId,
    alternativeId: a.alternativeId,
    adoptedAt: a.adoptedAt,
  };
}

export function presentWorkforceImport(w: WorkforceImport): WorkforceImportReply {
  return {
    seq: w.seq,
    sha256: w.sha256,
    workers: w.workers,
    importedBy: w.importedBy,
    importedAt: w.importedAt,
  };
}

/** The council's current scheme, every adopted version, the workforce imports and what members may see. */
export function presentPayOverview(
  councilId: string,
  constitution: Constitution,
  pay: CouncilPay,
  motions: readonly Motion[],
): PayOverview {
  return {
    councilId,
    visibility: payVisibility(constitution),
    minimumGroup: payMinimumGroup(constitution),
    current: pay.schemes.length ? presentAdoptedScheme(pay.schemes.at(-1)!) : null,
    history: pay.schemes.map(presentAdoptedScheme).reverse(),
    workforce: pay.imports.length ? presentWorkforceImport(pay.imports.at(-1)!) : null,
    imports: pay.imports.map(presentWorkforceImport).reverse(),
    motions: motions.map((m) => ({ id: m.id, title: m.title, state: m.state, movedAt: m.movedAt })).reverse(),
  };
}

/** A pay motion moved: its id (null if the command moved none) and the entries' first seq and acts. */
export function presentPayMotionMoved(entries: readonly Entry[]): PayMotionMoved {
  const moved = entries.find((e) => e.act === 'motion_moved');
  return {
    motionId: moved?.act === 'motion_moved' ? moved.payload.motionId : null,
    seq: entries[0]?.seq ?? null,
    acts: entries.map((e) => e.act),
  };
}
