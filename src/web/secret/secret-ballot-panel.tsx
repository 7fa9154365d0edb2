// A secret vote, for a voter: register a credential made in this browser — its public part is blinded and signed by
// the organisation with the session, then listed after a random wait WITHOUT the session (docs/BALLOT-PROTOCOL.md
// §4.1), so the server never learns whose credential it is — then fill in the ballot, have it encrypted in the Web Worker, read the confirmation code, and choose: cast it, or
// challenge it — the challenged ballot is opened and its decrypted content shown, it never counts, and the voter
// encrypts again. Each cast ballot's code is kept as a receipt ("My receipts"); after a reload the booth says that
// this browser cast a ballot, with its code, and that casting again replaces it (the last ballot of a credential
// counts: docs/BALLOT-PROTOCOL.md).
import { useId, useState } from 'react';
import type { BallotBody } from '../../ballot/ballot.ts';
import type { BoardEntry } from '../../ballot/board.ts';
import type { CredentialListSummary } from '../../ballot/election.ts';
import type { Contest } from '../../ballot/manifest.ts';
import { ActionButton, ActionForm, Loading, useAction, useLoad } from '../components/form.tsx';
import { optionLabel } from '../names.ts';
import { useLive } from '../live.tsx';
import { Link } from '../router.tsx';
import { formatDate, t } from '../strings.ts';
import type { Motion, Vote } from '../types.ts';
import { boardContest, choicesFor } from './ballot-ops.ts';
import { ballotRequest } from './ballot-client.ts';
import { loadCredential, loadReceipts, saveCredential } from './receipts.ts';
import { SealedBallot, useBooth } from './booth.tsx';
import { secretApi } from './secret-api.ts';
import { TrusteeProgress, TrusteeSteps } from './trustee-panel.tsx';
import { MixPanel } from './mix-panel.tsx';
import { RankedBallotForm } from './ranked-booth.tsx';

/** 0.5–4 s, from Web Crypto: enough to separate the two requests in time on a quiet server, short enough to wait. */
function listingDelayMs(): number {
  return 500 + (crypto.getRandomValues(new Uint32Array(1))[0]! % 3500);
}

export function SecretBallotPanel(p: { orgId: string; motion: Motion; me: string; onDone(): void }) {
  const vote = p.motion.vote as Vote;
  // Loaded again as the vote's board and phase change (the live stream), without a reload of the page.
  const live = useLive((c) => c.voteId === vote.id);
  const board = useLoad(() => secretApi.board(p.orgId, vote.id), [p.orgId, vote.id, live]);
  const [credential, setCredential] = useState(() => loadCredential(p.orgId, p.me, vote.id));
  const register = useAction();
  // a ballot cast on this page: the booth shows its code, the earlier one kept here would be a second, stale code
  const [castNow, setCastNow] = useState(false);
  // a ranked vote's mix: its mixers, and which trustees have decrypted the mixed list
  const ranked = board.data?.ballotKind === 'ranked';
  const mix = useLoad(
    () => (ranked ? secretApi.mix(p.orgId, vote.id) : Promise.resolve(null)),
    [p.orgId, vote.id, board.data],
  );
  if (!board.data) return <Loading error={board.error} />;
  const view =
    ranked && mix.data
      ? { ...board.data, decrypted: mix.data.trustees.filter((x) => x.decrypted).map((x) => x.trustee) }
      : board.data;
  const contest = boardContest(view.board);
  const elector = vote.viewer?.elector ?? false;
  const reload = () => {
    board.reload();
    p.onDone();
  };
  // what either booth needs: the board it encrypts for, fetched again before each encryption
  const booth = {
    orgId: p.orgId,
    me: p.me,
    motion: p.motion,
    credentialSecret: credential?.secret ?? '',
    reloadBoard: async () => {
      const v = await secretApi.board(p.orgId, vote.id);
      return { board: v.board, ...(v.credentialList ? { list: v.credentialList } : {}) };
    },
    onCast: () => setCastNow(true),
  };
  const doRegister = () =>
    void register.run(async () => {
      // Each step is kept before the next, so a lost answer can be resumed: the secret, then the signature.
      let kept = credential ?? (await ballotRequest({ op: 'credential' }));
      kept = {
        secret: kept.secret,
        public: kept.public,
        ...(credential?.signed ? { signed: credential.signed } : {}),
      };
      saveCredential(p.orgId, p.me, vote.id, kept);
      if (!kept.signed) {
        const weight = view.viewerWeight ?? 1;
        const req = { board: view.board, credential: kept.public, weight };
        const blinded = await ballotRequest({ op: 'blind', ...req });
        const issued = await secretApi.issue(p.orgId, vote.id, blinded.blindedMessage);
        const fin = await ballotRequest({
          op: 'unblind',
          ...req,
          blindSignature: issued.blindSignature,
          inv: blinded.inv,
        });
        kept = { ...kept, signed: fin.signed };
        saveCredential(p.orgId, p.me, vote.id, kept);
      }
      // a random wait, so the anonymous listing does not follow the signed-in issuance at once
      await new Promise((resolve) => setTimeout(resolve, listingDelayMs()));
      await secretApi.list(p.orgId, vote.id, kept.signed!);
      kept = { ...kept, listed: true };
      saveCredential(p.orgId, p.me, vote.id, kept);
      setCredential(kept);
      board.reload();
    });
  const registeredHere = credential?.listed === true && view.phase !== 'key-generation';
  // The latest ballot this browser cast in this vote, kept as a receipt.
  const castHere = loadReceipts(p.orgId, p.me)
    .filter((r) => r.voteId === vote.id)
    .sort((a, b) => a.castAt.localeCompare(b.castAt))
    .at(-1);
  return (
    <section aria-labelledby="secret-vote" className="panel">
      <h2 id="secret-vote">{t('secretVote')}</h2>
      <p>{t(ranked ? 'secretIntroRanked' : 'secretIntro')}</p>
      <p className="hint">
        {t(ranked ? 'secretStatusRanked' : 'secretStatus', {
          registered: view.registered,
          electors: view.electors,
          threshold: view.threshold,
          trustees: view.trustees.length,
        })}
      </p>
      {!elector && view.phase !== 'decided' && view.phase !== 'failed' && <p>{t('notElector')}</p>}
      {view.phase === 'key-generation' && <p>{t('phaseKeyGeneration')}</p>}
      {elector && view.phase === 'registration' && !registeredHere && (
        <>
          <p>{t('registerUntil', { date: formatDate(view.registrationEnds) })}</p>
          <ActionButton label={t('registerCredential')} action={register} onClick={doRegister} />
        </>
      )}
      {elector && view.phase === 'registration' && registeredHere && (
        <p role="status">{t('registeredWaiting')}</p>
      )}
      {elector && view.phase === 'voting' && !credential?.listed && <p>{t('notRegistered')}</p>}
      {elector && view.phase === 'voting' && credential?.listed && contest && (
        <>
          <p>{t('voteCloses', { date: formatDate(view.closesAt) })}</p>
          {castHere && !castNow && (
            <p role="status" className="cast-here">
              {t('secretAlreadyCast', { code: castHere.code.match(/.{1,8}/g)!.join(' ') })}
            </p>
          )}
          {ranked ? (
            <RankedBallotForm {...booth} candidates={contest.options} />
          ) : (
            <SecretBallotForm {...booth} contest={contest} />
          )}
        </>
      )}
      {view.phase === 'mixing' && <p>{t('phaseMixing')}</p>}
      {view.phase === 'decryption' && <p>{t(ranked ? 'phaseDecryptionRanked' : 'phaseDecryption')}</p>}
      {view.phase === 'failed' && !view.notDecrypted && (
        <p role="status">{t('phaseFailed', { reason: view.failure ?? '' })}</p>
      )}
      <TrusteeProgress orgId={p.orgId} view={view} />
      {ranked && mix.data && (
        <MixPanel orgId={p.orgId} me={p.me} motion={p.motion} mix={mix.data} reload={reload} />
      )}
      <TrusteeSteps orgId={p.orgId} me={p.me} view={view} reload={reload} />
      <p>
        <Link href="/receipts">{t('myReceipts')}</Link>
      </p>
    </section>
  );
}

