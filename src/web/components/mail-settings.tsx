// The member's e-mail settings (docs/NOTIFICATIONS.md "Preferences"): for each kind of notice, at once, in the daily
// digest, or never (GET/PUT /orgs/:org/mail-settings). Says so when this server sends no e-mail at all.
import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { useSession } from '../session.tsx';
import { t, tDynamic } from '../strings.ts';
import type { MailSettings } from '../types.ts';
import { ActionForm, Loading, useAction, useLoad } from './form.tsx';
import { Select } from './select.tsx';

type Deliveries = MailSettings['deliveries'];
const choices = ['immediately', 'digest', 'never'] as const;

export function MailSettingsSection() {
  const { me } = useSession();
  const path = me ? `/orgs/${encodeURIComponent(me.organisation.id)}/mail-settings` : null;
  const settings = useLoad(() => (path ? api.get<MailSettings>(path) : Promise.resolve(null)), [path]);
  const [chosen, setChosen] = useState<Deliveries | null>(null);
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const s = settings.data;
  useEffect(() => {
    if (s) setChosen(s.deliveries);
  }, [s]);
  if (!path) return null;
  const submit = async () => {
    setSaved(false);
    const r = await action.run(() => api.put<MailSettings>(path, { deliveries: chosen }));
    if (!r) return;
    setChosen(r.deliveries);
    setSaved(true);
  };
  return (
    <section aria-labelledby="account-mail" className="panel">
      <h2 id="account-mail">{t('mailPrefsTitle')}</h2>
      {!s || !chosen ? (
        <Loading error={settings.error} />
      ) : (
        <>
          <p>{s.enabled ? t('mailPrefsOn', { email: s.address ?? '—' }) : t('mailPrefsOff')}</p>
          <p className="hint">{t('mailPrefsIntro')}</p>
          {saved && <p role="status">{t('mailPrefsSaved')}</p>}
          <ActionForm
            label={t('mailPrefsTitle')}
            submit={t('mailPrefsSave')}
            action={action}
            fields={['deliveries']}
            onSubmit={submit}
          >
            {(Object.keys(chosen) as (keyof Deliveries)[]).map((kind) => (
              <Select
                key={kind}
                label={tDynamic(`mailKind_${kind}`, kind)}
                name={kind}
                value={chosen[kind]}
                options={choices.map((c) => ({ value: c, label: t(`delivery_${c}`) }))}
                onChange={(v) => {
                  setSaved(false);
                  setChosen({ ...chosen, [kind]: v as (typeof choices)[number] });
                }}
              />
            ))}
          </ActionForm>
        </>
      )}
    </section>
  );
}
