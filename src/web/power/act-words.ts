// A privileged act's content said in words (docs/POWER.md, "The acts"), for the lists and the request page.
// The raw content is shown beside it, since that is what is hashed and signed.
import { t, tDynamic } from '../strings.ts';
import type { Directory } from './directory.ts';

/** The privileged acts of the constitution, and the two acts about committees. */
export const actKinds = [
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
  'elect_committee',
] as const;

export const actName = (kind: string) => tDynamic(`act_${kind}`, kind);

const s = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v));
const list = (v: unknown) => (Array.isArray(v) ? v.map(s) : []);

export function actWords(names: Directory, kind: string, c: Record<string, unknown>): string {
  const council = (v: unknown) => names.council(s(v));
  const person = (v: unknown) => names.name(s(v));
  switch (kind) {
    case 'amend_constitution':
      return t('actWords_amend_constitution', {
        settings: Object.keys((c.constitution as object) ?? {}).join(', '),
      });
    case 'create_council':
      return t('actWords_create_council', {
        name: s(c.name),
        parent: council(c.parentId),
        seats: s(c.seats),
      });
    case 'merge_councils':
      return t('actWords_merge_councils', { from: council(c.from), into: council(c.into) });
    case 'dissolve_council':
      return t('actWords_dissolve_council', { council: council(c.councilId) });
    case 'change_seats':
      return t('actWords_change_seats', { council: council(c.councilId), seats: s(c.seats) });
    case 'expel_member':
      return t('actWords_expel_member', { name: person(c.memberId), reason: s(c.reason) });
    case 'rotate_log_key':
      return t('actWords_rotate_log_key', { key: s(c.verifierKey) });
    case 'change_witnesses':
      return t('actWords_change_witnesses', { count: list(c.witnesses).length });
    case 'unseal_entry':
      return t('actWords_unseal_entry', { seq: s(c.seq), reason: s(c.reason) });
    case 'appoint_trustees':
      return t('actWords_appoint_trustees', { names: list(c.trustees).map(person).join(', ') });
    case 'reset_password':
      return t('actWords_reset_password', { name: person(c.memberId) });
    case 'elect_committee':
      return t('actWords_elect_committee', {
        council: council(c.councilId),
        names: list(c.memberIds).map(person).join(', '),
      });
    case 'reverse_act':
      return t('actWords_reverse_act', { request: s(c.requestId) });
    case 'reinstate_member':
      return t('actWords_reinstate_member', { request: s(c.requestId) });
    default:
      return JSON.stringify(c);
  }
}