function SecretBallotForm(p: {
  orgId: string;
  me: string;
  motion: Motion;
  contest: Contest;
  credentialSecret: string;
  reloadBoard(): Promise<{ board: BoardEntry[]; list?: CredentialListSummary }>;
  onCast(): void;
}) {
  const vote = p.motion.vote as Vote;
  const { contest } = p;
  const label = (o: string) => (o === 'abstain' ? t('abstain') : optionLabel(p.motion, o));
  const [selected, setSelected] = useState<Record<string, number>>({});
  const group = useId();
  const single = contest.max === 1 && contest.min === 1 && contest.optionMax === 1;
  const scores = contest.optionMax > 1;
  const booth = useBooth<BallotBody, number[][]>({
    ...p,
    encrypt: () =>
      p.reloadBoard().then((b) =>
        ballotRequest({
          op: 'encrypt',
          ...b,
          credentialSecret: p.credentialSecret,
          choices: choicesFor(contest, selected),
        }),
      ),
    cast: (ballot) => secretApi.cast(p.orgId, vote.id, ballot),
    challenge: async (ballot, ballotNonce) => {
      const r = await ballotRequest({ op: 'spoil', ...(await p.reloadBoard()), ballot, ballotNonce });
      await secretApi.spoil(p.orgId, vote.id, r.spoiled);
      return r.spoiled.plaintext;
    },
  });
  const { state, action } = booth;

  if (state.step !== 'fill')
    return (
      <SealedBallot
        booth={{ ...booth, state }}
        opened={(plaintext) => (
          <ul className="plain opened">
            {contest.options.map((o, i) => (
              <li key={o}>
                {label(o)}: <strong>{plaintext[0]?.[i] ?? 0}</strong>
              </li>
            ))}
          </ul>
        )}
      />
    );
  return (
    <ActionForm
      label={t('vote')}
      submit={t('encryptBallot')}
      action={action}
      fields={[]}
      onSubmit={booth.encrypt}
      className="form ballot"
    >
      <fieldset className="radios">
        <legend>
          {single ? t('chooseOne') : scores ? t('scoreHelp', { max: contest.optionMax }) : t('approveAny')}
        </legend>
        {contest.options.map((o) =>
          scores ? (
            <div className="field score" key={o}>
              <label htmlFor={`${group}-${o}`}>{t('scoreFor', { option: label(o) })}</label>
              <input
                id={`${group}-${o}`}
                type="number"
                min={0}
                max={contest.optionMax}
                value={String(selected[o] ?? 0)}
                onChange={(e) => setSelected({ ...selected, [o]: Number(e.target.value) })}
              />
            </div>
          ) : (
            <label key={o}>
              <input
                type={single ? 'radio' : 'checkbox'}
                name={group}
                checked={(selected[o] ?? 0) === 1}
                onChange={(e) =>
                  setSelected(single ? { [o]: 1 } : { ...selected, [o]: e.target.checked ? 1 : 0 })
                }
              />{' '}
              {label(o)}
            </label>
          ),
        )}
      </fieldset>
    </ActionForm>
  );
}
