// What a member does to a motion: propose an alternative, an amendment or a candidate; speak in the debate;
// open the vote; attach a minority statement. Each form keeps what was typed when the API says no.
import { useId, useState } from 'react';
import { api } from '../api.ts';
import { optionLabel } from '../names.ts';
import { useSignedIn } from '../session.tsx';
import { t } from '../strings.ts';
import type { CouncilMembers, Motion, Names } from '../types.ts';
import { ActionForm, Field, useAction, useLoad } from './form.tsx';
import { councilMemberSearch, SearchPicker, type Pick } from './search-picker.tsx';
import { Select } from './select.tsx';
import { TrusteePicker } from './trustee-picker.tsx';

export function ProposeForm({ base, motion, onDone }: { base: string; motion: Motion; onDone(): void }) {
  const { org } = useSignedIn();
  const election = motion.kind === 'election';
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [amends, setAmends] = useState('');
  // An election's candidate: any member of the electing council (a higher council's: its deputies), as the core
  // accepts (candidate_not_member), searched within the council however many there are; those already standing
  // are not offered (already_stands). A refusal the picker cannot foresee (a term limit) is said by the form.
  const [candidate, setCandidate] = useState<Pick | null>(null);
  const [stood, setStood] = useState(0);
  const standing = motion.alternatives.flatMap((a) => (a.candidateId ? [a.candidateId] : []));
  const action = useAction();
  const submit = async () => {
    const body = election
      ? candidate
        ? { title: candidate.name, text, candidateId: candidate.id }
        : // none chosen: the server's candidate_needed, said beside the picker (a title, or it would name that)
          { title: t('candidateMember'), text }
      : { title, text, ...(amends ? { amends } : {}) };
    const r = await action.run(() => api.post(`${base}/alternatives`, body));
    if (r) {
      setTitle('');
      setText('');
      setCandidate(null);
      setStood((n) => n + 1);
      onDone();
    }
  };
  return (
    <ActionForm
      label={election ? t('standCandidate') : t('proposeAlternative')}
      submit={t('propose')}
      action={action}
      fields={['title', 'text', 'amends', 'candidateId']}
      onSubmit={submit}
    >
      {election ? (
        <SearchPicker
          key={stood}
          label={t('candidateMember')}
          hint={t('candidateSearch')}
          search={councilMemberSearch(org.id, motion.councilId, standing)}
          chosen={candidate}
          onPick={setCandidate}
          field={{ name: 'candidateId', error: action.error }}
        />
      ) : (
        <>
          <Field
            label={t('motionTitle')}
            name="title"
            required
            value={title}
            onChange={setTitle}
            error={action.error}
          />
          <Select
            label={t('amendsLabel')}
            name="amends"
            value={amends}
            onChange={setAmends}
            options={[
              { value: '', label: t('amendsNone') },
              ...motion.alternatives.map((a) => ({
                value: a.id,
                label: optionLabel(motion, a.id),
              })),
            ]}
          />
        </>
      )}
      <Field
        label={t('motionText')}
        name="text"
        multiline
        value={text}
        onChange={setText}
        error={action.error}
      />
    </ActionForm>
  );
}

export function CommentForm({ base, onDone }: { base: string; onDone(): void }) {
  const [stance, setStance] = useState<'for' | 'against' | 'neutral'>('for');
  const [text, setText] = useState('');
  const action = useAction();
  const name = useId();
  const submit = async () => {
    const r = await action.run(() => api.post(`${base}/comments`, { stance, text }));
    if (r) {
      setText('');
      onDone();
    }
  };
  return (
    <ActionForm
      label={t('speak')}
      submit={t('post')}
      action={action}
      fields={['text', 'stance']}
      onSubmit={submit}
    >
      <fieldset className="radios">
        <legend>{t('yourStance')}</legend>
        {(['for', 'against', 'neutral'] as const).map((s) => (
          <label key={s}>
            <input type="radio" name={name} value={s} checked={stance === s} onChange={() => setStance(s)} />{' '}
            {t(`stance_${s}`)}
          </label>
        ))}
      </fieldset>
      <Field
        label={t('yourWords')}
        name="text"
        multiline
        required
        value={text}
        onChange={setText}
        error={action.error}
      />
    </ActionForm>
  );
}

