// A secret vote's trustees, in the browser (docs/BALLOT-PROTOCOL.md "Trustees in the browser"). Everyone sees the
// ceremony's progress: who has committed, dealt, accused, decrypted, and by when, so a trustee who holds the vote
// up is named on the page. A trustee does each step here: the Web Worker makes the secret and seals it under a
// passphrase (trustee-keystore.ts); this browser keeps only the sealed file (localStorage), offers it to download,
// and takes it back from a file on another machine. Every later step asks for the passphrase and opens the file in
// the worker; the page never holds the secret.
import { useState, type ChangeEvent, type ReactNode } from 'react';
import { api, ApiFailure } from '../api.ts';
import { ActionButton, ActionForm, ErrorText, Field, useAction, useLoad } from '../components/form.tsx';
import { formatDate, t } from '../strings.ts';
import type { DkgAccusationBody, DkgCommitBody, DkgSharesBody } from '../../ballot/dkg.ts';
import type { SetupBody } from '../../ballot/manifest.ts';
import { ballotRequest } from './ballot-client.ts';
import { secretApi, type BoardView } from './secret-api.ts';
import {
  checkTrusteeFileFor,
  readTrusteeFile,
  TrusteeKeyError,
  type TrusteeFile,
} from './trustee-keystore.ts';
import type { TrusteeWho } from './trustee-ops.ts';

const fileKey = (w: TrusteeWho) => `councils.trustee.${w.orgId}.${w.memberId}.${w.voteId}`;
const checkedKey = (w: TrusteeWho) => `councils.trustee-checked.${w.orgId}.${w.memberId}.${w.voteId}`;

/** Where this browser notes the slot it shuffled in (mix-panel.tsx), for the decryption's check (MIXNET §12). */
export const shuffledKey = (w: TrusteeWho) => `councils.shuffled.${w.orgId}.${w.memberId}.${w.voteId}`;

export function loadShuffledIn(w: TrusteeWho): number | undefined {
  const v = Number(localStorage.getItem(shuffledKey(w)));
  return Number.isInteger(v) && v > 0 ? v : undefined;
}

export function loadFile(w: TrusteeWho): TrusteeFile | null {
  try {
    const raw = localStorage.getItem(fileKey(w));
    return raw ? readTrusteeFile(JSON.parse(raw)) : null;
  } catch {
    return null;
  }
}

