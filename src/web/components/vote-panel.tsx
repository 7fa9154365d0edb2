// The vote of a motion: when it closes, turnout, the roll call, and — for an elector who has not voted, or who may
// change her ballot (the constitution's procedure.ballotsChangeable) — the ballot in the shape of the vote's method
// (choose one, approve any, rank, score), saying whether a ballot once cast is final.
import { useEffect, useId, useState } from 'react';
import { api } from '../api.ts';
import { hasStatusQuo, shapeOf } from '../methods.ts';
import { optionLabel } from '../names.ts';
import { formatDate, t } from '../strings.ts';
import type { Ballot, Ballots, Motion, Vote } from '../types.ts';
import { ActionButton, ActionForm, Reveal, useAction } from './form.tsx';
import { RankList } from './rank-list.tsx';

export function VotePanel(p: {
  orgId: string;
  motion: Motion;
  me: string;
  /** Whether a ballot may be cast again until the vote closes (the motion's timeline says). */
  changeable: boolean;
  onDone(): void;
}) {
  const vote = p.motion.vote as Vote;
  const closeAction = useAction();
  const open = vote.closedAt === null;
  const elector = vote.viewer?.elector ?? false;
  const voted = vote.viewer?.voted ?? false;
  const votePath = `/orgs/${encodeURIComponent(p.orgId)}/votes/${encodeURIComponent(vote.id)}`;
  const timeUp = open && new Date(vote.closesAt).getTime() <= Date.now();
  // Each ballot this member casts (a change leaves the count as it was) makes the roll call load again.
  const [casts, setCasts] = useState(0);
  const cast = () => {
    setCasts((n) => n + 1);
    p.onDone();
  };
  const rollCall = useRollCall(votePath, `${vote.ballotCount}/${casts}`);
  return (
    <section aria-labelledby="vote" className="panel">
      <h2 id="vote">{t('vote')}</h2>
      <p>
        {open
          ? t('voteCloses', { date: formatDate(vote.closesAt) })
          : t('voteClosed', { date: formatDate(vote.closedAt!) })}{' '}
        {t('turnout', { cast: vote.ballotCount, electorate: vote.electorateSize })}
      </p>
      {open && elector && !voted && (
        <>
          <p className="hint">{t(p.changeable ? 'ballotChangeable' : 'ballotFinal')}</p>
          <BallotForm motion={p.motion} path={`${votePath}/ballots`} onDone={cast} />
        </>
      )}
      {open && voted && <p role="status">{t('youVoted')}</p>}
      {open && elector && voted && p.changeable && (
        <>
          <p className="hint">{t('ballotChangeable')}</p>
          <Reveal label={t('changeBallot')}>
            <BallotForm motion={p.motion} path={`${votePath}/ballots`} onDone={cast} />
          </Reveal>
        </>
      )}
      {open && !elector && <p>{t('notElector')}</p>}
      {timeUp && (
        <ActionButton
          label={t('closeVote')}
          action={closeAction}
          onClick={() =>
            void closeAction.run(() => api.post(`${votePath}/close`)).then((r) => r && p.onDone())
          }
        />
      )}
      {vote.ballotCount > 0 && (
        <details onToggle={(e) => e.currentTarget.open && rollCall.first()}>
          <summary>{t('rollCall')}</summary>
          <ul className="plain">
            {rollCall.ballots.map((b) => (
              <li key={b.memberId}>
                {b.name}
                {b.choice !== null && ` — ${optionLabel(p.motion, b.choice)}`}{' '}
                <span className="hint">{formatDate(b.castAt)}</span>
              </li>
            ))}
          </ul>
          {rollCall.next !== null && (
            <button type="button" className="secondary" onClick={rollCall.more}>
              {t('more')}
            </button>
          )}
        </details>
      )}
    </section>
  );
}

/**
 * The named ballots, a page at a time (GET …/votes/:vote/ballots), fetched when the roll call is opened, and
 * again from the first page when `version` (the ballots cast) changes while it is loaded.
 */
