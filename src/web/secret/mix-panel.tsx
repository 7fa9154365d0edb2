// A secret ranked vote's mix, in the browser (docs/MIXNET.md §16): everyone sees each mixer's turn and deadline, so a
// mixer who holds the count up is named on the page; the due mixer shuffles here — the Web Worker checks every ballot
// and earlier shuffle, then shuffles, re-encrypts and proves (mix-ops.ts), and only the new list and its proof are
// sent; once the vote is decided anyone verifies it here: every ballot, shuffle and decryption proof, the challenged
// ballots, and the count again, round by round, against the published one.
import { useState } from 'react';
import type { CountReport } from '../../count/report.ts';
import type { MethodId } from '../../count/index.ts';
import { ActionButton, ActionForm, ErrorText, useAction } from '../components/form.tsx';
import { isExhaustedPart, optionLabel } from '../names.ts';
import { formatDate, t } from '../strings.ts';
import type { Motion, Vote } from '../types.ts';
import { ballotRequest } from './ballot-client.ts';
import type { MixVerification } from './mix-ops.ts';
import { secretApi, type MixView } from './secret-api.ts';
import { loadFile, PassphraseField, shuffledKey, useMemberNames } from './trustee-panel.tsx';
import type { TrusteeWho } from './trustee-ops.ts';

