import { useState } from 'react';
import { api } from '../api.ts';
import { ActionForm, Field, useAction } from '../components/form.tsx';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { t } from '../strings.ts';

export function SignInPage() {
  const { signedIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();
  const submit = async () => {
    const r = await action.run(() => api.post<{ csrfToken: string }>('/session', { email, password }));
    if (!r) return;
    await signedIn(r.csrfToken);
    if (location.pathname === '/sign-in') navigate('/');
  };
  return (
    <section className="narrow">
      <h1 tabIndex={-1}>{t('signInTitle')}</h1>
      <p>{t('signInIntro')}</p>
      <ActionForm
        label={t('signInTitle')}
        submit={t('signIn')}
        action={action}
        fields={['email', 'password']}
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
        <Field
          label={t('password')}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={setPassword}
          error={action.error}
        />
      </ActionForm>
      <p>
        <Link href="/forgot-password">{t('forgotPassword')}</Link>
      </p>
      <p className="hint">{t('noAccount')}</p>
    </section>
  );
}
