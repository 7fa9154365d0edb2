// The pages of a forgotten password and of a new e-mail address (docs/ACCOUNTS.md), open without signing in:
// /forgot-password asks for a link (or says to ask the council when the server sends no e-mail), /reset/<token>
// sets a new password by a one-time link, /confirm-email/<token> confirms a new address.
import { useState } from 'react';
import { api } from '../api.ts';
import { ActionForm, Field, Loading, useAction, useLoad } from '../components/form.tsx';
import { Link } from '../router.tsx';
import { formatDate, t } from '../strings.ts';
import type { ResetLinkView } from '../../server/responses/account.ts';

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [answer, setAnswer] = useState<{ byEmail: boolean } | null>(null);
  const action = useAction();
  const submit = async () => {
    const r = await action.run(() => api.post<{ byEmail: boolean }>('/password-resets', { email }));
    if (r) setAnswer(r);
  };
  return (
    <section className="narrow">
      <h1 tabIndex={-1}>{t('forgotTitle')}</h1>
      {answer ? (
        <p role="status">{answer.byEmail ? t('forgotSent') : t('forgotAskCouncil')}</p>
      ) : (
        <>
          <p>{t('forgotIntro')}</p>
          <ActionForm
            label={t('forgotTitle')}
            submit={t('forgotSubmit')}
            action={action}
            fields={['email']}
            onSubmit={submit}
          >
            <Field
              label={t('email')}
              name="email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={setEmail}
              error={action.error}
            />
          </ActionForm>
        </>
      )}
      <p>
        <Link href="/sign-in">{t('backToSignIn')}</Link>
      </p>
    </section>
  );
}

export function ResetPage({ token }: { token: string }) {
  const link = useLoad(
    () => api.get<ResetLinkView>(`/password-resets/${encodeURIComponent(token)}`),
    [token],
  );
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const action = useAction();
  if (done)
    return (
      <section className="narrow">
        <h1 tabIndex={-1}>{t('resetTitle')}</h1>
        <p role="status">{t('resetDone')}</p>
        <p>
          <Link href="/sign-in">{t('signIn')}</Link>
        </p>
      </section>
    );
  if (!link.data)
    return (
      <section className="narrow">
        <h1 tabIndex={-1}>{t('resetTitle')}</h1>
        <Loading error={link.error} />
        {link.error ? (
          <p>
            <Link href="/forgot-password">{t('forgotPassword')}</Link>
          </p>
        ) : null}
      </section>
    );
  const submit = async () => {
    const r = await action.run(() =>
      api.post(`/password-resets/${encodeURIComponent(token)}`, { password }).then(() => true),
    );
    if (r) setDone(true);
  };
  return (
    <section className="narrow">
      <h1 tabIndex={-1}>{t('resetTitle')}</h1>
      <p>{t('resetFor', { name: link.data.name ?? '—', date: formatDate(link.data.expiresAt) })}</p>
      <ActionForm
        label={t('resetTitle')}
        submit={t('resetSubmit')}
        action={action}
        fields={['password']}
        onSubmit={submit}
      >
        <Field
          label={t('chosenPassword')}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint={t('passwordRules')}
          value={password}
          onChange={setPassword}
          error={action.error}
        />
      </ActionForm>
    </section>
  );
}

export function ConfirmEmailPage({ token }: { token: string }) {
  const [email, setEmail] = useState<string | null>(null);
  const action = useAction();
  const submit = async () => {
    const r = await action.run(() =>
      api.post<{ email: string }>(`/email-confirmations/${encodeURIComponent(token)}`),
    );
    if (r) setEmail(r.email);
  };
  return (
    <section className="narrow">
      <h1 tabIndex={-1}>{t('confirmEmailTitle')}</h1>
      {email ? (
        <p role="status">{t('confirmEmailDone', { email })}</p>
      ) : (
        <ActionForm
          label={t('confirmEmailTitle')}
          submit={t('confirmEmailSubmit')}
          action={action}
          fields={[]}
          onSubmit={submit}
        />
      )}
    </section>
  );
}