/** The mixers' turns, and the signed-in mixer's own step; `reload` loads the vote and its mix again. */
export function MixPanel(p: { orgId: string; me: string; motion: Motion; mix: MixView; reload(): void }) {
  const m = p.mix;
  const names = useMemberNames(
    p.orgId,
    m.mixers.map((x) => x.memberId),
  );
  const closed = m.phase !== 'key-generation' && m.phase !== 'registration' && m.phase !== 'voting';
  const mine = m.mixers.find((x) => x.memberId === p.me);
  return (
    <section aria-labelledby="mix-progress">
      <h3 id="mix-progress">{t('mixTitle')}</h3>
      <p className="hint">{t('mixIntro')}</p>
      {closed && <p>{t('mixStatus', { cast: m.cast, mixed: m.mixed })}</p>}
      <table>
        <thead>
          <tr>
            <th scope="col">{t('trusteeNumber')}</th>
            <th scope="col">{t('mixMember')}</th>
            <th scope="col">{t('trusteeState')}</th>
            <th scope="col">{t('mixDeadline')}</th>
          </tr>
        </thead>
        <tbody>
          {m.mixers.map((x) => (
            <tr key={x.slot}>
              <td>{x.slot}</td>
              <td>{names.data?.[x.memberId] ?? x.memberId}</td>
              <td>{t(`mixState_${x.status}`)}</td>
              <td>{x.deadline ? formatDate(x.deadline) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {mine && <MixerStep orgId={p.orgId} me={p.me} mix={m} mine={mine} onDone={p.reload} />}
      {m.phase === 'decided' && p.motion.vote?.result && (
        <MixVerify orgId={p.orgId} motion={p.motion} vote={p.motion.vote} published={p.motion.vote.result} />
      )}
    </section>
  );
}

function MixerStep(p: {
  orgId: string;
  me: string;
  mix: MixView;
  mine: MixView['mixers'][number];
  onDone(): void;
}) {
  const action = useAction();
  const [passphrase, setPassphrase] = useState('');
  const { mine } = p;
  // mixer slot j is trustee j (docs/MIXNET.md §16.1): the shuffle is signed with that trustee's key (§12)
  const who: TrusteeWho = { orgId: p.orgId, voteId: p.mix.voteId, memberId: p.me, trustee: mine.slot };
  const file = mine.status === 'due' ? loadFile(who) : null;
  const shuffle = () =>
    void action
      .run(async () => {
        // the election as the board has it, and every ballot and shuffle so far: the worker checks them all
        const { election, mix: board } = await secretApi.mixWithElection(p.orgId, p.mix.voteId);
        const r = await ballotRequest({
          op: 'trustee-mix-shuffle',
          who,
          file: file!,
          passphrase,
          board: election.board,
          mix: board,
          mixer: board.shuffles.length + 1,
        });
        // noted before it is sent (an answer the operator withholds must not erase it): the decryption step
        // checks that the board shows this shuffle in this slot (docs/MIXNET.md §12)
        localStorage.setItem(shuffledKey(who), String(mine.slot));
        await secretApi.shuffle(p.orgId, p.mix.voteId, r.message);
        return true;
      })
      .then((ok) => {
        setPassphrase('');
        if (ok) p.onDone();
      });
  return (
    <section aria-labelledby="mixer-step" className="panel">
      <h3 id="mixer-step">{t('mixYou', { slot: mine.slot })}</h3>
      {mine.status === 'waiting' && <p>{t('mixYouWaiting')}</p>}
      {mine.status === 'due' && (
        <>
          <p>{t('mixYouDue', { date: formatDate(mine.deadline ?? p.mix.closesAt) })}</p>
          {file ? (
            <ActionForm
              label={t('mixShuffle')}
              submit={t('mixShuffle')}
              action={action}
              fields={['passphrase']}
              onSubmit={shuffle}
            >
              <p>{t('mixSignHelp')}</p>
              <PassphraseField value={passphrase} onChange={setPassphrase} />
            </ActionForm>
          ) : (
            <p className="error">{t('mixNoKeyFile')}</p>
          )}
        </>
      )}
      {mine.status === 'posted' && <p role="status">{t('mixYouPosted')}</p>}
      {mine.status === 'skipped' && <p role="status">{t('mixYouSkipped')}</p>}
    </section>
  );
}

const checkWords = (id: string, v: MixVerification): string => {
  switch (id) {
    case 'M.1':
      return t('mixCheckBallots', { count: v.ballots });
    case 'M.2':
      return t('mixCheckShuffles', { count: v.shuffles });
    case 'M.3':
      return t('mixCheckDecryption');
    default:
      return t('mixCheckChallenged', { count: v.challenged });
  }
};

/** Verifies the decided vote in the Web Worker and shows each check and the recount's rounds. */
function MixVerify(p: { orgId: string; motion: Motion; vote: Vote; published: CountReport }) {
  const action = useAction();
  const [v, setV] = useState<MixVerification | null>(null);
  const label = (id: string) => optionLabel(p.motion, id);
  const verify = () =>
    void action.run(async () => {
      const { election, mix: board } = await secretApi.mixWithElection(p.orgId, p.vote.id);
      const r = await ballotRequest({
        op: 'mix-verify',
        board: election.board,
        mix: board,
        rule: {
          method: (p.motion.decision?.method ?? p.published.method) as MethodId,
          seats: p.published.seats ?? 1,
          seed: p.vote.id,
        },
        published: p.published,
      });
      setV(r.verification);
    });
  return (
    <section aria-labelledby="mix-verify">
      <h3 id="mix-verify">{t('mixVerifyTitle')}</h3>
      <p className="hint">{t('mixVerifyIntro')}</p>
      <ActionButton label={t('mixVerify')} action={action} onClick={verify} />
      <ErrorText error={action.error} />
      {v && (
        <div aria-live="polite">
          <p className={v.ok ? 'verified' : 'error'}>{t(v.ok ? 'mixVerified' : 'mixNotVerified')}</p>
          <ul className="plain mix-checks">
            {v.checks.map((c) => (
              <li key={c.id}>
                {checkWords(c.id, v)}{' '}
                <strong className={c.ok ? 'verified' : 'error'}>
                  {c.ok
                    ? t('mixCheckPassed')
                    : t('mixCheckFailed', {
                        reason: c.failures.map((f) => `${f.where}: ${f.reason}`).join('; '),
                      })}
                </strong>
              </li>
            ))}
          </ul>
          {v.decrypted && (
            <p>
              {t('mixDecrypted', {
                valid: v.decrypted.valid,
                blank: v.decrypted.blank,
                invalid: v.decrypted.invalid.length,
              })}
            </p>
          )}
          {v.same === null ? (
            <p>{t(v.decrypted ? 'mixNoRecount' : 'mixNoRecountUnverified')}</p>
          ) : (
            <p className={v.same ? 'verified' : 'error'}>
              {t(v.same ? 'mixRecountSame' : 'mixRecountDiffers')}
            </p>
          )}
          {v.recount && (
            <ol className="plain mix-rounds">
              {v.recount.rounds.map((r) => (
                <li key={r.number}>
                  {t('mixRecountRound', {
                    n: r.number,
                    tallies: Object.entries(r.tallies)
                      .filter(([id]) => !isExhaustedPart(id))
                      .map(([id, n]) => `${label(id)} ${n}`)
                      .join(', '),
                  })}
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </section>
  );
}
