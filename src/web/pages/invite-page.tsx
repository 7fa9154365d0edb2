// /invite/<token>: the link `councils init` and the council page print. Accepting creates the account, joins
// the council and signs in.
import { useState } from 'react';
import { api } from '../api.ts';
import { ActionForm, Field, Loading, useAction, useLoad } from '../components/form.tsx';
import { navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { formatDate, t } from '../strings.ts';

interface Invitation {
  organisation: { id: string; name: string };
  council: { id: string; name: string };
  name: string;
  expiresAt: string;
}

export function InvitePage({ token }: { token: string }) {
  const { signedIn } = useSession();
  const inv = useLoad(() => api.get<Invitation>(`/invitations/${encodeURIComponent(token)}`), [token]);
  const [name, setName] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();
  if (!inv.data)
    return (
      <section className="narrow">
        {inv.error ? <h1 tabIndex={-1}>{t('inviteBroken')}</h1> : null}
        <Loading error={inv.error} />
      </section>
    );
  const i = inv.data;
  const shownName = name ?? i.name;
  const submit = async () => {
    const r = await action.run(() =>
      api.post<{ csrfToken: string; orgId: string }>(`/invitations/${encodeURIComponent(token)}/accept`, {
        email,
        password,
        ...(shownName ? { name: shownName } : {}),
      }),
    );
    if (!r) return;
    await signedIn(r.csrfToken);
    navigate(`/councils/${encodeURIComponent(i.council.id)}`);
  };
  return (
    <section className="narrow">
      <h1 tabIndex={-1}>{t('inviteTitle', { council: i.council.name })}</h1>
      <p>{t('inviteIntro', { council: i.council.name, org: i.organisation.name })}</p>
      <p className="hint">{t('inviteExpires', { date: formatDate(i.expiresAt) })}</p>
      <ActionForm
        label={t('inviteFor', { name: i.name })}
        submit={t('acceptInvitation')}
        action={action}
        fields={['name', 'email', 'password']}
        onSubmit={submit}
      >
        <Field
          label={t('yourName')}
          name="name"
          autoComplete="name"
          required
          value={shownName}
          onChange={setName}
          error={action.error}
        />
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
          label={t('newPassword')}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={setPassword}
          error={action.error}
        />
      </ActionForm>
    </section>
  );
}
