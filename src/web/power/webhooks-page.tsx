// Webhooks (docs/NOTIFICATIONS.md "Webhooks"): the organisation's endpoints; a form that requests one (a privileged
// act, approved on its request page) and shows its signing secret this once; for the endpoint's managers, its
// deliveries with Replay, Disable or Enable, and the requests for a new secret or its removal.
import { useState } from 'react';
import type {
  WebhookDeliveriesT,
  WebhookEndpointT as Endpoint,
  WebhookEndpointsT,
  WebhookRequestedT as Requested,
} from '../../server/responses/webhooks.ts';
import { api } from '../api.ts';
import {
  ActionButton,
  ActionForm,
  ErrorText,
  Field,
  Loading,
  Reveal,
  useAction,
  useLoad,
} from '../components/form.tsx';
import { Link } from '../router.tsx';
import { useSignedIn } from '../session.tsx';
import { useDirectory } from './directory.ts';
import { councilSearch, SearchPicker } from '../components/search-picker.tsx';
import { formatDate, t } from '../strings.ts';
import type { Org } from '../types.ts';
import { PowerNav } from './power-nav.tsx';

const base = (orgId: string) => `/orgs/${encodeURIComponent(orgId)}/webhooks`;
const one = (orgId: string, id: string) => `${base(orgId)}/${encodeURIComponent(id)}`;

export function WebhooksPage() {
  const { org } = useSignedIn();
  const list = useLoad(() => api.get<WebhookEndpointsT>(base(org.id)), [org.id]);
  const [made, setMade] = useState<Requested | null>(null);
  return (
    <>
      <h1 tabIndex={-1}>{t('webhooksTitle')}</h1>
      <PowerNav current="webhooks" />
      <p>{t('webhooksIntro')}</p>
      {made && <SecretOnce made={made} />}
      {!list.data ? (
        <Loading error={list.error} />
      ) : list.data.endpoints.length === 0 ? (
        <p>{t('webhooksNone')}</p>
      ) : (
        <ul className="plain">
          {list.data.endpoints.map((e) => (
            <EndpointCard key={e.id} org={org} e={e} onMade={setMade} onChange={list.reload} />
          ))}
        </ul>
      )}
      <section aria-labelledby="webhook-request">
        <h2 id="webhook-request">{t('webhookRequest')}</h2>
        <p className="hint">{t('webhookRequestIntro')}</p>
        {list.data && (
          <Reveal label={t('webhookRequest')}>
            <RequestForm org={org} eventTypes={list.data.eventTypes} onMade={setMade} />
          </Reveal>
        )}
      </section>
    </>
  );
}

/** The secret of a request just made: shown here only, once. */
function SecretOnce({ made }: { made: Requested }) {
  return (
    <div className="card notice" role="status">
      <p>{t('webhookSecretOnce')}</p>
      <p>
        <code className="secret">{made.secret}</code>
      </p>
      <p>
        <Link href={`/requests/${encodeURIComponent(made.requestId)}`}>{t('webhookGoApprove')}</Link>
      </p>
    </div>
  );
}