function loadChecked(w: TrusteeWho): number[] {
  try {
    const v = JSON.parse(localStorage.getItem(checkedKey(w)) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : [];
  } catch {
    return [];
  }
}

const saveFile = (w: TrusteeWho, f: TrusteeFile) => localStorage.setItem(fileKey(w), JSON.stringify(f));

/** The ceremony as the board shows it (board=key carries every key-generation message). */
function progressOf(view: BoardView) {
  const of = <B,>(kind: string) => view.board.filter((e) => e.kind === kind).map((e) => e.body as B);
  const committed = new Set(of<DkgCommitBody>('dkg-commit').map((b) => b.trustee));
  const dealt = new Set(of<DkgSharesBody>('dkg-shares').map((b) => b.trustee));
  const accusations = of<DkgAccusationBody>('dkg-accusation');
  const n = view.trustees.length;
  return {
    committed,
    dealt,
    accusations,
    decrypted: new Set(view.decrypted),
    allCommitted: committed.size === n,
    allDealt: dealt.size === n,
  };
}

const keyGenerating = (view: BoardView) => view.phase === 'key-generation' || view.phase === 'registration';
const decrypting = (view: BoardView) => view.phase === 'decryption' || view.phase === 'decided';

/** Members' names by id (the trustees', the mixers'), loaded once per list. */
export function useMemberNames(orgId: string, memberIds: string[]) {
  const ids = memberIds.join(',');
  return useLoad(
    () =>
      api
        .get<{
          members: Record<string, string>;
        }>(`/orgs/${encodeURIComponent(orgId)}/names?members=${encodeURIComponent(ids)}`)
        .then((r) => r.members),
    [orgId, ids],
  );
}

/** Every member sees each trustee's part and the deadline: a trustee who holds things up is visible. */
export function TrusteeProgress(p: { orgId: string; view: BoardView }) {
  const { view } = p;
  const names = useMemberNames(
    p.orgId,
    view.trustees.map((x) => x.memberId),
  );
  const notDecrypted = view.notDecrypted;
  if (!keyGenerating(view) && !decrypting(view) && !notDecrypted) return null;
  const pr = progressOf(view);
  const nameOf = (memberId: string) => names.data?.[memberId] ?? memberId;
  const stateOf = (i: number): string => {
    if (view.disqualified.includes(i)) return t('trusteeDisqualified');
    if (decrypting(view) || notDecrypted)
      return pr.decrypted.has(i) ? t('trusteeDecrypted') : t('trusteeNotDecrypted');
    const accused = pr.accusations.filter((a) => a.accuser === i).map((a) => a.accused);
    if (accused.length) return t('trusteeAccused', { trustees: accused.join(', ') });
    if (pr.dealt.has(i)) return t('trusteeDealt');
    return pr.committed.has(i) ? t('trusteeCommitted') : t('trusteeNotStarted');
  };
  return (
    <section aria-labelledby="trustee-progress">
      <h3 id="trustee-progress">{t('trusteeProgress')}</h3>
      {notDecrypted ? (
        // why the vote ended without a result, and who did not decrypt (src/core/secret/decryption.ts)
        <p role="status">
          {t('phaseNotDecrypted', {
            date: formatDate(notDecrypted.decryptBy),
            shares: notDecrypted.shares,
            needed: notDecrypted.needed,
            names: notDecrypted.awaited.map(nameOf).join(', '),
          })}
        </p>
      ) : (
        <p className="hint">
          {decrypting(view)
            ? t('trusteeDecryptionDue', {
                done: pr.decrypted.size,
                threshold: view.threshold,
                date: formatDate(view.closesAt),
              })
            : t('trusteeKeyDue', { date: formatDate(view.registrationEnds) })}
          {view.phase === 'decryption' && view.decryptBy && (
            <> {t('trusteeDecryptBy', { date: formatDate(view.decryptBy), threshold: view.threshold })}</>
          )}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">{t('trusteeNumber')}</th>
            <th scope="col">{t('trusteeName')}</th>
            <th scope="col">{t('trusteeState')}</th>
          </tr>
        </thead>
        <tbody>
          {view.trustees.map((x) => (
            <tr key={x.trustee}>
              <td>{x.trustee}</td>
              <td>{nameOf(x.memberId)}</td>
              <td>{stateOf(x.trustee)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The passphrase that opens the trustee's sealed key file (a trustee's steps, a mixer's shuffle). */
export function PassphraseField(p: { value: string; onChange(value: string): void }) {
  return (
    <Field
      label={t('trusteePassphrase')}
      name="passphrase"
      type="password"
      autoComplete="current-password"
      value={p.value}
      onChange={p.onChange}
      required
    />
  );
}

/** A trustee's own steps, each with the passphrase; `reload` fetches the board again. */
export function TrusteeSteps(p: { orgId: string; me: string; view: BoardView; reload(): void }) {
  const { view } = p;
  const mine = view.trustees.find((x) => x.memberId === p.me);
  const who: TrusteeWho | null = mine
    ? { orgId: p.orgId, voteId: view.voteId, memberId: p.me, trustee: mine.trustee }
    : null;
  const [file, setFile] = useState(() => (who ? loadFile(who) : null));
  // the dealers whose shares this browser has checked (a late dealer's shares are checked when they come)
  const [checked, setChecked] = useState<number[]>(() => (who ? loadChecked(who) : []));
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const action = useAction();
  const restore = useAction();
  if (!who || !mine) return null;
  const i = mine.trustee;
  const pr = progressOf(view);
  const setup = view.board.find((e) => e.kind === 'setup')?.body as SetupBody | undefined;
  const post = (kind: string, body: unknown) =>
    api.post(`/orgs/${encodeURIComponent(p.orgId)}/votes/${encodeURIComponent(view.voteId)}/secret/trustee`, {
      kind,
      body,
    });
  const unlocked = () => ({ who, board: view.board, file: file!, passphrase });
  const done = () => {
    setPassphrase('');
    setRepeat('');
    p.reload();
  };
  const step = (fn: () => Promise<void>) => () =>
    void action
      .run(async () => {
        await fn();
        return true;
      })
      .then((ok) => ok && done());

  const generate = step(async () => {
    if (passphrase !== repeat)
      throw new ApiFailure(0, 'trustee_passphrases_differ', 'the passphrases differ');
    const r = await ballotRequest({ op: 'trustee-commit', who, board: view.board, passphrase });
    // kept before anything is posted: a commitment whose secret is lost would hold the ceremony up
    saveFile(who, r.file);
    setFile(r.file);
    await post('dkg-commit', r.message);
  });
  const deal = step(async () => {
    const r = await ballotRequest({ op: 'trustee-shares', ...unlocked() });
    await post('dkg-shares', r.message);
  });
  const check = step(async () => {
    const r = await ballotRequest({ op: 'trustee-check', ...unlocked() });
    for (const a of r.accusations) await post('dkg-accusation', a);
    const dealers = [...pr.dealt];
    localStorage.setItem(checkedKey(who), JSON.stringify(dealers));
    setChecked(dealers);
  });
  const decrypt = step(async () => {
    // the whole board: the worker sums the ballots itself before decrypting anything
    const all = await secretApi.board(p.orgId, view.voteId, 'all');
    const r = await ballotRequest({
      op: 'trustee-decrypt',
      ...unlocked(),
      board: all.board,
      ...(all.aggregate ? { aggregate: all.aggregate } : {}),
    });
    await post('partial-decryption', r.message);
  });
  // a mixed vote: the election's board and every ballot, shuffle and skip; the worker checks them all first
  const mixDecrypt = step(async () => {
    const { election, mix } = await secretApi.mixWithElection(p.orgId, view.voteId);
    const shuffledIn = loadShuffledIn(who);
    const r = await ballotRequest({
      op: 'trustee-mix-decrypt',
      ...unlocked(),
      board: election.board,
      mix,
      ...(shuffledIn ? { shuffledIn } : {}),
    });
    await post('mix-decryption', r.message);
  });
  const onRestore = (e: ChangeEvent<HTMLInputElement>) => {
    const chosen = e.target.files?.[0];
    if (!chosen || !setup) return;
    void restore.run(async () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(await chosen.text());
      } catch {
        parsed = null;
      }
      try {
        const f = readTrusteeFile(parsed);
        checkTrusteeFileFor(f, { ...who, setupHash: setup.setupHash });
        saveFile(who, f);
        setFile(f);
      } catch (err) {
        // worded from the catalogue, as the worker's refusals are (ballot-client.ts)
        if (err instanceof TrusteeKeyError) throw new ApiFailure(0, err.code, err.message);
        throw err;
      }
    });
  };
  const form = (label: string, submit: () => void, hint: string) => (
    <ActionForm label={label} submit={label} action={action} fields={['passphrase']} onSubmit={submit}>
      <p>{hint}</p>
      <PassphraseField value={passphrase} onChange={setPassphrase} />
    </ActionForm>
  );

  const over = view.phase === 'decided' || view.phase === 'failed';
  const ranked = view.ballotKind === 'ranked';
  const needsFile = pr.committed.has(i) && !file && !over && !pr.decrypted.has(i);
  let body: ReactNode = null;
  if (view.phase === 'key-generation' && !pr.committed.has(i) && !file) {
    body = (
      <ActionForm
        label={t('trusteeGenerate')}
        submit={t('trusteeGenerate')}
        action={action}
        fields={['passphrase']}
        onSubmit={generate}
      >
        <p>{t('trusteeGenerateHelp', { date: formatDate(view.registrationEnds) })}</p>
        <Field
          label={t('trusteeNewPassphrase')}
          name="passphrase"
          type="password"
          autoComplete="new-password"
          hint={t('trusteePassphraseHint')}
          value={passphrase}
          onChange={setPassphrase}
          required
        />
        <Field
          label={t('trusteeRepeatPassphrase')}
          name="repeat"
          type="password"
          autoComplete="new-password"
          value={repeat}
          onChange={setRepeat}
          required
        />
      </ActionForm>
    );
  } else if (view.phase === 'key-generation' && !pr.committed.has(i) && file) {
    // the secret is kept but its commitment was not posted (a lost answer): post the kept one
    body = (
      <ActionButton
        label={t('trusteeSendCommitment')}
        action={action}
        onClick={step(() => post('dkg-commit', file.commit).then(() => undefined))}
      />
    );
  } else if (needsFile) {
    body = <p role="status">{t('trusteeNoFile')}</p>;
  } else if (keyGenerating(view) && !pr.dealt.has(i)) {
    body = pr.allCommitted ? (
      form(t('trusteeDeal'), deal, t('trusteeDealHelp'))
    ) : (
      <p role="status">{t('trusteeWaitCommits', { done: pr.committed.size, n: view.trustees.length })}</p>
    );
  } else if (
    keyGenerating(view) &&
    pr.allDealt &&
    [...pr.dealt].some((d) => d !== i && !checked.includes(d))
  ) {
    body = form(t('trusteeCheck'), check, t('trusteeCheckHelp'));
  } else if (keyGenerating(view)) {
    body = (
      <p role="status">
        {pr.allDealt
          ? t('trusteeKeyDone')
          : t('trusteeWaitShares', { done: pr.dealt.size, n: view.trustees.length })}
      </p>
    );
  } else if (ranked && view.phase === 'voting') {
    body = <p>{t('trusteeMixLater', { date: formatDate(view.closesAt) })}</p>;
  } else if (ranked && view.phase === 'mixing') {
    body = <p>{t('trusteeMixWaiting')}</p>;
  } else if (view.phase === 'voting') {
    body = <p>{t('trusteeDecryptLater', { date: formatDate(view.closesAt) })}</p>;
  } else if (ranked && view.phase === 'decryption' && !pr.decrypted.has(i)) {
    body = form(
      t('trusteeMixDecrypt'),
      mixDecrypt,
      `${t('trusteeMixDecryptHelp')} ${t('trusteeMixDecryptCheck')}`,
    );
  } else if (view.phase === 'decryption' && !pr.decrypted.has(i)) {
    body = form(
      t('trusteeDecrypt'),
      decrypt,
      `${t('trusteeDecryptHelp')} ${t('trusteeDecryptCount', { count: view.aggregate?.counted ?? 0 })}`,
    );
  } else if (decrypting(view)) {
    body = <p role="status">{t('trusteeDecryptDone')}</p>;
  }

  return (
    <section aria-labelledby="trustee-steps" className="panel">
      <h3 id="trustee-steps">{t('trusteeYou', { trustee: i })}</h3>
      {body}
      {file && (
        <p>
          <a
            href={`data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify(file, null, 2))}`}
            download={`councils-trustee-${view.voteId}-${i}.json`}
          >
            {t('trusteeDownload')}
          </a>{' '}
          <span className="hint">{t('trusteeDownloadHint')}</span>
        </p>
      )}
      {(needsFile || file) && !over && (
        <div className="field">
          <label htmlFor={`restore-${view.voteId}`}>{t('trusteeRestore')}</label>
          <input
            id={`restore-${view.voteId}`}
            type="file"
            accept=".json,application/json"
            onChange={onRestore}
          />
          <ErrorText error={restore.error} />
        </div>
      )}
      {(keyGenerating(view) || view.phase === 'decryption') && (
        <button type="button" className="secondary" onClick={p.reload}>
          {t('trusteeRefresh')}
        </button>
      )}
    </section>
  );
}
