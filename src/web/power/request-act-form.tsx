// "Request an act" (docs/POWER.md, "The acts"): one form, whose fields follow the kind chosen. The request
// waits for the approvals of the body the constitution names; the page of the new request opens.
import { useState } from 'react';
import { ActionForm, Field, useAction } from '../components/form.tsx';
import {
  councilMemberSearch,
  councilSearch,
  memberSearch,
  PickMany,
  SearchPicker,
  type Pick,
  type Search,
} from '../components/search-picker.tsx';
import { Select } from '../components/select.tsx';
import { navigate } from '../router.tsx';
import { t } from '../strings.ts';
import type { Org } from '../types.ts';
import { actKinds, actName } from './act-words.ts';
import type { Directory } from './directory.ts';
import { powerApi } from './power-api.ts';

type Values = Record<string, string>;

/** What a council picker keeps: a kind (chosen by the server), then a test of each match. */
type CouncilFilter = Parameters<typeof councilSearch> extends [string, ...infer F] ? F : never;

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
  // A committee is for the first council the member's view holds (the top one) until another is chosen.
  const [v, setV] = useState<Values>({
    parentId: p.org.rootCouncilId,
    councilId: p.org.councils[0]?.id ?? '',
    ...p.initial,
  });
  const [picked, setPicked] = useState<Pick[]>([]);
  // What each single picker chose, as its search showed it (with the member's council or the council's kind).
  const [chosen, setChosen] = useState<Record<string, Pick>>({});
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
  // A council or a member is chosen by searching (search-picker.tsx), never from a list of them all.
  const picker = (name: string, label: string, search: Search, kindOfName: 'members' | 'councils') => {
    const id = v[name];
    return (
      <SearchPicker
        label={label}
        search={search}
        initialText={id ? (kindOfName === 'members' ? p.people.name(id) : p.people.council(id)) : ''}
        chosen={
          id
            ? chosen[name]?.id === id
              ? chosen[name]
              : { id, name: kindOfName === 'members' ? p.people.name(id) : p.people.council(id) }
            : null
        }
        onPick={(pick) => {
          p.people.learn(kindOfName, pick.id, pick.name);
          // a committee's members are of its council: those picked for another council go with it
          if (name === 'councilId' && pick.id !== id) setPicked([]);
          setChosen((old) => ({ ...old, [name]: pick }));
          set(name)(pick.id);
        }}
      />
    );
  };
  const councilPicker = (name: string, label: string, ...filter: CouncilFilter) =>
    picker(name, label, councilSearch(p.org.id, ...filter), 'councils');
  const members = memberSearch(p.org.id);
  // A committee is chosen among its council's members (a higher council's: the deputies sitting in it), searched
  // by the server within the council.
  const committeeSearch = v.councilId ? councilMemberSearch(p.org.id, v.councilId) : undefined;

  const submit = async () => {
    let content: Record<string, unknown>;
    try {
      content = contentOf(
        kind,
        v,
        picked.map((x) => x.id),
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
            setPicked([]);
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
          {councilPicker('parentId', t('actParent'), 'higher')}
          {field('seats', t('actSeats'), { type: 'number' })}
        </>
      )}
      {kind === 'merge_councils' && (
        <>
          {councilPicker('from', t('actMergeFrom'), 'base')}
          {councilPicker('into', t('actMergeInto'), 'base')}
        </>
      )}
      {kind === 'dissolve_council' && councilPicker('councilId', t('council'))}
      {kind === 'change_seats' && (
        <>
          {councilPicker('councilId', t('council'), undefined, (c) => c.parentId !== null)}
          {field('seats', t('actSeats'), { type: 'number' })}
        </>
      )}
      {(kind === 'expel_member' || kind === 'reset_password') && (
        <>
          {picker('memberId', t('actMember'), members, 'members')}
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
      {kind === 'elect_committee' && councilPicker('councilId', t('council'))}
      {kind === 'appoint_trustees' && (
        <PickMany label={t('actTrustees')} search={members} chosen={picked} onChosen={setPicked} />
      )}
      {kind === 'elect_committee' && committeeSearch && (
        <PickMany
          // a new council's picker starts empty, its text and matches too
          key={v.councilId}
          label={t('actCommitteeMembers')}
          hint={t('actCommitteeHint')}
          search={committeeSearch}
          chosen={picked}
          onChosen={setPicked}
        />
      )}
    </ActionForm>
  );
}
