// /account: one's own account without any administrator (docs/ACCOUNTS.md): the e-mail address and its change,
// the password and its change, where one is signed in (with "sign out there"), and API tokens (made with a name,
// shown once, revoked), and the e-mail notices per kind. Says how a forgotten password is reset on this server.
import { useState } from 'react';
import { api } from '../api.ts';
import { ActionButton, ActionForm, Field, Loading, useAction, useLoad } from '../components/form.tsx';
import { MailSettingsSection } from '../components/mail-settings.tsx';
import { formatDate, t } from '../strings.ts';
import type { AccountView, SessionView } from '../../server/responses/account.ts';

interface ApiToken {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt?: string | null;
  userAgent?: string | null;
}

export function AccountPage() {
  const account = useLoad(() => api.get<AccountView>('/account'), []);
  return (
    <>
      <h1 tabIndex={-1}>{t('accountTitle')}</h1>
      {account.data ? (
        <>
          <EmailSection account={account.data} onChange={account.reload} />
          <PasswordSection account={account.data} />
        </>
      ) : (
        <Loading error={account.error} />
      )}
      <MailSettingsSection />
      <SessionsSection />
      <TokensSection />
    </>
  );
}

function EmailSection({ account, onChange }: { account: AccountView; onChange(): void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [said, setSaid] = useState<string | null>(null);
  const action = useAction();
  const submit = async () => {
    const r = await action.run(() =>
      api.post<{ email: string; confirmed: boolean }>('/account/email', { email, password }),
    );
    if (!r) return;
    setSaid(r.confirmed ? t('accountEmailChanged', { email: r.email }) : t('accountEmailSent', { email }));
    setEmail('');
    setPassword('');
    onChange();
  };
  return (
    <section aria-labelledby="account-email" className="panel">
      <h2 id="account-email">{t('accountEmail')}</h2>
      <p>{t('accountEmailNow', { email: account.email })}</p>
      {said && <p role="status">{said}</p>}
      <ActionForm
        label={t('accountEmailChange')}
        submit={t('accountEmailChange')}
        action={action}
        fields={['email', 'password']}
        onSubmit={submit}
      >
        <Field
          label={t('accountEmailNew')}
          name="email"
          type="email"
          required
          hint={account.resetBy === 'email' ? t('accountEmailHintMail') : t('accountEmailHintNoMail')}
          value={email}
          onChange={setEmail}
          error={action.error}
        />
        <Field
          label={t('currentPassword')}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={setPassword}
          error={action.error}
        />
      </ActionForm>
    </section>
  );
}

function PasswordSection({ account }: { account: AccountView }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [done, setDone] = useState(false);
  const action = useAction();
  const submit = async () => {
    const r = await action.run(() =>
      api.post('/account/password', { currentPassword: current, newPassword: next }).then(() => true),
    );
    if (!r) return;
    setDone(true);
    setCurrent('');
    setNext('');
  };
  return (
    <section aria-labelledby="account-password" className="panel">
      <h2 id="account-password">{t('accountPassword')}</h2>
      <p className="hint">
        {account.resetBy === 'email' ? t('accountResetHowEmail') : t('accountResetHowCouncil')}
      </p>
      {done && <p role="status">{t('accountPasswordChanged')}</p>}
      <ActionForm
        label={t('accountPasswordChange')}
        submit={t('accountPasswordChange')}
        action={action}
        fields={['currentPassword', 'newPassword']}
        onSubmit={submit}
      >
        <Field
          label={t('currentPassword')}
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={setCurrent}
          error={action.error}
        />
        <Field
          label={t('chosenPassword')}
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          hint={t('passwordRules')}
          value={next}
          onChange={setNext}
          error={action.error}
        />
      </ActionForm>
    </section>
  );
}

function SessionsSection() {
  const sessions = useLoad(() => api.get<{ sessions: SessionView[] }>('/sessions'), []);
  return (
    <section aria-labelledby="account-sessions" className="panel">
      <h2 id="account-sessions">{t('sessionsTitle')}</h2>
      {sessions.data ? (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="account-sessions">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('sessionDevice')}</th>
                <th scope="col">{t('sessionStarted')}</th>
                <th scope="col">{t('sessionLastUsed')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('sessionEnd')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.data.sessions.map((s) => (
                <SessionRow key={s.id} s={s} onEnd={sessions.reload} />
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Loading error={sessions.error} />
      )}
    </section>
  );
}

function SessionRow({ s, onEnd }: { s: SessionView; onEnd(): void }) {
  const end = useAction();
  return (
    <tr>
      <td>{s.userAgent ?? t('unknownDevice')}</td>
      <td>{formatDate(s.createdAt)}</td>
      <td>{s.lastUsedAt ? formatDate(s.lastUsedAt) : '—'}</td>
      <td>
        {s.current ? (
          <strong>{t('sessionThis')}</strong>
        ) : (
          <ActionButton
            label={t('sessionEnd')}
            className="secondary"
            action={end}
            onClick={() => void end.run(() => api.del(`/sessions/${encodeURIComponent(s.id)}`)).then(onEnd)}
          />
        )}
      </td>
    </tr>
  );
}

function TokensSection() {
  const tokens = useLoad(() => api.get<{ tokens: ApiToken[] }>('/tokens'), []);
  const [name, setName] = useState('');
  const [made, setMade] = useState<{ name: string; token: string } | null>(null);
  const create = useAction();
  const submit = async () => {
    const r = await create.run(() => api.post<{ name: string; token: string }>('/tokens', { name }));
    if (!r) return;
    setMade({ name: r.name, token: r.token });
    setName('');
    tokens.reload();
  };
  return (
    <section aria-labelledby="account-tokens" className="panel">
      <h2 id="account-tokens">{t('tokensTitle')}</h2>
      <p className="hint">{t('tokensIntro')}</p>
      {made && (
        <div role="status" className="shown-once">
          <p>{t('tokenShownOnce', { name: made.name })}</p>
          <input
            readOnly
            aria-label={t('tokenShownOnce', { name: made.name })}
            value={made.token}
            onFocus={(e) => e.target.select()}
          />
        </div>
      )}
      {tokens.data ? (
        tokens.data.tokens.length === 0 ? (
          <p>{t('tokensNone')}</p>
        ) : (
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="account-tokens">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('tokenName')}</th>
                  <th scope="col">{t('tokenCreated')}</th>
                  <th scope="col">{t('tokenLastUsed')}</th>
                  <th scope="col">{t('tokenUserAgent')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('tokenRevoke')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.data.tokens.map((x) => (
                  <TokenRow key={x.id} token={x} onRevoke={tokens.reload} />
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : (
        <Loading error={tokens.error} />
      )}
      <ActionForm
        label={t('tokenCreate')}
        submit={t('tokenCreate')}
        action={create}
        fields={['name']}
        onSubmit={submit}
      >
        <Field
          label={t('tokenName')}
          name="name"
          required
          value={name}
          onChange={setName}
          error={create.error}
        />
      </ActionForm>
    </section>
  );
}

function TokenRow({ token, onRevoke }: { token: ApiToken; onRevoke(): void }) {
  const revoke = useAction();
  return (
    <tr>
      <td>{token.name}</td>
      <td>{formatDate(token.createdAt)}</td>
      <td>{token.lastUsedAt ? formatDate(token.lastUsedAt) : t('tokenNever')}</td>
      <td>{token.userAgent ?? '—'}</td>
      <td>
        <ActionButton
          label={t('tokenRevoke')}
          className="secondary"
          action={revoke}
          onClick={() =>
            void revoke.run(() => api.del(`/tokens/${encodeURIComponent(token.id)}`)).then(onRevoke)
          }
        />
      </td>
    </tr>
  );
}
