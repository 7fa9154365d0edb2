// Committees (docs/POWER.md, "Committees"): each council's committee, its members and term; the acts its
// committee carried out, each with "Reverse" while the council may still reverse it (reversalDays), which
// requests reverse_act — the council's own members then approve it on its request page.
import { ActionButton, Loading, Reveal, useAction } from '../components/form.tsx';
import { MoreButton, usePages } from '../components/pages.tsx';
import { Link, navigate } from '../router.tsx';
import { useSignedIn } from '../session.tsx';
import { formatDate, t } from '../strings.ts';
import type { Org } from '../types.ts';
import { actName, actWords } from './act-words.ts';
import { useDirectory, type Directory } from './directory.ts';
import { powerApi, type PrivilegedRequest } from './power-api.ts';
import { PowerNav } from './power-nav.tsx';
import { RequestActForm } from './request-act-form.tsx';

/** constitution.power.committees.reversalDays, or its default (docs/POWER.md). */
function reversalDays(org: Org): number {
  const power = org.constitution.power as { committees?: { reversalDays?: number } } | undefined;
  return power?.committees?.reversalDays ?? 14;
}

export function CommitteesPage() {
  const { org } = useSignedIn();
  const names = useDirectory(org).data;
  const committees = usePages((after) => powerApi.committees(org.id, after), [org.id]);
  const acts = usePages((after) => powerApi.committeeActs(org.id, after), [org.id]);
  const people = useDirectory(org);
  return (
    <>
      <h1 tabIndex={-1}>{t('committeesTitle')}</h1>
      <PowerNav current="committees" />
      <p>{t('committeesIntro')}</p>
      {!committees.items ? (
        <Loading error={committees.error} />
      ) : committees.items.length === 0 ? (
        <p>{t('noCommittees')}</p>
      ) : (
        <ul className="plain committees">
          {committees.items.map((c) => (
            <li key={c.councilId} className="card">
              <h2>{t('committeeOf', { council: names.council(c.councilId) })}</h2>
              <p>{people.data ? people.data.names(c.memberIds) : c.memberIds.join(', ')}</p>
              <p className="hint">
                {t('committeeTerm', { from: formatDate(c.electedAt), until: formatDate(c.termEnds) })} ·{' '}
                <Link href={`/requests/${encodeURIComponent(c.requestId)}`}>{t('committeeElection')}</Link>
              </p>
            </li>
          ))}
        </ul>
      )}
      {committees.items && <MoreButton pages={committees} />}
      <section aria-labelledby="committee-acts">
        <h2 id="committee-acts">{t('committeeActs')}</h2>
        {!acts.items ? (
          <Loading error={acts.error} />
        ) : acts.items.length === 0 ? (
          <p>{t('noCommitteeActs')}</p>
        ) : (
          <>
            <ul className="plain requests">
              {acts.items.map((r) => (
                <CommitteeAct key={r.id} r={r} people={people.data} />
              ))}
            </ul>
            <MoreButton pages={acts} />
          </>
        )}
      </section>
      <section aria-labelledby="elect-committee">
        <h2 id="elect-committee">{t('electCommittee')}</h2>
        <p className="hint">{t('electCommitteeIntro')}</p>
        {people.data ? (
          <Reveal label={t('electCommittee')}>
            <RequestActForm org={org} people={people.data} kinds={['elect_committee']} />
          </Reveal>
        ) : (
          <Loading error={people.error} />
        )}
      </section>
    </>
  );
}

function CommitteeAct({ r, people }: { r: PrivilegedRequest; people: Directory | undefined }) {
  const { org } = useSignedIn();
  const names = useDirectory(org).data;
  const reverse = useAction();
  const until = r.doneAt ? Date.parse(r.doneAt) + reversalDays(org) * 86_400_000 : 0;
  const open = r.state === 'done' && until > Date.now();
  return (
    <li className="request">
      <Link href={`/requests/${encodeURIComponent(r.id)}`}>{actName(r.kind)}</Link>{' '}
      <span className="hint">{names.council(r.councilId)}</span>
      <p>{actWords(people ?? names, r.kind, r.content)}</p>
      {r.reversedAt ? (
        <p className="hint">{t('requestReversed', { date: formatDate(r.reversedAt) })}</p>
      ) : open ? (
        <>
          <p className="hint">{t('reversibleUntil', { date: formatDate(new Date(until).toISOString()) })}</p>
          <ActionButton
            label={t('reverseAct', { act: actName(r.kind) })}
            action={reverse}
            className="secondary"
            onClick={() =>
              void reverse
                .run(() => powerApi.requestAct(org.id, 'reverse_act', { requestId: r.id }))
                .then((x) => x?.requestId && navigate(`/requests/${encodeURIComponent(x.requestId)}`))
            }
          />
        </>
      ) : null}
    </li>
  );
}
