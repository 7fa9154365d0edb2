// What a member starts in a council: a motion (with its alternatives and counting method), an election of a
// deputy to the council above, an invitation, a recall of a deputy the council sent.
import { useState } from 'react';
import { api } from '../api.ts';
import { electionMethods, motionMethods, shapeOf } from '../methods.ts';
import { methodName } from '../names.ts';
import { navigate } from '../router.tsx';
import { t } from '../strings.ts';
import { ActionForm, Field, useAction } from './form.tsx';
import { Select } from './select.tsx';
import type { Pick } from './search-picker.tsx';
import { TrusteePicker } from './trustee-picker.tsx';

const motionPath = (org: string, council: string, what: string) =>
  `/orgs/${encodeURIComponent(org)}/councils/${encodeURIComponent(council)}/${what}`;

/**
 * "Decide by secret ballot" and, when checked, the trustees: a method that counts totals is decided by homomorphic
 * ballots, one that counts rankings through the mix-net, the trustees shuffling in turn (docs/MIXNET.md §16.1).
 */
function SecretChoice(p: {
  id: string;
  orgId: string;
  councilId: string;
  method: string;
  /** The council's members when its page held them all, else null (they are searched). */
  members: Pick[] | null;
  secret: ReturnType<typeof useSecretChoice>;
  error: unknown;
}) {
  const s = p.secret;
  return (
    <>
      <div className="check">
        <input id={p.id} type="checkbox" checked={s.on} onChange={(e) => s.setOn(e.target.checked)} />
        <label htmlFor={p.id}>
          {t(shapeOf(p.method) === 'ranking' ? 'secretBallotRanked' : 'secretBallot')}
        </label>
      </div>
      {s.on && (
        <TrusteePicker
          help={shapeOf(p.method) === 'ranking' ? t('trusteesHelpRanked') : undefined}
          orgId={p.orgId}
          councilId={p.councilId}
          members={p.members}
          trustees={s.trustees}
          onTrustees={s.setTrustees}
          threshold={s.threshold}
          onThreshold={s.setThreshold}
          error={p.error}
        />
      )}
    </>
  );
}

function useSecretChoice() {
  const [on, setOn] = useState(false);
  const [trustees, setTrustees] = useState<Pick[]>([]);
  const [threshold, setThreshold] = useState('1');
  return {
    on,
    setOn,
    trustees,
    setTrustees,
    threshold,
    setThreshold,
    body: () => (on ? { secret: { trustees: trustees.map((x) => x.id), threshold: Number(threshold) } } : {}),
  };
}

export function MoveMotionForm({
  orgId,
  councilId,
  members,
}: {
  orgId: string;
  councilId: string;
  members: Pick[] | null;
}) {
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [alts, setAlts] = useState([{ title: '', text: '' }]);
  const [method, setMethod] = useState('majority');
  const [majority, setMajority] = useState('ordinary');
  const [maxScore, setMaxScore] = useState('5');
  const [draft, setDraft] = useState(false);
  const secret = useSecretChoice();
  const action = useAction();
  const setAlt = (i: number, k: 'title' | 'text', v: string) =>
    setAlts(alts.map((a, j) => (j === i ? { ...a, [k]: v } : a)));
  const submit = async () => {
    const body = {
      title,
      text,
      alternatives: alts.filter((a) => a.title.trim() !== '' || a.text.trim() !== ''),
      method,
      ...(method === 'majority' ? { majority } : {}),
      ...(method === 'score' ? { maxScore: Number(maxScore) } : {}),
      draft,
      ...secret.body(),
    };
    const r = await action.run(() =>
      api.post<{ motionId: string }>(motionPath(orgId, councilId, 'motions'), body),
    );
    if (r) navigate(`/motions/${encodeURIComponent(r.motionId)}`);
  };
  return (
    <ActionForm
      label={t('moveMotion')}
      submit={t('submitMotion')}
      action={action}
      fields={[
        'secret.threshold',
        'title',
        'text',
        'method',
        'majority',
        'maxScore',
        ...alts.flatMap((_, i) => [`alternatives.${i}.title`, `alternatives.${i}.text`]),
      ]}
      onSubmit={submit}
    >
      <Field
        label={t('motionTitle')}
        name="title"
        required
        value={title}
        onChange={setTitle}
        error={action.error}
      />
      <Field
        label={t('motionText')}
        name="text"
        multiline
        value={text}
        onChange={setText}
        error={action.error}
      />
      <fieldset>
        <legend>{t('alternativesLegend')}</legend>
        {alts.map((a, i) => (
          <div key={i} className="alt-input">
            <Field
              label={t('alternativeTitle', { n: i + 1 })}
              name={`alternatives.${i}.title`}
              value={a.title}
              onChange={(v) => setAlt(i, 'title', v)}
              error={action.error}
            />
            <Field
              label={t('alternativeText', { n: i + 1 })}
              name={`alternatives.${i}.text`}
              multiline
              value={a.text}
              onChange={(v) => setAlt(i, 'text', v)}
              error={action.error}
            />
            {alts.length > 1 && (
              <button
                type="button"
                className="secondary"
                onClick={() => setAlts(alts.filter((_, j) => j !== i))}
              >
                {t('removeAlternative', { n: i + 1 })}
              </button>
            )}
          </div>
        ))}
        <button
          type="button"
          className="secondary"
          onClick={() => setAlts([...alts, { title: '', text: '' }])}
        >
          {t('addAlternative')}
        </button>
      </fieldset>
      <Select
        label={t('method')}
        name="method"
        value={method}
        onChange={setMethod}
        options={motionMethods.map((m) => ({ value: m, label: methodName(m) }))}
      />
      {method === 'majority' && (
        <Select
          label={t('majority')}
          name="majority"
          value={majority}
          onChange={setMajority}
          options={[
            { value: 'ordinary', label: t('majorityOrdinary') },
            { value: 'absolute', label: t('majorityAbsolute') },
            { value: 'supermajority', label: t('majoritySuper') },
          ]}
        />
      )}
      {method === 'score' && (
        <Field
          label={t('maxScore')}
          name="maxScore"
          type="number"
          min={1}
          max={100}
          value={maxScore}
          onChange={setMaxScore}
          error={action.error}
        />
      )}
      <SecretChoice
        id="motion-secret"
        orgId={orgId}
        councilId={councilId}
        method={method}
        members={members}
        secret={secret}
        error={action.error}
      />
      <div className="check">
        <input
          id="motion-draft"
          type="checkbox"
          checked={draft}
          onChange={(e) => setDraft(e.target.checked)}
        />
        <label htmlFor="motion-draft">{t('asDraft')}</label>
      </div>
    </ActionForm>
  );
}