function RequestForm(p: { org: Org; eventTypes: string[]; onMade(r: Requested): void }) {
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const [wholeOrg, setWholeOrg] = useState(true);
  const [council, setCouncil] = useState('');
  const [councilLabel, setCouncilLabel] = useState('');
  const action = useAction();
  const toggle = (ev: string) =>
    setEvents((now) => (now.includes(ev) ? now.filter((x) => x !== ev) : [...now, ev]));
  return (
    <ActionForm
      label={t('webhookRequest')}
      submit={t('webhookSubmit')}
      action={action}
      fields={['url', 'events']}
      onSubmit={async () => {
        const r = await action.run(() =>
          api.post<Requested>(base(p.org.id), { url, events, councilId: council === '' ? null : council }),
        );
        if (r) p.onMade(r);
      }}
    >
      <Field
        label={t('webhookUrl')}
        name="url"
        value={url}
        onChange={setUrl}
        type="url"
        required
        error={action.error}
      />
      <fieldset>
        <legend>{t('webhookEvents')}</legend>
        {p.eventTypes.map((ev) => (
          <label key={ev} className="check">
            <input type="checkbox" checked={events.includes(ev)} onChange={() => toggle(ev)} />{' '}
            <code>{ev}</code>
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="webhook-council">{t('webhookScope')}</label>
        <select
          id="webhook-council"
          value={wholeOrg ? '' : 'council'}
          onChange={(e) => {
            setWholeOrg(e.target.value === '');
            if (e.target.value === '') setCouncil('');
          }}
        >
          <option value="">{t('webhookWholeOrg')}</option>
          <option value="council">{t('webhookOneCouncil')}</option>
        </select>
      </div>
      {!wholeOrg && (
        <SearchPicker
          label={t('council')}
          search={councilSearch(p.org.id)}
          chosen={council === '' ? null : { id: council, name: councilLabel }}
          onPick={(c) => {
            setCouncil(c.id);
            setCouncilLabel(c.name);
          }}
        />
      )}
    </ActionForm>
  );
}

function EndpointCard(p: { org: Org; e: Endpoint; onMade(r: Requested): void; onChange(): void }) {
  const { org, e } = p;
  const names = useDirectory(org).data;
  const toggle = useAction();
  const rotate = useAction();
  const remove = useAction();
  const [removal, setRemoval] = useState<Requested | null>(null);
  return (
    <li className="card">
      <h2>
        <code>{e.url}</code>
      </h2>
      <p>
        {e.events.map((ev) => (
          <code key={ev}>{ev} </code>
        ))}
      </p>
      <p className="hint">
        {e.councilId === null ? t('webhookWholeOrg') : names.council(e.councilId)} ·{' '}
        {t('webhookRegistered', { date: formatDate(e.registeredAt) })}
        {e.lastSuccessAt && <> · {t('webhookLastSuccess', { date: formatDate(e.lastSuccessAt) })}</>}
      </p>
      {e.disabledAt && (
        <p className="error">{t('webhookDisabled', { reason: e.disabledReason ?? 'manual' })}</p>
      )}
      {e.mayManage && (
        <>
          <p className="actions">
            <ActionButton
              label={e.disabledAt ? t('webhookEnable') : t('webhookDisable')}
              action={toggle}
              onClick={() =>
                void toggle
                  .run(() => api.put(`${one(org.id, e.id)}/enabled`, { enabled: e.disabledAt !== null }))
                  .then(p.onChange)
              }
            />
            <ActionButton
              label={t('webhookRotate')}
              action={rotate}
              className="secondary"
              onClick={() =>
                void rotate
                  .run(() => api.post<Requested>(`${one(org.id, e.id)}/rotate`))
                  .then((r) => r && p.onMade(r))
              }
            />
            <ActionButton
              label={t('webhookRemove')}
              action={remove}
              className="secondary"
              onClick={() =>
                void remove
                  .run(() => api.post<Requested>(`${one(org.id, e.id)}/remove`))
                  .then((r) => r && setRemoval(r))
              }
            />
          </p>
          {removal && (
            <p role="status">
              <Link href={`/requests/${encodeURIComponent(removal.requestId)}`}>{t('webhookGoApprove')}</Link>
            </p>
          )}
          <Reveal label={t('webhookDeliveries')}>
            <Deliveries org={org} e={e} />
          </Reveal>
        </>
      )}
    </li>
  );
}

function Deliveries({ org, e }: { org: Org; e: Endpoint }) {
  const page = useLoad(
    () => api.get<WebhookDeliveriesT>(`${one(org.id, e.id)}/deliveries?limit=50`),
    [org.id, e.id],
  );
  const replay = useAction();
  if (!page.data) return <Loading error={page.error} />;
  if (page.data.deliveries.length === 0) return <p>{t('webhookNoDeliveries')}</p>;
  return (
    <>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('webhookEvent')}</th>
            <th scope="col">{t('webhookMade')}</th>
            <th scope="col">{t('webhookAttempts')}</th>
            <th scope="col">{t('webhookState')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('webhookReplay')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {page.data.deliveries.map((d) => (
            <tr key={d.id}>
              <td>
                <code>{d.eventType}</code>
              </td>
              <td>{formatDate(d.createdAt)}</td>
              <td>{d.attempts}</td>
              <td>
                {d.deliveredAt
                  ? t('webhookDelivered')
                  : d.failedAt
                    ? t('webhookFailed', { error: d.lastError ?? '' })
                    : t('webhookWaiting')}
              </td>
              <td>
                <button
                  type="button"
                  className="secondary"
                  disabled={replay.busy}
                  onClick={() =>
                    void replay
                      .run(() => api.post(`${one(org.id, e.id)}/deliveries/${d.id}/replay`))
                      .then(page.reload)
                  }
                >
                  {t('webhookReplay')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorText error={replay.error} />
    </>
  );
}
