// A motion's timeline (docs/PROCEDURE.md "The timeline"): its phase, what happened, what may happen next, who may
// do it and from when, and a button for each act the timeline's `may` says this member may do now.
import { stateName } from '../names.ts';
import { api } from '../api.ts';
import { ActionButton, useAction } from './form.tsx';
import { formatDate, t } from '../strings.ts';
import type { MotionTimeline as Timeline, NextStep } from '../types.ts';

/** Minutes as the largest whole unit that divides them ("3 days", "12 hours", "90 minutes"). */
function duration(minutes: number): string {
  if (minutes > 0 && minutes % 1440 === 0) return t('durationDays', { n: minutes / 1440 });
  if (minutes > 0 && minutes % 60 === 0) return t('durationHours', { n: minutes / 60 });
  return t('durationMinutes', { n: minutes });
}

const eventWords = {
  moved: 'timelineMoved',
  agenda: 'timelineAgenda',
  vote_opened: 'timelineVoteOpened',
  vote_closed: 'timelineVoteClosed',
  ended: 'timelineEnded',
} as const;

function nextWords(step: NextStep, tl: Timeline): string {
  const c = tl.closure;
  const closure = {
    share: c ? `${c.share.num}/${c.share.den}` : '',
    have: c?.by.length ?? 0,
    needed: c?.needed ?? 0,
  };
  switch (step.act) {
    case 'second':
      return t('nextSecond', { needed: step.needed, have: step.have });
    case 'lapses':
      return t('nextLapses', { date: formatDate(step.at) });
    case 'open_vote':
      if (c?.carriedAt) return t('nextClosureCarried', { date: formatDate(c.carriedAt) });
      return step.by === 'mover' && c
        ? t('nextOpenVoteMover', { date: formatDate(step.from), ...closure })
        : t('nextOpenVoteMembers', { date: formatDate(step.from) });
    case 'closure':
      // Said in the same sentence as the opening of the vote.
      return '';
    case 'vote_opens':
      return t('nextVoteOpens', { date: formatDate(step.at), ...closure });
    case 'withdraw':
      return t('nextWithdraw');
    case 'close_vote':
      return t('nextCloseVote', { date: formatDate(step.at) });
    case 'revote':
      return t(step.by === 'mover' ? 'nextRevote' : 'nextRevoteMembers', { left: step.left });
  }
}

export function MotionTimeline({
  base,
  timeline: tl,
  onDone,
}: {
  base: string;
  timeline: Timeline;
  onDone(): void;
}) {
  const second = useAction();
  const closure = useAction();
  const unclosure = useAction();
  const act = (action: typeof second, path: string) => () =>
    void action.run(() => api.post(`${base}/${path}`)).then((r) => r && onDone());
  const next = tl.next.map((s) => nextWords(s, tl)).filter(Boolean);
  return (
    <section aria-labelledby="timeline" className="timeline">
      <h2 id="timeline">{t('timeline')}</h2>
      <p>
        <span className={`badge state-${tl.phase}`}>{stateName(tl.phase)}</span>
        {tl.emergency && <> {t('timelineEmergency')}</>}
      </p>
      <ol className="plain">
        {tl.events.map((e, i) => (
          <li key={i}>{t(eventWords[e.event as keyof typeof eventWords], { date: formatDate(e.at) })}</li>
        ))}
      </ol>
      <p className="hint">
        {tl.procedure && tl.votingMinimumMinutes !== null
          ? t('timelineRules', {
              debate: duration(tl.debateMinimumMinutes),
              vote: duration(tl.votingMinimumMinutes),
              longest: duration(tl.votingMaximumMinutes),
            })
          : t('timelineRulesOld', {
              debate: duration(tl.debateMinimumMinutes),
              longest: duration(tl.votingMaximumMinutes),
            })}
      </p>
      {next.length > 0 && (
        <>
          <h3>{t('timelineNext')}</h3>
          <ul>
            {next.map((words) => (
              <li key={words}>{words}</li>
            ))}
          </ul>
        </>
      )}
      <div className="toolbar">
        {tl.may.second && (
          <ActionButton label={t('secondMotion')} action={second} onClick={act(second, 'second')} />
        )}
        {tl.may.closure && (
          <ActionButton
            label={t('supportClosure')}
            className="secondary"
            action={closure}
            onClick={act(closure, 'closure')}
          />
        )}
        {tl.may.withdrawClosure && (
          <ActionButton
            label={t('withdrawClosure')}
            className="secondary"
            action={unclosure}
            onClick={act(unclosure, 'closure/withdraw')}
          />
        )}
      </div>
    </section>
  );
}
