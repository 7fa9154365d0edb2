// Petitions from below (docs/POWER.md): members of a council ask for an item on its agenda (or on the agenda of
// the council above), an extraordinary election, or the recall of a deputy; when enough have signed, the item
// opens by itself. Each petition shows its progress, deadline, and a Sign button; a success links to the motion.
import { useState } from 'react';
import { api } from '../api.ts';
import { Link } from '../router.tsx';
import { formatDate, t, tDynamic } from '../strings.ts';
import { ActionButton, ActionForm, Field, Loading, Reveal, useAction } from './form.tsx';
import { MoreButton, usePages } from './pages.tsx';
import { Select } from './select.tsx';
import { useLive } from '../live.tsx';
import { useSignedIn } from '../session.tsx';

interface Petition {
  id: string;
  kind: string;
  councilId: string;
  targetCouncilId: string | null;
  mandateId: string | null;
  title: string;
  text: string;
  deadline: string;
  required: Record<string, number>;
  councilsRequired: number;
  passedIn: string[];
  signatureCount: number;
  succeededAt: string | null;
  motionId: string | null;
  signatures: { memberId: string }[];
  signedByMe?: boolean;
}

const petitionsPath = (orgId: string) => `/orgs/${encodeURIComponent(orgId)}/petitions`;

export function Petitions(p: {
  orgId: string;
  councilId: string;
  parent: { id: string; name: string } | null;
  mine: boolean;
}) {
  const live = useLive((c) => c.petitionId !== undefined || c.councilId === p.councilId);
  const list = usePages(
    async (after) => {
      const query = new URLSearchParams({ council: p.councilId, ...(after === null ? {} : { after }) });
      const page = await api.get<{ petitions: Petition[]; next: string | null }>(
        `${petitionsPath(p.orgId)}?${query}`,
      );
      return { items: page.petitions, next: page.next };
    },
    [p.orgId, p.councilId, live],
  );
  return (
    <section aria-labelledby="petitions">
      <h2 id="petitions">{t('petitions')}</h2>
      <p className="hint">{t('petitionsIntro')}</p>
      {!list.items ? (
        <Loading error={list.error} />
      ) : list.items.length === 0 ? (
        <p>{t('noPetitions')}</p>
      ) : (
        <>
          <ul className="plain">
            {list.items.map((x) => (
              <PetitionLine
                key={x.id}
                orgId={p.orgId}
                petition={x}
                councilId={p.councilId}
                onDone={list.reload}
              />
            ))}
          </ul>
          <MoreButton pages={list} />
        </>
      )}
      {p.mine && (
        <Reveal label={t('newPetition')}>
          <NewPetitionForm orgId={p.orgId} councilId={p.councilId} parent={p.parent} onDone={list.reload} />
        </Reveal>
      )}
    </section>
  );
}

function PetitionLine(p: { orgId: string; petition: Petition; councilId: string; onDone(): void }) {
  const x = p.petition;
  const { me } = useSignedIn();
  const signed = x.signedByMe === true || x.signatures.some((s) => s.memberId === me.member.id);
  const sign = useAction();
  const required = x.required[x.councilId] ?? 0;
  return (
    <li className="petition">
      <strong>
        <Link href={`/petitions/${encodeURIComponent(x.id)}`}>{x.title}</Link>
      </strong>{' '}
      <span className="badge">{tDynamic(`petition_${x.kind}`, x.kind)}</span>
      {x.text && <p>{x.text}</p>}
      <p className="hint">
        {t('petitionProgress', { count: x.signatureCount, required })} ·{' '}
        {t('petitionDeadline', { date: formatDate(x.deadline) })}
        {x.targetCouncilId &&
          ` · ${t('petitionRises', { passed: x.passedIn.length, needed: x.councilsRequired })}`}
      </p>
      <progress
        max={Math.max(1, required)}
        value={Math.min(x.signatureCount, required)}
        aria-label={t('petitionProgress', { count: x.signatureCount, required })}
      />
      {x.succeededAt ? (
        <p className="verified">
          {t('petitionSucceeded')}{' '}
          {x.motionId && (
            <Link href={`/motions/${encodeURIComponent(x.motionId)}`}>{t('petitionMotion')}</Link>
          )}
        </p>
      ) : signed ? (
        <p>{t('petitionYouSigned')}</p>
      ) : (
        <ActionButton
          label={t('signPetition')}
          action={sign}
          onClick={() =>
            void sign
              .run(() => api.post(`${petitionsPath(p.orgId)}/${encodeURIComponent(x.id)}/signatures`))
              .then((r) => r && p.onDone())
          }
        />
      )}
    </li>
  );
}

function NewPetitionForm(p: {
  orgId: string;
  councilId: string;
  parent: { id: string; name: string } | null;
  onDone(): void;
}) {
  const [kind, setKind] = useState('agenda');
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [rise, setRise] = useState(false);
  const action = useAction();
  const submit = async () => {
    const body = {
      kind,
      councilId: p.councilId,
      ...(title ? { title } : {}),
      text,
      ...(kind === 'agenda' && rise && p.parent ? { targetCouncilId: p.parent.id } : {}),
    };
    const r = await action.run(() => api.post(petitionsPath(p.orgId), body));
    if (r) {
      setTitle('');
      setText('');
      p.onDone();
    }
  };
  return (
    <ActionForm
      label={t('newPetition')}
      submit={t('openPetition')}
      action={action}
      fields={['title', 'text', 'kind']}
      onSubmit={submit}
    >
      <Select
        label={t('petitionKind')}
        name="kind"
        value={kind}
        onChange={setKind}
        options={[
          { value: 'agenda', label: t('petition_agenda') },
          { value: 'election', label: t('petition_election') },
        ]}
      />
      <Field
        label={t('motionTitle')}
        name="title"
        value={title}
        onChange={setTitle}
        error={action.error}
        required={kind === 'agenda'}
      />
      <Field
        label={t('motionText')}
        name="text"
        multiline
        value={text}
        onChange={setText}
        error={action.error}
      />
      {kind === 'agenda' && p.parent && (
        <div className="check">
          <input
            id="petition-rise"
            type="checkbox"
            checked={rise}
            onChange={(e) => setRise(e.target.checked)}
          />
          <label htmlFor="petition-rise">{t('petitionToParent', { parent: p.parent.name })}</label>
        </div>
      )}
    </ActionForm>
  );
}

/** A petition for the recall of a deputy, from the council that elected them. */
export function RecallPetitionForm({
  orgId,
  mandateId,
  name,
}: {
  orgId: string;
  mandateId: string;
  name: string;
}) {
  const [text, setText] = useState('');
  const [done, setDone] = useState(false);
  const action = useAction();
  const submit = async () => {
    const r = await action.run(() => api.post(petitionsPath(orgId), { kind: 'recall', mandateId, text }));
    if (r) setDone(true);
  };
  if (done) return <p role="status">{t('recallPetitionOpened', { name })}</p>;
  return (
    <ActionForm
      label={t('recallPetition')}
      submit={t('openPetition')}
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
