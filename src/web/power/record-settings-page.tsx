// The record's settings that only privileged acts change (docs/POWER.md): the log key, the witnesses, the
// trustees of secret ballots, the entries unsealed early; and the key rotation: the server makes a candidate
// key (POST …/record/next-key), a member requests rotate_log_key with it, the body named approves it.
import { useState } from 'react';
import { ActionButton, Loading, Reveal, useAction, useLoad } from '../components/form.tsx';
import { navigate } from '../router.tsx';
import { useSignedIn } from '../session.tsx';
import { t } from '../strings.ts';
import { useDirectory } from './directory.ts';
import { powerApi, type KeyHistory } from './power-api.ts';
import { PowerNav } from './power-nav.tsx';
import { RequestActForm } from './request-act-form.tsx';

export function RecordSettingsPage() {
  const { org } = useSignedIn();
  const settings = useLoad(() => powerApi.settings(org.id), [org.id]);
  const vkey = useLoad(() => powerApi.currentLogKey(org.id), [org.id]);
  const history = useLoad(() => powerApi.keyHistory(org.id), [org.id]);
  const people = useDirectory(org);
  const s = settings.data;
  return (
    <>
      <h1 tabIndex={-1}>{t('recordSettingsTitle')}</h1>
      <PowerNav current="record-settings" />
      <p>{t('recordSettingsIntro')}</p>
      {!s ? (
        <Loading error={settings.error} />
      ) : (
        <dl className="settings">
          <dt>{t('logKeyNow')}</dt>
          <dd>{vkey.data ? <code className="key">{vkey.data}</code> : t('logKeyNone')}</dd>
          <dt>{t('logKeyRotated')}</dt>
          <dd>{s.logKey ? <code className="key">{s.logKey}</code> : t('logKeyNeverRotated')}</dd>
          <dt>{t('witnessesTitle')}</dt>
          <dd>
            {s.witnesses.length === 0 ? (
              t('noneYet')
            ) : (
              <ul className="plain">
                {s.witnesses.map((w) => (
                  <li key={w}>
                    <code className="key">{w}</code>
                  </li>
                ))}
              </ul>
            )}
          </dd>
          <dt>{t('trusteesTitle')}</dt>
          <dd>
            {s.trustees.length === 0
              ? t('noneYet')
              : (people.data?.names(s.trustees) ?? s.trustees.join(', '))}
          </dd>
          <dt>{t('unsealedTitle')}</dt>
          <dd>
            {s.unsealed.length === 0
              ? t('noneYet')
              : s.unsealed.map((n) => t('entryNo', { seq: n })).join(', ')}
          </dd>
        </dl>
      )}
      {history.data && <KeyHistoryList history={history.data} />}
      <RotateKey />
      <section aria-labelledby="change-settings">
        <h2 id="change-settings">{t('changeSettings')}</h2>
        {people.data ? (
          <Reveal label={t('changeSettings')}>
            <RequestActForm
              org={org}
              people={people.data}
              kinds={['change_witnesses', 'appoint_trustees', 'unseal_entry']}
            />
          </Reveal>
        ) : (
          <Loading error={people.error} />
        )}
      </section>
    </>
  );
}

function RotateKey() {
  const { org } = useSignedIn();
  const prepare = useAction();
  const request = useAction();
  const [candidate, setCandidate] = useState<string | null>(null);
  return (
    <section aria-labelledby="rotate" className="panel">
      <h2 id="rotate">{t('rotateTitle')}</h2>
      <p className="hint">{t('rotateIntro')}</p>
      {!candidate ? (
        <ActionButton
          label={t('rotatePrepare')}
          action={prepare}
          onClick={() =>
            void prepare.run(() => powerApi.nextLogKey(org.id)).then((r) => r && setCandidate(r.verifierKey))
          }
        />
      ) : (
        <>
          <p>{t('rotateCandidate')}</p>
          <p>
            <code className="key">{candidate}</code>
          </p>
          <ActionButton
            label={t('rotateRequest')}
            action={request}
            onClick={() =>
              void request
                .run(() => powerApi.requestAct(org.id, 'rotate_log_key', { verifierKey: candidate }))
                .then((r) => r?.requestId && navigate(`/requests/${encodeURIComponent(r.requestId)}`))
            }
          />
        </>
      )}
    </section>
  );
}

/** Every log key, oldest first, with the checkpoints it signs and the entries that rotated to it. */
function KeyHistoryList({ history }: { history: KeyHistory }) {
  return (
    <section aria-labelledby="key-history">
      <h2 id="key-history">{t('keyHistoryTitle')}</h2>
      <p className="hint">{t('keyHistoryIntro')}</p>
      <ol className="key-history">
        {history.keys.map((k, i) => (
          <li key={`${i}-${k.verifierKey}`}>
            <code className="key">{k.verifierKey}</code>
            <br />
            {t('keySignsFrom', { size: k.fromSize })}
            {k.requestSeq !== undefined &&
              k.rotationSeq !== undefined &&
              ` · ${t('keyRotatedBy', { request: k.requestSeq, done: k.rotationSeq })}`}
            {i === history.keys.length - 1 && ` · ${t('keyInForceNow')}`}
          </li>
        ))}
      </ol>
    </section>
  );
}
