// A council: members, deputies (sitting here, and sent up, each recallable), open motions by state, past
// decisions; and what a member starts here.
import { api } from '../api.ts';
import { CallElectionForm, InviteForm, MoveMotionForm, RecallForm } from '../components/council-forms.tsx';
import { Petitions, RecallPetitionForm } from '../components/petitions.tsx';
import { Loading, Reveal, useLoad } from '../components/form.tsx';
import { councilName, stateName } from '../names.ts';
import { Link } from '../router.tsx';
import { useSignedIn } from '../session.tsx';
import { formatDate, t, tDynamic } from '../strings.ts';
import type { Council, Mandate, MotionSummary, Org } from '../types.ts';

const openStates = ['draft', 'debate', 'voting'];

export function CouncilPage({ id }: { id: string }) {
  const { me, org } = useSignedIn();
  const council = useLoad(
    () => api.get<Council>(`/orgs/${encodeURIComponent(org.id)}/councils/${encodeURIComponent(id)}`),
    [org.id, id],
  );
  const c = council.data;
  if (!c) return <Loading error={council.error} />;
  const mine = me.member.baseCouncilIds.includes(c.id) || c.deputies.some((d) => d.memberId === me.member.id);
  const open = c.motions.filter((m) => openStates.includes(m.state));
  const past = c.motions.filter((m) => !openStates.includes(m.state));
  const sent = c.mandates.filter((m) => m.fromCouncilId === c.id && m.endedAt === null);
  return (
    <>
      <h1 tabIndex={-1}>{c.name}</h1>
      <p>{t(c.kind === 'base' ? 'councilKindBase' : 'councilKindHigher')}</p>
      {c.parentId && (
        <p>
          {t('partOf', { count: c.seatsInParent })}
          <Link href={`/councils/${encodeURIComponent(c.parentId)}`}>{councilName(org, c.parentId)}</Link>
        </p>
      )}
      {c.childIds.length > 0 && (
        <nav aria-label={t('childCouncils')}>
          <h2>{t('childCouncils')}</h2>
          <ul className="inline">
            {c.childIds.map((x) => (
              <li key={x}>
                <Link href={`/councils/${encodeURIComponent(x)}`}>{councilName(org, x)}</Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <div className="columns">
        <section aria-labelledby="members">
          <h2 id="members">{t('membersTitle')}</h2>
          <ul className="plain">
            {c.members.map((m) => (
              <li key={m.id}>{m.name}</li>
            ))}
          </ul>
        </section>
        {c.kind === 'higher' && (
          <section aria-labelledby="deputies-here">
            <h2 id="deputies-here">{t('deputiesHere')}</h2>
            <MandateList org={org} mandates={c.deputies} />
          </section>
        )}
        {c.parentId && (
          <section aria-labelledby="deputies-sent">
            <h2 id="deputies-sent">{t('deputiesSent')}</h2>
            <MandateList org={org} mandates={sent} recall={mine ? org.id : undefined} />
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
        {past.length === 0 ? <p>{t('noMotions')}</p> : <MotionList motions={past} />}
      </section>
      <Petitions
        orgId={org.id}
        councilId={c.id}
        parent={c.parentId ? { id: c.parentId, name: councilName(org, c.parentId) } : null}
        mine={mine}
      />
      {mine && (
        <section className="start" aria-label={t('moveMotion')}>
          <Reveal label={t('moveMotion')}>
            <MoveMotionForm orgId={org.id} councilId={c.id} members={c.members} />
          </Reveal>
          {c.parentId && (
            <Reveal label={t('callElection')}>
              <CallElectionForm orgId={org.id} councilId={c.id} parentName={councilName(org, c.parentId)} />
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

function MandateList({ org, mandates, recall }: { org: Org; mandates: Mandate[]; recall?: string }) {
  if (mandates.length === 0) return <p>{t('noDeputies')}</p>;
  return (
    <ul className="plain">
      {mandates.map((d) => (
        <li key={d.id}>
          <strong>{d.memberName}</strong>
          <span className="hint">
            {' '}
            {t('mandateLine', {
              from: councilName(org, d.fromCouncilId),
              council: councilName(org, d.councilId),
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
