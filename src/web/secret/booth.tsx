// The steps every secret booth shares, whatever the ballot (homomorphic choices or an encrypted ranking): fill in,
// have it encrypted in the Web Worker, read the confirmation code, then cast it — sent anonymously, its code kept
// as a receipt — or challenge it: the worker opens it, the opened content is shown and published as spoiled, it
// never counts, and the voter fills in a new one (cast-or-challenge, docs/BALLOT-PROTOCOL.md §5).
import { useState, type ReactNode } from 'react';
import { ActionButton, ErrorText, useAction, type Action } from '../components/form.tsx';
import { t } from '../strings.ts';
import type { Motion, Vote } from '../types.ts';
import { addReceipt } from './receipts.ts';

export type BoothStep<B, O> =
  | { step: 'fill' }
  | { step: 'encrypted'; ballot: B; ballotNonce: string; code: string; summary?: ReactNode }
  | { step: 'challenged'; opened: O; code: string }
  | { step: 'cast'; code: string };

export interface Sealed<B> {
  ballot: B;
  ballotNonce: string;
  code: string;
}

/** The booth's state and its three acts; `encrypt` may return a summary of what is sealed, shown with the code. */
export function useBooth<B, O>(p: {
  orgId: string;
  me: string;
  motion: Motion;
  encrypt(): Promise<Sealed<B> & { summary?: ReactNode }>;
  cast(ballot: B): Promise<unknown>;
  challenge(ballot: B, ballotNonce: string): Promise<O>;
  onCast(): void;
}) {
  const [state, setState] = useState<BoothStep<B, O>>({ step: 'fill' });
  const action = useAction();
  const vote = p.motion.vote as Vote;
  return {
    state,
    action,
    again: () => setState({ step: 'fill' }),
    encrypt: () => void action.run(async () => setState({ step: 'encrypted', ...(await p.encrypt()) })),
    cast: (s: Sealed<B>) =>
      void action.run(async () => {
        await p.cast(s.ballot);
        addReceipt(p.me, {
          orgId: p.orgId,
          voteId: vote.id,
          motionId: p.motion.id,
          title: p.motion.title,
          code: s.code,
          castAt: new Date().toISOString(),
        });
        setState({ step: 'cast', code: s.code });
        p.onCast();
      }),
    challenge: (s: Sealed<B>) =>
      void action.run(async () =>
        setState({ step: 'challenged', opened: await p.challenge(s.ballot, s.ballotNonce), code: s.code }),
      ),
  };
}

/** The sealed ballot: its code, Cast it / Challenge it, and after a challenge what it held (`opened`). */
export function SealedBallot<B, O>(p: {
  booth: {
    state: Exclude<BoothStep<B, O>, { step: 'fill' }>;
    action: Action;
    again(): void;
    cast(s: Sealed<B>): void;
    challenge(s: Sealed<B>): void;
  };
  opened(o: O): ReactNode;
}) {
  const { state, action } = p.booth;
  return (
    <div className="secret-step" aria-live="polite">
      {state.step === 'encrypted' && state.summary}
      <p>{t(state.step === 'cast' ? 'castReceipt' : 'confirmationCode')}</p>
      <p className="code" aria-label={t('confirmationCodeLabel')}>
        {state.code.match(/.{1,8}/g)!.join(' ')}
      </p>
      {state.step === 'encrypted' && (
        <div className="toolbar">
          <ActionButton label={t('castIt')} action={action} onClick={() => p.booth.cast(state)} />
          <button
            type="button"
            className="secondary"
            disabled={action.busy}
            onClick={() => p.booth.challenge(state)}
          >
            {t('challengeIt')}
          </button>
        </div>
      )}
      {state.step === 'challenged' && (
        <>
          <p>{t('challengedShows')}</p>
          {p.opened(state.opened)}
          <button type="button" onClick={p.booth.again}>
            {t('encryptAgain')}
          </button>
        </>
      )}
      <ErrorText error={action.error} />
    </div>
  );
}
