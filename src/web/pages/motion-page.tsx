// A motion: its text, the alternatives side by side, what can be done to it now, the debate in two columns
// plus neutral comments, the vote panel for its method, the result with every round, minority statements.
import { lazy, Suspense } from 'react';
import { api } from '../api.ts';
import { ActionButton, Loading, Reveal, useAction, useLoad } from '../components/form.tsx';
import { CommentForm, OpenVoteForm, ProposeForm, StatementForm } from '../components/motion-forms.tsx';
import { MoreButton, usePages } from '../components/pages.tsx';
import { MotionTimeline } from '../components/motion-timeline.tsx';
import { PayEffectSection } from '../components/pay-effect.tsx';
import { powerApi } from '../power/power-api.ts';
import { ResultView } from '../components/result-view.tsx';
import { VotePanel } from '../components/vote-panel.tsx';
import { methodName, optionLabel, stateName } from '../names.ts';
import { Link } from '../router.tsx';
import { useLive } from '../live.tsx';
import { useSignedIn } from '../session.tsx';
import { formatDate, t, tDynamic } from '../strings.ts';
import type { Comment, Comments, Motion, MotionTimeline as Timeline } from '../types.ts';

const SecretBallotPanel = lazy(() =>
  import('../secret/secret-ballot-panel.tsx').then((m) => ({ default: m.SecretBallotPanel })),
);

