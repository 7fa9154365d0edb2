// The signed-in member's councils (base councils, and the councils they sit in as a deputy) and mandates.
import { useState } from 'react';
import { api } from '../api.ts';
import { ActionButton, useAction } from '../components/form.tsx';
import { AttentionList } from '../components/attention-list.tsx';
import { Link } from '../router.tsx';
import { councilName } from '../names.ts';
import { useSignedIn } from '../session.tsx';
import { formatDate, t } from '../strings.ts';

function ResignButton({ orgId, mandateId }: { orgId: string; mandateId: string }) {
  const { refresh } = useSignedIn();
  const action = useAction();
  const [asked, setAsked] = useState(false);
  if (!asked)
    return (
      <>
        {' '}
        <button type="button" className="secondary" onClick={() => setAsked(true)}>
          {t('resign')}
        </button>
      </>
    );
  return (
    <span className="confirm">
      {' '}
      {t('resignSure')}{' '}
      <ActionButton
        label={t('resignConfirm')}
        action={action}
        onClick={() =>
          void action
            .run(() =>
              api.post(`/orgs/${encodeURIComponent(orgId)}/mandates/${encodeURIComponent(mandateId)}/resign`),
            )
            .then((r) => r && refresh())
        }
      />{' '}
      <button type="button" className="secondary" onClick={() => setAsked(false)}>
        {t('cancel')}
      </button>
    </span>
  );
}

export function HomePage() {
  const { me, org } = useSignedIn();
  const active = me.mandates.filter((m) => m.endedAt === null);
  const ids = [...new Set([...me.member.baseCouncilIds, ...active.map((m) => m.councilId)])];
  return (
    <>
      <h1 tabIndex={-1}>{t('homeTitle')}</h1>
      <AttentionList />
      <section aria-labelledby="my-councils">
        <h2 id="my-councils">{t('myCouncils')}</h2>
        <ul className="cards">
          {ids.map((id) => {
            const c = org.councils.find((x) => x.id === id);
            return (
              <li key={id} className="card">
                <Link href={`/councils/${encodeURIComponent(id)}`}>{councilName(org, id)}</Link>
                {c && (
                  <p className="hint">
                    {t(c.kind === 'base' ? 'baseCouncil' : 'higherCouncil')} ·{' '}
                    {t('members', { count: c.memberCount })}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      </section>
      <section aria-labelledby="my-mandates">
        <h2 id="my-mandates">{t('myMandates')}</h2>
        {me.mandates.length === 0 ? (
          <p>{t('noMandates')}</p>
        ) : (
          <ul className="plain">
            {me.mandates.map((m) => (
              <li key={m.id}>
                {t('mandateLine', {
                  from: councilName(org, m.fromCouncilId),
                  council: councilName(org, m.councilId),
                })}
                {' — '}
                {m.endedAt
                  ? t('mandateEnded', { date: formatDate(m.endedAt), reason: m.endReason ?? '' })
                  : t('termEnds', { date: formatDate(m.termEnds) })}
                {!m.endedAt && <ResignButton orgId={org.id} mandateId={m.id} />}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