function useRollCall(votePath: string, version: string) {
  const [page, setPage] = useState<{ ballots: Ballots['ballots']; next: string | null; of: string } | null>(
    null,
  );
  const key = `${votePath}#${version}`;
  const load = (after: string | null) =>
    void api
      .get<Ballots>(`${votePath}/ballots${after === null ? '' : `?after=${encodeURIComponent(after)}`}`)
      .then((b) =>
        setPage((prev) => ({
          ballots: after === null || prev === null ? b.ballots : [...prev.ballots, ...b.ballots],
          next: b.next,
          of: key,
        })),
      );
  const current = page?.of === key ? page : null;
  const stale = page !== null && current === null;
  useEffect(() => {
    if (stale) load(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- load reads only votePath and key
  }, [stale, key]);
  return {
    ballots: current?.ballots ?? [],
    next: current ? current.next : null,
    first: () => current === null && load(null),
    more: () => current?.next && load(current.next),
  };
}

function BallotForm({ motion, path, onDone }: { motion: Motion; path: string; onDone(): void }) {
  const vote = motion.vote as Vote;
  const method = motion.decision?.method ?? 'majority';
  const shape = shapeOf(method);
  const options = hasStatusQuo(motion.kind, method) ? [...vote.options, 'against'] : vote.options;
  const label = (id: string) => optionLabel(motion, id);
  const max = motion.decision?.maxScore ?? 5;
  const [choice, setChoice] = useState<string>('');
  const [approved, setApproved] = useState<string[]>([]);
  const [ranked, setRanked] = useState<string[]>(options);
  const [unranked, setUnranked] = useState<string[]>([]);
  const [scores, setScores] = useState<Record<string, string>>({});
  const action = useAction();
  const group = useId();
  const ballot = (): Ballot => {
    switch (shape) {
      case 'choice':
        return { choice: choice === '' ? null : choice };
      case 'approve':
        return { approve: approved };
      case 'ranking':
        return { ranking: ranked.map((x) => [x]) };
      case 'scores':
        return { scores: Object.fromEntries(options.map((o) => [o, Number(scores[o] ?? '0')])) };
    }
  };
  const submit = async () => {
    const r = await action.run(() => api.post(path, ballot()));
    if (r) onDone();
  };
  return (
    <ActionForm
      label={t('vote')}
      submit={t('castBallot')}
      action={action}
      fields={[]}
      onSubmit={submit}
      className="form ballot"
    >
      {shape === 'choice' && (
        <fieldset className="radios">
          <legend>{t('chooseOne')}</legend>
          {[...options, ''].map((o) => (
            <label key={o || 'abstain'}>
              <input
                type="radio"
                name={group}
                value={o}
                checked={choice === o}
                onChange={() => setChoice(o)}
              />{' '}
              {o === '' ? t('abstain') : label(o)}
            </label>
          ))}
        </fieldset>
      )}
      {shape === 'approve' && (
        <fieldset className="radios">
          <legend>{t('approveAny')}</legend>
          {options.map((o) => (
            <label key={o}>
              <input
                type="checkbox"
                checked={approved.includes(o)}
                onChange={(e) =>
                  setApproved(e.target.checked ? [...approved, o] : approved.filter((x) => x !== o))
                }
              />{' '}
              {label(o)}
            </label>
          ))}
        </fieldset>
      )}
      {shape === 'ranking' && (
        <RankList
          ranked={ranked}
          unranked={unranked}
          label={label}
          onChange={(r, u) => {
            setRanked(r);
            setUnranked(u);
          }}
        />
      )}
      {shape === 'scores' && (
        <fieldset>
          <legend>{t('scoreHelp', { max })}</legend>
          {options.map((o) => (
            <div className="field score" key={o}>
              <label htmlFor={`${group}-${o}`}>{t('scoreFor', { option: label(o) })}</label>
              <input
                id={`${group}-${o}`}
                type="number"
                min={0}
                max={max}
                step={1}
                value={scores[o] ?? '0'}
                onChange={(e) => setScores({ ...scores, [o]: e.target.value })}
              />
            </div>
          ))}
        </fieldset>
      )}
    </ActionForm>
  );
}
