// Requests for privileged acts (docs/POWER.md, "Requests and approvals"): pending, done or reversed; each with
// its kind, its content in words, the body that approves it and how many are needed; and "Request an act".
import { useState } from 'react';
import { Loading, Reveal } from '../components/form.tsx';
import { MoreButton, usePages } from '../components/pages.tsx';
import { Link } from '../router.tsx';
import { useSignedIn } from '../session.tsx';
import { formatDate, t, tDynamic } from '../strings.ts';
import { actName, actWords } from './act-words.ts';
import { useDirectory } from './directory.ts';
import { PowerNav } from './power-nav.tsx';
import { powerApi, type PrivilegedRequest } from './power-api.ts';
import { RequestActForm } from './request-act-form.tsx';

const states = ['pending', 'done', 'reversed'] as const;

export function RequestsPage() {
  const { org } = useSignedIn();
  const names = useDirectory(org).data;
  const [state, setState] = useState<(typeof states)[number]>('pending');
  const list = usePages((after) => powerApi.requests(org.id, state, after), [org.id, state]);
  const people = useDirectory(org);
  return (
    <>
      <h1 tabIndex={-1}>{t('requestsTitle')}</h1>
      <PowerNav current="requests" />
      <p>{t('requestsIntro')}</p>
      <div className="tabs" role="group" aria-label={t('requestsShow')}>
        {states.map((s) => (
          <button
            key={s}
            type="button"
            className={s === state ? undefined : 'secondary'}
            aria-pressed={s === state}
            onClick={() => setState(s)}
          >
            {tDynamic(`requestState_${s}`, s)}
          </button>
        ))}
      </div>
      {!list.items ? (
        <Loading error={list.error} />
      ) : list.items.length === 0 ? (
        <p>{t('noRequests')}</p>
      ) : (
        <>
          <ul className="plain requests">
            {list.items.map((r) => (
              <RequestLine
                key={r.id}
                r={r}
                words={actWords(names, r.kind, r.content)}
                approvedBy={people.data?.names(counting(r).map((a) => a.memberId))}
              />
            ))}
          </ul>
          <MoreButton pages={list} />
        </>
      )}
      <section aria-labelledby="request-act">
        <h2 id="request-act">{t('requestAct')}</h2>
        <p className="hint">{t('requestActIntro')}</p>
        {people.data ? (
          <Reveal label={t('requestAct')}>
            <RequestActForm org={org} people={people.data} />
          </Reveal>
        ) : (
          <Loading error={people.error} />
        )}
      </section>
    </>
  );
}

/** The approvals that count now: not withdrawn, not expired. */
export function counting(r: PrivilegedRequest, now = Date.now()) {
  return r.approvals.filter((a) => a.withdrawnAt === null && Date.parse(a.expiresAt) > now);
}

function RequestLine({ r, words, approvedBy }: { r: PrivilegedRequest; words: string; approvedBy?: string }) {
  const { org } = useSignedIn();
  const names = useDirectory(org).data;
  const approvals = counting(r);
  return (
    <li className="request">
      <Link href={`/requests/${encodeURIComponent(r.id)}`}>{actName(r.kind)}</Link>{' '}
      <span className={`badge state-${r.state}`}>{tDynamic(`requestState_${r.state}`, r.state)}</span>
      <p>{words}</p>
      <p className="hint">
        {authorityWords(r, names.council(r.councilId))} ·{' '}
        {r.state === 'pending'
          ? t('requestExpires', { date: formatDate(r.expiresAt) })
          : r.doneAt && t('requestDoneAt', { date: formatDate(r.reversedAt ?? r.doneAt) })}
      </p>
      {r.state === 'pending' && (
        <p className="hint">
          {t('approvalsCount', { count: approvals.length, required: r.required })}
          {approvals.length > 0 && approvedBy && `: ${approvedBy}`}
        </p>
      )}
    </li>
  );
}

/** "2 of the 3 members of North approve" / "2 of the committee of North approve". */
export function authorityWords(r: PrivilegedRequest, council: string): string {
  return t(r.authority.by === 'committee' ? 'authorityCommittee' : 'authorityCouncil', {
    required: r.required,
    count: r.approvers.length,
    council,
  });
}
