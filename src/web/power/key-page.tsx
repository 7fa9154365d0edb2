// My approval key (docs/POWER.md, "Keys"): make an Ed25519 key in this browser, register its public half with
// the proof, keep or download the secret; see every key registered in my name, so I notice one I did not make.
import { useState } from 'react';
import { ActionButton, ErrorText, Loading, useAction, useLoad } from '../components/form.tsx';
import { useSignedIn } from '../session.tsx';
import { formatDate, t } from '../strings.ts';
import { generateKey, importKey, keyFileText, keyProof, loadKey, type LocalKey } from './approval-key.ts';
import { PowerNav } from './power-nav.tsx';
import { powerApi } from './power-api.ts';

export function KeyPage() {
  const { me, org } = useSignedIn();
  const memberId = me.member.id;
  const [local, setLocal] = useState<LocalKey | null>(() => loadKey(org.id, memberId));
  const keys = useLoad(() => powerApi.keys(org.id, memberId), [org.id, memberId]);
  const register = useAction();
  const [fileError, setFileError] = useState<unknown>(null);
  const mine = keys.data?.keys.filter((k) => k.memberId === memberId) ?? [];
  const current = mine.find((k) => k.revokedAt === null);
  const registeredHere = Boolean(local && current && current.publicKey === local.publicKey);

  const doRegister = (key: LocalKey) =>
    void register
      .run(() => powerApi.registerKey(org.id, key.publicKey, keyProof(org.id, memberId, key)))
      .then((r) => r !== undefined && keys.reload());

  const download = (key: LocalKey) => {
    const url = URL.createObjectURL(new Blob([keyFileText(key)], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'councils-approval.key';
    a.click();
    URL.revokeObjectURL(url);
  };

  const readFile = async (file: File | undefined) => {
    if (!file) return;
    setFileError(null);
    try {
      setLocal(importKey(org.id, memberId, await file.text()));
    } catch {
      setFileError(new Error(t('keyFileBad')));
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>{t('keyTitle')}</h1>
      <PowerNav current="key" />
      <p>{t('keyIntro')}</p>
      <section aria-labelledby="this-browser" className="panel">
        <h2 id="this-browser">{t('keyThisBrowser')}</h2>
        {local ? (
          <p>
            {t('keyHere', { id: local.keyId })}{' '}
            {registeredHere ? <strong className="verified">{t('keyRegisteredHere')}</strong> : null}
          </p>
        ) : (
          <p>{t('keyNoneHere')}</p>
        )}
        <div className="actions">
          {!local && (
            <button type="button" onClick={() => setLocal(generateKey(org.id, memberId))}>
              {t('keyGenerate')}
            </button>
          )}
          {local && !registeredHere && (
            <ActionButton label={t('keyRegister')} action={register} onClick={() => doRegister(local)} />
          )}
          {local && (
            <button type="button" className="secondary" onClick={() => download(local)}>
              {t('keyDownload')}
            </button>
          )}
          {local && (
            <button
              type="button"
              className="secondary"
              onClick={() => setLocal(generateKey(org.id, memberId))}
            >
              {t('keyReplace')}
            </button>
          )}
        </div>
        <div className="field">
          <label htmlFor="key-file">{t('keyImport')}</label>
          <input
            id="key-file"
            type="file"
            accept=".key,text/plain"
            onChange={(e) => void readFile(e.target.files?.[0])}
          />
          <ErrorText error={fileError} />
        </div>
      </section>
      <section aria-labelledby="registered-keys">
        <h2 id="registered-keys">{t('keyRegistered')}</h2>
        {!keys.data ? (
          <Loading error={keys.error} />
        ) : mine.length === 0 ? (
          <p>{t('keyNoneRegistered')}</p>
        ) : (
          <>
            {current && local?.publicKey !== current.publicKey && (
              <p className="error" role="alert">
                {t('keyNotThisBrowser', { id: current.keyId })}
              </p>
            )}
            <ul className="plain keys">
              {[...mine].reverse().map((k) => (
                <li key={k.keyId + k.registeredAt}>
                  <code>{k.keyId}</code>{' '}
                  {k.revokedAt
                    ? t('keyReplaced', { date: formatDate(k.registeredAt), until: formatDate(k.revokedAt) })
                    : t('keyInForce', { date: formatDate(k.registeredAt) })}
                  {local?.publicKey === k.publicKey && ` · ${t('keyIsThisBrowser')}`}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </>
  );
}
