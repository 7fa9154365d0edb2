// A council: members, deputies (sitting here, and sent up, each recallable), open motions by state, past
// decisions a page at a time; and what a member starts here.
import { useState } from 'react';
import { api } from '../api.ts';
import { CallElectionForm, InviteForm, MoveMotionForm, RecallForm } from '../components/council-forms.tsx';
import { Petitions, RecallPetitionForm } from '../components/petitions.tsx';
import { Admissions } from '../components/admissions.tsx';
import { Loading, Reveal, useLoad } from '../components/form.tsx';
import { stateName } from '../names.ts';
import { Link } from '../router.tsx';
import { useLive } from '../live.tsx';
import { useSignedIn } from '../session.tsx';
import { formatDate, t, tDynamic } from '../strings.ts';
import type { Council, CouncilMembers, Mandate, MotionSummary, PastMotions } from '../types.ts';

const openStates = ['draft', 'seconding', 'debate', 'voting'];

export function CouncilPage({ id }: { id: string }) {
  const { me, org } = useSignedIn();
  // Loaded again when anything in this council changes (its motions, votes, members), without a reload.
  const live = useLive((c) => c.councilId === id);
  const council = useLoad(
    () => api.get<Council>(`/orgs/${encodeURIComponent(org.id)}/councils/${encodeURIComponent(id)}`),
    [org.id, id, live],
  );
  const c = council.data;
  if (!c) return <Loading error={council.error} />;
  // The page names councils from its own response (the organisation's whole tree is not loaded for one council).
  const named = (x: string) => c.councilNames[x] ?? x;
  const mine = me.member.baseCouncilIds.includes(c.id) || c.deputies.some((d) => d.memberId === me.member.id);
  const open = c.motions;
  const sent = c.mandates.filter((m) => m.fromCouncilId === c.id && m.endedAt === null);
  // The trustee pickers list the members when the page holds them all, and search the council otherwise.
  const everyone = c.membersNext === null ? c.members : null;
  return (
    <>
      <h1 tabIndex={-1}>{c.name}</h1>
      <p>{t(c.kind === 'base' ? 'councilKindBase' : 'councilKindHigher')}</p>
      {c.parentId && (
        <p>
          {t('partOf', { count: c.seatsInParent })}
          <Link href={`/councils/${encodeURIComponent(c.parentId)}`}>{named(c.parentId)}</Link>
        </p>
      )}
      {c.childIds.length > 0 && (
        <nav aria-label={t('childCouncils')}>
          <h2>{t('childCouncils')}</h2>
          <ul className="inline">
            {c.childIds.map((x) => (
              <li key={x}>
                <Link href={`/councils/${encodeURIComponent(x)}`}>{named(x)}</Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <div className="columns">
        <section aria-labelledby="members">
          <h2 id="members">{t('membersTitle')}</h2>
          <MemberList orgId={org.id} council={c} />
        </section>
        {c.kind === 'higher' && (
          <section aria-labelledby="deputies-here">
            <h2 id="deputies-here">{t('deputiesHere')}</h2>
            <MandateList named={named} mandates={c.deputies} />
          </section>
        )}
        {c.parentId && (
          <section aria-labelledby="deputies-sent">
            <h2 id="deputies-sent">{t('deputiesSent')}</h2>
            <MandateList named={named} mandates={sent} recall={mine ? org.id : undefined} />
          </section>
        )}
      </div>
      <p>
        <Link href={`/councils/${encodeURIComponent(c.id)}/pay`}>{t('payPageLink')}</Link>
      </p>
      <section aria-labelledby="open-motions">
        <h2 id="open-motions">{t('openMotions')}</h2>
        {openStates.map((s) => (
          <MotionList key={s} title={stateName(s)} motions={open.filter((m) => m.state === s)} />
        ))}
        {open.length === 0 && <p>{t('noMotions')}</p>}
      </section>
      <section aria-labelledby="past">
        <h2 id="past">{t('pastDecisions')}</h2>
        <PastMotionList orgId={org.id} council={c} />
      </section>
      {c.kind === 'base' && (
        <Admissions orgId={org.id} councilId={c.id} memberId={me.member.id} mine={mine} />
      )}
      <Petitions
        orgId={org.id}
        councilId={c.id}
        parent={c.parentId ? { id: c.parentId, name: named(c.parentId) } : null}
        mine={mine}
      />
      {mine && (
        <section className="start" aria-label={t('moveMotion')}>
          <Reveal label={t('moveMotion')}>
            <MoveMotionForm orgId={org.id} councilId={c.id} members={everyone} />
          </Reveal>
          {c.parentId && (
            <Reveal label={t('callElection')}>
              <CallElectionForm
                orgId={org.id}
                councilId={c.id}
                parentName={named(c.parentId)}
                seats={Math.max(1, c.seatsInParent - sent.length)}
                members={everyone}
              />
            </Reveal>
          )}
          {c.kind === 'base' && (
            <Reveal label={t('invite')}>
              <InviteForm orgId={org.id} councilId={c.id} />
            </Reveal>
          )}
        </section>
      )}
    </>
  );
}

/** A council's members, a page at a time: the first page came with the council, "more" fetches the next. */
function MemberList({ orgId, council }: { orgId: string; council: Council }) {
  const [more, setMore] = useState<{ members: Council['members']; next: string | null } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const members = more ? [...council.members, ...more.members] : council.members;
  const next = more ? more.next : council.membersNext;
  const path = `/orgs/${encodeURIComponent(orgId)}/councils/${encodeURIComponent(council.id)}/members`;
  const loadMore = (after: string) =>
    void api
      .get<CouncilMembers>(`${path}?after=${encodeURIComponent(after)}`)
      .then(
        (page) => setMore({ members: [...(more?.members ?? []), ...page.members], next: page.next }),
        setError,
      );
  return (
    <>
      <ul className="plain">
        {members.map((m) => (
          <li key={m.id}>{m.name}</li>
        ))}
      </ul>
      {next !== null && (
        <button type="button" className="secondary" onClick={() => loadMore(next)}>
          {t('more')}
        </button>
      )}
      {error !== null && <Loading error={error} />}
    </>
  );
}

/** A council's past decisions, newest first: the first page came with the council, "more" fetches the next. */
function PastMotionList({ orgId, council }: { orgId: string; council: Council }) {
  const [more, setMore] = useState<PastMotions | null>(null);
  const [error, setError] = useState<unknown>(null);
  const motions = more ? [...council.pastMotions, ...more.motions] : council.pastMotions;
  const next = more ? more.next : council.pastMotionsNext;
  const path = `/orgs/${encodeURIComponent(orgId)}/councils/${encodeURIComponent(council.id)}/motions`;
  const loadMore = (after: string) =>
    void api
      .get<PastMotions>(`${path}?after=${encodeURIComponent(after)}`)
      .then(
        (page) => setMore({ motions: [...(more?.motions ?? []), ...page.motions], next: page.next }),
        setError,
      );
  if (motions.length === 0) return <p>{t('noMotions')}</p>;
  return (
    <>
      <MotionList motions={motions} />
      {next !== null && (
        <button type="button" className="secondary" onClick={() => loadMore(next)}>
          {t('more')}
        </button>
      )}
      {error !== null && <Loading error={error} />}
    </>
  );
}

function MandateList({
  named,
  mandates,
  recall,
}: {
  named: (id: string) => string;
  mandates: Mandate[];
  recall?: string;
}) {
  if (mandates.length === 0) return <p>{t('noDeputies')}</p>;
  return (
    <ul className="plain">
      {mandates.map((d) => (
        <li key={d.id}>
          <strong>{d.memberName}</strong>
          <span className="hint">
            {' '}
            {t('mandateLine', {
              from: named(d.fromCouncilId),
              council: named(d.councilId),
            })}
            , {t('termEnds', { date: formatDate(d.termEnds) })}
          </span>
          {recall && (
            <Reveal label={`${t('moveRecall')}: ${d.memberName}`}>
              <RecallForm orgId={recall} mandateId={d.id} name={d.memberName} />
            </Reveal>
          )}
          {recall && (
            <Reveal label={`${t('recallPetition')}: ${d.memberName}`}>
              <RecallPetitionForm orgId={recall} mandateId={d.id} name={d.memberName} />
            </Reveal>
          )}
        </li>
      ))}
    </ul>
  );
}

function MotionList({ title, motions }: { title?: string; motions: MotionSummary[] }) {
  if (motions.length === 0) return null;
  return (
    <>
      {title && <h3>{title}</h3>}
      <ul className="motions">
        {motions.map((m) => (
          <li key={m.id}>
            <Link href={`/motions/${encodeURIComponent(m.id)}`}>{m.title}</Link>{' '}
            <span className={`badge state-${m.state}`}>{stateName(m.state)}</span>{' '}
            <span className="badge">{tDynamic(`kind_${m.kind}`, m.kind)}</span>{' '}
            <span className="hint">{formatDate(m.movedAt)}</span>
          </li>
        ))}
      </ul>
    </>
  );
}
