// The latest signed checkpoint of the record, where the server publishes one (GET …/record/checkpoint, added
// with the record API). Until then the panel says so; the entries are still browsable.
import { ApiFailure } from '../api.ts';
import { t } from '../strings.ts';
import { useLoad } from './form.tsx';

export function CheckpointPanel({ orgId }: { orgId: string }) {
  const cp = useLoad(
    () =>
      fetch(`/api/v1/orgs/${encodeURIComponent(orgId)}/record/checkpoint`, {
        credentials: 'same-origin',
      }).then(async (r) => {
        if (r.status === 404) return null;
        if (!r.ok) throw new ApiFailure(r.status, 'internal_error', r.statusText);
        return r.text();
      }),
    [orgId],
  );
  return (
    <section aria-labelledby="checkpoint" className="panel">
      <h2 id="checkpoint">{t('checkpoint')}</h2>
      {cp.data === undefined && !cp.error ? (
        <p>{t('loading')}</p>
      ) : cp.data ? (
        <pre className="checkpoint">{cp.data}</pre>
      ) : (
        <p>{t('noCheckpoint')}</p>
      )}
    </section>
  );
}
