// The small file `councils init` founds an organisation from (YAML or JSON): a tree of councils, the seats
// each sends up, and the founding members of the base councils, who receive invitation links.
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import type { Command, CouncilSpec } from '../core/index.ts';

export class OrganisationFileError extends Error {
  override name = 'OrganisationFileError';
}

interface CouncilNode {
  id?: unknown;
  name?: unknown;
  seats?: unknown;
  members?: unknown;
  children?: unknown;
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'council'
  );
}

export function parseOrganisationFile(
  text: string,
  source = 'file',
): Extract<Command, { type: 'found_organisation' }> {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    throw new OrganisationFileError(`${source}: not valid YAML or JSON: ${(e as Error).message}`);
  }
  const d = doc as { name?: unknown; constitution?: unknown; council?: unknown };
  if (typeof d !== 'object' || d === null)
    throw new OrganisationFileError(`${source}: expected a mapping with name and council`);
  if (typeof d.name !== 'string' || !d.name.trim())
    throw new OrganisationFileError(`${source}: "name" must be the organisation's name`);
  if (typeof d.council !== 'object' || d.council === null) {
    throw new OrganisationFileError(`${source}: "council" must describe the root council (name, children)`);
  }
  const councils: CouncilSpec[] = [];
  const invitations: { name: string; councilId: string }[] = [];
  const used = new Set<string>();
  const walk = (node: CouncilNode, parentId: string | null, path: string) => {
    if (typeof node.name !== 'string' || !node.name.trim())
      throw new OrganisationFileError(`${source}: ${path}.name is missing`);
    let id = typeof node.id === 'string' ? node.id : slug(node.name);
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id))
      throw new OrganisationFileError(`${source}: ${path}.id may use letters, digits, - and _`);
    if (used.has(id)) {
      if (typeof node.id === 'string')
        throw new OrganisationFileError(`${source}: ${path}.id "${id}" is used twice`);
      let n = 2;
      while (used.has(`${id}-${n}`)) n++;
      id = `${id}-${n}`;
    }
    used.add(id);
    const seats = parentId === null ? 0 : (node.seats ?? 1);
    if (!Number.isSafeInteger(seats) || (seats as number) < (parentId === null ? 0 : 1)) {
      throw new OrganisationFileError(
        `${source}: ${path}.seats must be a whole number of deputies (1 or more)`,
      );
    }
    councils.push({ id, name: node.name.trim(), parentId, seatsInParent: seats as number });
    const children = node.children ?? [];
    if (!Array.isArray(children))
      throw new OrganisationFileError(`${source}: ${path}.children must be a list`);
    const members = node.members ?? [];
    if (!Array.isArray(members))
      throw new OrganisationFileError(`${source}: ${path}.members must be a list of names`);
    if (children.length > 0 && members.length > 0) {
      throw new OrganisationFileError(
        `${source}: ${path} has children, so its members are the deputies they elect; list people in base councils`,
      );
    }
    members.forEach((m, i) => {
      const name = typeof m === 'string' ? m : (m as { name?: unknown })?.name;
      if (typeof name !== 'string' || !name.trim())
        throw new OrganisationFileError(`${source}: ${path}.members[${i}] needs a name`);
      invitations.push({ name: name.trim(), councilId: id });
    });
    children.forEach((c, i) => walk(c as CouncilNode, id, `${path}.children[${i}]`));
  };
  walk(d.council as CouncilNode, null, 'council');
  return {
    type: 'found_organisation',
    name: d.name.trim(),
    ...(d.constitution !== undefined ? { constitution: d.constitution } : {}),
    councils,
    founders: [],
    invitations,
  };
}

export function readOrganisationFile(path: string): Extract<Command, { type: 'found_organisation' }> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new OrganisationFileError(
      `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  return parseOrganisationFile(text, path);
}