/**
 * Opens the vote. After a failed secret vote (its trustees did not make the key) the trustees can be named anew,
 * among the council's members (`renaming`: the motion's trustees, checked at first).
 */
export function OpenVoteForm({
  base,
  onDone,
  renaming,
  limits,
}: {
  base: string;
  onDone(): void;
  /** The shortest and longest vote the procedure allows, in minutes (the motion's timeline). */
  limits?: { min: number; max: number };
  renaming?: { orgId: string; councilId: string; trustees: string[]; threshold: number };
}) {
  const [minutes, setMinutes] = useState('');
  const [chosen, setTrustees] = useState<Pick[] | null>(null);
  const [threshold, setThreshold] = useState(String(renaming?.threshold ?? 1));
  const council = useLoad(
    () => (renaming ? trusteeChoice(renaming) : Promise.resolve(null)),
    [renaming?.orgId, renaming?.councilId],
  );
  // the motion's trustees, ticked at first, until the member changes them
  const trustees = chosen ?? council.data?.trustees ?? [];
  const action = useAction();
  const submit = async () => {
    const body = {
      ...(minutes ? { minutes: Number(minutes) } : {}),
      ...(renaming ? { secret: { trustees: trustees.map((x) => x.id), threshold: Number(threshold) } } : {}),
    };
    const r = await action.run(() => api.post(`${base}/vote`, body));
    if (r) onDone();
  };
  return (
    <ActionForm
      label={t('openVote')}
      submit={t('openVote')}
      action={action}
      fields={['minutes', 'secret.threshold']}
      onSubmit={submit}
      className={renaming ? 'form' : 'form inline-form'}
    >
      <Field
        label={t('voteMinutes')}
        name="minutes"
        type="number"
        min={limits?.min ?? 1}
        {...(limits
          ? {
              max: limits.max,
              hint: t('voteMinutesAtLeast', { minimum: limits.min, longest: limits.max }),
            }
          : {})}
        value={minutes}
        onChange={setMinutes}
        error={action.error}
      />
      {renaming && council.data && (
        <TrusteePicker
          orgId={renaming.orgId}
          councilId={renaming.councilId}
          members={council.data.members}
          trustees={trustees}
          onTrustees={setTrustees}
          threshold={threshold}
          onThreshold={setThreshold}
          error={action.error}
          help={t('trusteesAgainHelp')}
        />
      )}
    </ActionForm>
  );
}

/**
 * For naming the trustees anew: the council's members when one page holds them all (else null: they are searched),
 * and the motion's trustees with their names.
 */
async function trusteeChoice(r: { orgId: string; councilId: string; trustees: string[] }) {
  const org = `/orgs/${encodeURIComponent(r.orgId)}`;
  const page = await api.get<CouncilMembers>(`${org}/councils/${encodeURIComponent(r.councilId)}/members`);
  const names = new Map(page.members.map((m) => [m.id, m.name]));
  const missing = r.trustees.filter((id) => !names.has(id));
  if (missing.length > 0) {
    const found = await api.get<Names>(`${org}/names?members=${missing.map(encodeURIComponent).join(',')}`);
    for (const [id, name] of Object.entries(found.members)) names.set(id, name);
  }
  return {
    members: page.next === null ? page.members : null,
    trustees: r.trustees.map((id) => ({ id, name: names.get(id) ?? id })),
  };
}

export function StatementForm({ base, onDone }: { base: string; onDone(): void }) {
  const [text, setText] = useState('');
  const action = useAction();
  const submit = async () => {
    const r = await action.run(() => api.post(`${base}/statements`, { text }));
    if (r) {
      setText('');
      onDone();
    }
  };
  return (
    <ActionForm
      label={t('attachStatement')}
      submit={t('attachStatement')}
      action={action}
      fields={['text']}
      onSubmit={submit}
    >
      <Field
        label={t('statementText')}
        name="text"
        multiline
        required
        value={text}
        onChange={setText}
        error={action.error}
      />
    </ActionForm>
  );
}