export function CallElectionForm({
  orgId,
  councilId,
  parentName,
  seats,
  members,
}: {
  orgId: string;
  councilId: string;
  parentName: string;
  /** The seats this election fills (the council's open seats in its parent). */
  seats: number;
  members: Pick[] | null;
}) {
  const [method, setMethod] = useState('majority');
  const secret = useSecretChoice();
  const action = useAction();
  const submit = async () => {
    const r = await action.run(() =>
      api.post<{ motionId: string }>(motionPath(orgId, councilId, 'elections'), {
        // the title in the caller's language, as a member writes a motion's (the core's default is English)
        title: t('electionTitle', { seats, parent: parentName }),
        method,
        ...secret.body(),
      }),
    );
    if (r) navigate(`/motions/${encodeURIComponent(r.motionId)}`);
  };
  return (
    <ActionForm
      label={t('callElection')}
      submit={t('electionCalled')}
      action={action}
      fields={['method', 'secret.threshold']}
      onSubmit={submit}
    >
      <p>{t('callElectionIntro', { parent: parentName })}</p>
      <Select
        label={t('method')}
        name="method"
        value={method}
        onChange={setMethod}
        options={electionMethods.map((m) => ({ value: m, label: methodName(m) }))}
      />
      <SecretChoice
        id="election-secret"
        orgId={orgId}
        councilId={councilId}
        method={method}
        members={members}
        secret={secret}
        error={action.error}
      />
    </ActionForm>
  );
}

export function InviteForm({ orgId, councilId }: { orgId: string; councilId: string }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [made, setMade] = useState<{ name: string; email: string; link: string; emailed: boolean } | null>(
    null,
  );
  const action = useAction();
  const submit = async () => {
    const to = email.trim();
    const r = await action.run(() =>
      api.post<{ link: string; emailed: boolean }>(motionPath(orgId, councilId, 'invitations'), {
        name,
        ...(to ? { email: to } : {}),
      }),
    );
    if (r) {
      setMade({ name, email: to, link: r.link, emailed: r.emailed });
      setName('');
      setEmail('');
    }
  };
  const said = !made
    ? ''
    : made.emailed
      ? t('inviteEmailed', { name: made.name, email: made.email })
      : made.email
        ? t('inviteNotEmailed', { name: made.name, email: made.email })
        : t('inviteLink', { name: made.name });
  return (
    <ActionForm
      label={t('invite')}
      submit={t('sendInvite')}
      action={action}
      fields={['name', 'email']}
      onSubmit={submit}
    >
      <Field
        label={t('inviteName')}
        name="name"
        required
        value={name}
        onChange={setName}
        error={action.error}
      />
      <Field
        label={t('inviteEmail')}
        name="email"
        type="email"
        hint={t('inviteEmailHint')}
        value={email}
        onChange={setEmail}
        error={action.error}
      />
      {made && (
        <p role="status">
          {said} <code className="link">{made.link}</code>
        </p>
      )}
    </ActionForm>
  );
}

export function RecallForm({ orgId, mandateId, name }: { orgId: string; mandateId: string; name: string }) {
  const [text, setText] = useState('');
  const action = useAction();
  const submit = async () => {
    const r = await action.run(() =>
      api.post<{ motionId: string }>(
        `/orgs/${encodeURIComponent(orgId)}/mandates/${encodeURIComponent(mandateId)}/recall`,
        { text },
      ),
    );
    if (r) navigate(`/motions/${encodeURIComponent(r.motionId)}`);
  };
  return (
    <ActionForm
      label={t('moveRecall')}
      submit={t('moveRecall')}
      action={action}
      fields={['text']}
      onSubmit={submit}
    >
      <Field
        label={t('recallReason', { name })}
        name="text"
        multiline
        value={text}
        onChange={setText}
        error={action.error}
      />
    </ActionForm>
  );
}
