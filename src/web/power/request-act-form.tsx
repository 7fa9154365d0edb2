// "Request an act" (docs/POWER.md, "The acts"): one form, whose fields follow the kind chosen. The request
// waits for the approvals of the body the constitution names; the page of the new request opens.
import { useState } from 'react';
import { ActionForm, Field, useAction } from '../components/form.tsx';
import { Select } from '../components/select.tsx';
import { councilName } from '../names.ts';
import { navigate } from '../router.tsx';
import { t } from '../strings.ts';
import type { Org } from '../types.ts';
import { actKinds, actName } from './act-words.ts';
import type { Directory } from './directory.ts';
import { powerApi } from './power-api.ts';

type Values = Record<string, string>;

/** The content of `kind` from the form's values; throws RangeError naming the field when one is not valid. */
function contentOf(kind: string, v: Values, picked: string[]): Record<string, unknown> {
  const int = (name: string) => {
    const n = Number(v[name]);
    if (!Number.isInteger(n) || v[name] === '') throw new RangeError(name);
    return n;
  };
  switch (kind) {
    case 'amend_constitution': {
      let constitution: unknown;
      try {
        constitution = JSON.parse(v.constitution ?? '');
      } catch {
        throw new RangeError('constitution');
      }
      return { constitution };
    }
    case 'create_council':
      return { id: v.id, name: v.name, parentId: v.parentId, seats: int('seats') };
    case 'merge_councils':
      return { from: v.from, into: v.into };
    case 'dissolve_council':
      return { councilId: v.councilId };
    case 'change_seats':
      return { councilId: v.councilId, seats: int('seats') };
    case 'expel_member':
      return { memberId: v.memberId, reason: v.reason ?? '' };
    case 'reset_password':
      return { memberId: v.memberId };
    case 'rotate_log_key':
      return { verifierKey: (v.verifierKey ?? '').trim() };
    case 'change_witnesses':
      return {
        witnesses: (v.witnesses ?? '')
          .split('\n')
          .map((x) => x.trim())
          .filter(Boolean),
      };
    case 'unseal_entry':
      return { seq: int('seq'), reason: v.reason ?? '' };
    case 'appoint_trustees':
      return { trustees: picked };
    case 'elect_committee':
      return { councilId: v.councilId, memberIds: picked };
    default:
      return {};
  }
}

