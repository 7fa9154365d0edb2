// The founding of an organisation: its name, constitution, tree of councils, founders (admitted by the founding
// itself) and the founding's invitations (docs/RECORD.md "Entry sizes" for how a large tree is split).
import type { DecideContext } from '../kernel/command.ts';
import { parseConstitution } from '../kernel/constitution.ts';
import { utf8Length } from '../kernel/entry-size.ts';
import { canonicalJson } from '../../record/index.ts';
import { InvalidCommand, reject } from '../kernel/errors.ts';
import { checkText, limits } from '../kernel/limits.ts';
import { type Command, newEntry, type NewEntry, type Decision, type OrgState } from '../model.ts';
import type { CouncilSpec } from './types.ts';

export function decideFounding(
  state: OrgState,
  c: Extract<Command, { type: 'found_organisation' }>,
  ctx: DecideContext,
): Decision {
  if (state.org) return reject('already_exists', 'already_founded');
  const name = checkText(c.name, 'name', limits.name);
  const constitution = parseConstitution(c.constitution, true);
  if (!Array.isArray(c.councils) || c.councils.length === 0) {
    throw new InvalidCommand('councils_empty', 'councils');
  }
  if (c.councils.length > limits.councils)
    throw new InvalidCommand('councils_too_many', 'councils', { max: limits.councils });
  const ids = new Set<string>();
  const roots = c.councils.filter((x) => x.parentId === null);
  if (roots.length !== 1) throw new InvalidCommand('one_root', 'councils');
  c.councils.forEach((x, i) => {
    checkText(x.name, `councils[${i}].name`, limits.name);
    if (ids.has(x.id)) throw new InvalidCommand('council_id_twice', `councils[${i}].id`, { id: x.id });
    ids.add(x.id);
    const seatsOk =
      Number.isSafeInteger(x.seatsInParent) && x.seatsInParent >= 0 && x.seatsInParent <= limits.seats;
    if (!seatsOk)
      throw new InvalidCommand('seats_range', `councils[${i}].seats`, { min: 0, max: limits.seats });
    if (x.parentId !== null && x.seatsInParent < 1) {
      throw new InvalidCommand('council_sends_deputy', `councils[${i}].seats`, { name: x.name });
    }
  });
  c.councils.forEach((x, i) => {
    if (x.parentId !== null && !ids.has(x.parentId)) {
      throw new InvalidCommand('unknown_parent', `councils[${i}].parent`, { name: x.name });
    }
  });
  // Every council must reach the root: no cycles.
  const byId = new Map(c.councils.map((x) => [x.id, x]));
  for (const x of c.councils) {
    let cur: string | null = x.id;
    for (let steps = 0; cur !== null; steps++) {
      if (steps > c.councils.length) throw new InvalidCommand('council_cycle', 'councils', { name: x.name });
      cur = byId.get(cur)!.parentId;
    }
  }
  const hasChildren = new Set(c.councils.map((x) => x.parentId).filter((x) => x !== null));
  // A large tree of councils (up to 100,000) does not fit one entry: the first go into org_founded, the rest
  // follow in councils_founded entries, each council after its parent (docs/RECORD.md "Entry sizes").
  const [first, ...more] = councilBatches(c.councils);
  const entries: NewEntry[] = [
    newEntry('org_founded', null, ctx.now, { orgId: ctx.newId('org'), name, constitution, councils: first! }),
    ...more.map((councils) => newEntry('councils_founded', null, ctx.now, { councils })),
  ];
  c.founders.forEach((f, i) => {
    const fname = checkText(f.name, `founders[${i}].name`, limits.name);
    if (!ids.has(f.councilId)) throw new InvalidCommand('founder_unknown_council', `founders[${i}].council`);
    if (hasChildren.has(f.councilId)) {
      throw new InvalidCommand('founders_base_councils', `founders[${i}].council`);
    }
    entries.push(
      newEntry('member_admitted', null, ctx.now, {
        memberId: f.memberId,
        name: fname,
        councilId: f.councilId,
        invitationId: null,
      }),
    );
  });
  (c.invitations ?? []).forEach((inv, i) => {
    const iname = checkText(inv.name, `invitations[${i}].name`, limits.name);
    if (!ids.has(inv.councilId) || hasChildren.has(inv.councilId)) {
      throw new InvalidCommand('invitations_base_councils', `invitations[${i}].council`);
    }
    entries.push(
      newEntry('invitation_issued', null, ctx.now, {
        invitationId: ctx.newId('invitation'),
        councilId: inv.councilId,
        name: iname,
      }),
    );
  });
  // Not accept(...entries): a founding of a million members would pass a million arguments (past the stack).
  return { ok: true, entries };
}

/** Bytes of councils (canonical JSON) one founding entry holds at most: the rest of it is under 10 kB. */
export const councilBatchBytes = 50_000;

/**
 * The councils in batches of at most councilBatchBytes each. A tree that fits one batch is kept as given (as
 * before); a larger one is put in tree order (each council after its parent, siblings as given) and cut.
 */
function councilBatches(councils: CouncilSpec[]): CouncilSpec[][] {
  const size = (x: CouncilSpec) => utf8Length(canonicalJson(x)) + 1;
  if (councils.reduce((n, x) => n + size(x), 0) <= councilBatchBytes) return [councils];
  const children = new Map<string | null, CouncilSpec[]>();
  for (const x of councils) children.set(x.parentId, [...(children.get(x.parentId) ?? []), x]);
  const ordered: CouncilSpec[] = [];
  const stack = [...(children.get(null) ?? [])];
  while (stack.length > 0) {
    const x = stack.pop()!;
    ordered.push(x);
    stack.push(...(children.get(x.id) ?? []).toReversed());
  }
  const batches: CouncilSpec[][] = [[]];
  let bytes = 0;
  for (const x of ordered) {
    if (bytes + size(x) > councilBatchBytes && batches.at(-1)!.length > 0) {
      batches.push([]);
      bytes = 0;
    }
    batches.at(-1)!.push(x);
    bytes += size(x);
  }
  return batches;
}