export function MotionPage({ id }: { id: string }) {
  const { me, org } = useSignedIn();
  const base = `/orgs/${encodeURIComponent(org.id)}/motions/${encodeURIComponent(id)}`;
  // Loaded again when anything of this motion changes (debate, ballots, the result), without a reload.
  const live = useLive((c) => c.motionId === id);
  const motion = useLoad(() => api.get<Motion>(base), [base, live]);
  // Loaded again whenever the motion is (an act on either changes both).
  const timeline = useLoad(() => api.get<Timeline>(`${base}/timeline`), [base, motion.data]);
  const debateAction = useAction();
  const withdrawAction = useAction();
  const m = motion.data;
  if (!m) return <Loading error={motion.error} />;
  const reload = motion.reload;
  const tl = timeline.data;
  const act = (action: typeof debateAction, path: string) => () =>
    void action.run(() => api.post(`${base}/${path}`)).then((r) => r && reload());
  const isMover = m.moverId === me.member.id;
  // A motion waiting for seconders can be debated, amended and withdrawn too (docs/PROCEDURE.md).
  const beforeVote = m.state === 'draft' || m.state === 'seconding' || m.state === 'debate';
  const method = m.decision?.method ?? 'majority';
  const secret = Boolean(m.vote?.secret || m.decision?.secret);
  // An election may fill several seats: every winner is elected (a question adopts one alternative).
  const election = m.kind === 'election';
  const chosen = (id: string) =>
    election && m.state === 'decided'
      ? (m.vote?.result?.winners ?? []).includes(id)
      : m.adoptedAlternativeId === id;
  return (
    <>
      <p className="crumbs">
        <Link href={`/councils/${encodeURIComponent(m.councilId)}`}>{m.councilName}</Link>
      </p>
      <h1 tabIndex={-1}>{m.title}</h1>
      <p>
        <span className={`badge state-${m.state}`}>{stateName(m.state)}</span>{' '}
        <span className="badge">{tDynamic(`kind_${m.kind}`, m.kind)}</span>{' '}
        <span className="badge">{methodName(method)}</span>{' '}
        <span className="hint">
          {m.petition
            ? t('motionByPetition', { date: formatDate(m.movedAt) })
            : t('motionBy', { name: m.moverName ?? '—', date: formatDate(m.movedAt) })}
        </span>
      </p>
      {m.petition && <Signatories orgId={org.id} petition={m.petition} />}
      {m.text && <p className="motion-text">{m.text}</p>}

      {m.alternatives.length > 0 && (
        <section aria-labelledby="alternatives">
          <h2 id="alternatives">{t(election ? 'candidates' : 'alternatives')}</h2>
          <ul className="side-by-side">
            {m.alternatives.map((a) => (
              <li key={a.id} className={`card${chosen(a.id) ? ' adopted' : ''}`}>
                <h3>{optionLabel(m, a.id)}</h3>
                {a.amends && <p className="hint">{t('amends', { title: optionLabel(m, a.amends) })}</p>}
                {a.candidateName && a.title !== a.candidateName && <p className="hint">{a.title}</p>}
                {a.text && <p>{a.text}</p>}
                {chosen(a.id) && (
                  <p className="badge state-decided">{t(election ? 'electedInRound' : 'adopted')}</p>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}

      <div className="toolbar">
        {isMover && m.state === 'draft' && (
          <ActionButton label={t('openDebate')} action={debateAction} onClick={act(debateAction, 'debate')} />
        )}
        {isMover && beforeVote && (
          <ActionButton
            label={t('withdraw')}
            className="secondary"
            action={withdrawAction}
            onClick={act(withdrawAction, 'withdraw')}
          />
        )}
      </div>
      {m.kind === 'pay' && (
        <PayEffectSection orgId={org.id} motionId={m.id} beforeVote={beforeVote} onDone={reload} />
      )}
      {beforeVote && m.kind !== 'recall' && m.kind !== 'pay' && (
        <Reveal label={m.kind === 'election' ? t('standCandidate') : t('proposeAlternative')}>
          <ProposeForm base={base} motion={m} onDone={reload} />
        </Reveal>
      )}
      {tl && <MotionTimeline base={base} timeline={tl} onDone={reload} />}
      {/* In debate, or failed for lack of quorum with a re-vote left: whoever the core lets open it now. */}
      {tl?.may.openVote && (
        <OpenVoteForm
          base={base}
          onDone={reload}
          limits={{ min: tl.votingMinimumMinutes ?? 1, max: tl.votingMaximumMinutes }}
          {...(secret && m.vote?.outcome === 'failed' && m.decision?.secret
            ? {
                renaming: {
                  orgId: org.id,
                  councilId: m.councilId,
                  trustees: m.decision.secret.trustees,
                  threshold: m.decision.secret.threshold,
                },
              }
            : {})}
        />
      )}

      {m.vote && !secret && (
        <VotePanel
          orgId={org.id}
          motion={m}
          me={me.member.id}
          changeable={tl?.ballotsChangeable ?? false}
          onDone={reload}
        />
      )}
      {m.vote && secret && (
        <Suspense fallback={<p>{t('loading')}</p>}>
          <SecretBallotPanel orgId={org.id} motion={m} me={me.member.id} onDone={reload} />
        </Suspense>
      )}
      {m.vote?.result && <ResultView motion={m} vote={m.vote} report={m.vote.result} />}

      <Debate motion={m} path={`/orgs/${encodeURIComponent(org.id)}/motions/${encodeURIComponent(m.id)}`} />
      {beforeVote && <CommentForm base={base} onDone={reload} />}

      {(m.minorityStatements.length > 0 || m.state === 'decided' || m.state === 'failed') && (
        <section aria-labelledby="statements">
          <h2 id="statements">{t('minorityStatements')}</h2>
          {m.minorityStatements.map((s) => (
            <blockquote key={s.id}>
              <p>{s.text}</p>
              <footer>— {s.authorName}</footer>
            </blockquote>
          ))}
          {tl?.may.statement && <StatementForm base={base} onDone={reload} />}
        </section>
      )}
    </>
  );
}

/**
 * The signatories of the petition a motion was born of (its mover): how many signed, linking to the petition's page,
 * and their names, the first page with the motion (`signatories`), then "More signatories" for the next (the
 * petition's own GET …/signatures?after=).
 */
function Signatories({ orgId, petition }: { orgId: string; petition: NonNullable<Motion['petition']> }) {
  const signatories = usePages(
    (after) => powerApi.signatures(orgId, petition.id, after),
    [orgId, petition.id],
    {
      page: { items: petition.signatories, next: petition.signatoriesNext },
      cursorOf: (s) => s.memberId,
    },
  );
  const names = (signatories.items ?? petition.signatories).map((s) => s.name || s.memberId);
  return (
    <>
      <p className="signatories">
        <Link href={`/petitions/${encodeURIComponent(petition.id)}`}>
          {t('signatureCount', { count: petition.signatureCount })}
        </Link>
        {names.length > 0 && `: ${names.join(', ')}${signatories.next === null ? '' : ', …'}`}
      </p>
      <MoreButton pages={signatories} label={t('moreSignatories')} />
    </>
  );
}

/**
 * The debate, oldest first: the motion's first page of comments, and "More" for the next (GET …/comments?after=).
 * A column's count is shown once every comment is loaded.
 */
function Debate({ motion, path }: { motion: Motion; path: string }) {
  const deputyId = motion.deputyId;
  const debate = usePages<Comment>(
    (after) =>
      api
        .get<Comments>(`${path}/comments${after === null ? '' : `?after=${encodeURIComponent(after)}`}`)
        .then((p) => ({ items: p.comments, next: p.next })),
    [path],
    { page: { items: motion.comments, next: motion.commentsNext }, cursorOf: (c) => c.id },
  );
  const comments = debate.items ?? motion.comments;
  const column = (stance: Comment['stance']) => {
    const list = comments.filter((c) => c.stance === stance);
    return (
      <section className={`debate-col stance-${stance}`} aria-labelledby={`debate-${stance}`}>
        <h3 id={`debate-${stance}`}>
          {t(`stance_${stance}`)}
          {debate.next === null && ` (${list.length})`}
        </h3>
        <ul className="plain">
          {list.map((c) => (
            <li key={c.id} className="comment">
              <p>{c.text}</p>
              <p className="hint">
                {c.authorName}
                {c.authorId === deputyId && <span className="badge">{t('deputyAnswer')}</span>} ·{' '}
                {formatDate(c.postedAt)}
              </p>
            </li>
          ))}
        </ul>
      </section>
    );
  };
  return (
    <section aria-labelledby="debate">
      <h2 id="debate">{t('debate')}</h2>
      {comments.length === 0 && <p>{t('noComments')}</p>}
      <div className="debate">
        {column('for')}
        {column('against')}
      </div>
      {column('neutral')}
      <MoreButton pages={debate} />
    </section>
  );
}