export function RequestActForm(p: {
  org: Org;
  people: Directory;
  kinds?: readonly string[];
  initial?: Values;
}) {
  const kinds = p.kinds ?? actKinds;
  const [kind, setKind] = useState<string>(kinds[0] ?? 'amend_constitution');
  const firstCouncil = p.org.councils[0]?.id ?? '';
  const firstBase = p.org.councils.find((c) => c.kind === 'base')?.id ?? firstCouncil;
  const [v, setV] = useState<Values>({
    councilId: firstCouncil,
    parentId: p.org.rootCouncilId,
    from: firstBase,
    into: firstBase,
    memberId: p.people.people[0]?.id ?? '',
    ...p.initial,
  });
  const [picked, setPicked] = useState<string[]>([]);
  const action = useAction();
  const set = (name: string) => (value: string) => setV((old) => ({ ...old, [name]: value }));
  const field = (
    name: string,
    label: string,
    extra: { multiline?: boolean; type?: string; hint?: string } = {},
  ) => (
    <Field
      label={label}
      name={name}
      value={v[name] ?? ''}
      onChange={set(name)}
      error={action.error}
      required
      {...extra}
    />
  );
  const councils = (filter: (c: Org['councils'][number]) => boolean = () => true) =>
    p.org.councils.filter(filter).map((c) => ({ value: c.id, label: c.name }));
  const councilSelect = (name: string, label: string, filter?: (c: Org['councils'][number]) => boolean) => (
    <Select label={label} name={name} value={v[name] ?? ''} onChange={set(name)} options={councils(filter)} />
  );
  const pickable =
    kind === 'elect_committee'
      ? membersOf(p.org, p.people, v.councilId ?? '')
      : p.people.people.map((x) => ({ id: x.id, name: x.name }));

  const submit = async () => {
    let content: Record<string, unknown>;
    try {
      content = contentOf(
        kind,
        v,
        picked.filter((id) => pickable.some((x) => x.id === id)),
      );
    } catch (e) {
      await action.run(() => Promise.reject(new Error(t('actFieldBad', { field: (e as Error).message }))));
      return;
    }
    const r = await action.run(() => powerApi.requestAct(p.org.id, kind, content));
    if (r?.requestId) navigate(`/requests/${encodeURIComponent(r.requestId)}`);
  };

  return (
    <ActionForm
      label={t('requestAct')}
      submit={t('requestActSubmit')}
      action={action}
      fields={['kind', 'content']}
      onSubmit={submit}
    >
      {kinds.length > 1 && (
        <Select
          label={t('actKind')}
          name="kind"
          value={kind}
          onChange={(k) => {
            setKind(k);
            action.clear();
          }}
          options={kinds.map((k) => ({ value: k, label: actName(k) }))}
        />
      )}
      {kind === 'amend_constitution' &&
        field('constitution', t('actConstitution'), { multiline: true, hint: t('actConstitutionHint') })}
      {kind === 'create_council' && (
        <>
          {field('id', t('actCouncilId'))}
          {field('name', t('actCouncilName'))}
          {councilSelect('parentId', t('actParent'), (c) => c.kind === 'higher')}
          {field('seats', t('actSeats'), { type: 'number' })}
        </>
      )}
      {kind === 'merge_councils' && (
        <>
          {councilSelect('from', t('actMergeFrom'), (c) => c.kind === 'base')}
          {councilSelect('into', t('actMergeInto'), (c) => c.kind === 'base')}
        </>
      )}
      {kind === 'dissolve_council' && councilSelect('councilId', t('council'))}
      {kind === 'change_seats' && (
        <>
          {councilSelect('councilId', t('council'), (c) => c.parentId !== null)}
          {field('seats', t('actSeats'), { type: 'number' })}
        </>
      )}
      {(kind === 'expel_member' || kind === 'reset_password') && (
        <>
          <Select
            label={t('actMember')}
            name="memberId"
            value={v.memberId ?? ''}
            onChange={set('memberId')}
            options={p.people.people.map((x) => ({
              value: x.id,
              label: `${x.name} (${councilName(p.org, x.councilId)})`,
            }))}
          />
          {kind === 'expel_member' && field('reason', t('actReason'), { multiline: true })}
        </>
      )}
      {kind === 'rotate_log_key' &&
        field('verifierKey', t('actVerifierKey'), { hint: t('actVerifierKeyHint') })}
      {kind === 'change_witnesses' &&
        field('witnesses', t('actWitnesses'), { multiline: true, hint: t('actWitnessesHint') })}
      {kind === 'unseal_entry' && (
        <>
          {field('seq', t('actSeq'), { type: 'number' })}
          {field('reason', t('actReason'), { multiline: true })}
        </>
      )}
      {kind === 'elect_committee' && councilSelect('councilId', t('council'))}
      {(kind === 'appoint_trustees' || kind === 'elect_committee') && (
        <fieldset>
          <legend>{t(kind === 'appoint_trustees' ? 'actTrustees' : 'actCommitteeMembers')}</legend>
          {pickable.length === 0 && <p className="hint">{t('noDeputies')}</p>}
          {pickable.map((x) => (
            <div className="check" key={x.id}>
              <input
                id={`pick-${x.id}`}
                type="checkbox"
                checked={picked.includes(x.id)}
                onChange={(e) =>
                  setPicked((old) => (e.target.checked ? [...old, x.id] : old.filter((y) => y !== x.id)))
                }
              />
              <label htmlFor={`pick-${x.id}`}>{x.name}</label>
            </div>
          ))}
        </fieldset>
      )}
    </ActionForm>
  );
}

/** The members of a council: people for a base council, the deputies sitting in it for a higher one. */
function membersOf(org: Org, people: Directory, councilId: string) {
  const c = org.councils.find((x) => x.id === councilId);
  if (!c) return [];
  if (c.kind === 'base')
    return people.people.filter((x) => x.councilId === c.id).map((x) => ({ id: x.id, name: x.name }));
  return c.deputies.map((d) => ({ id: d.memberId, name: d.memberName }));
}
