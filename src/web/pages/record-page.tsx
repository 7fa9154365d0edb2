// The record: the organisation's log, entry by entry, latest first in pages of 50; and the checkpoint with
// in-browser verification where the server publishes one (src/web/record-check.ts).
import { useState } from 'react';
import { api } from '../api.ts';
import { Loading, useLoad } from '../components/form.tsx';
import {
  CheckEntryButton,
  CheckpointPanel,
  checkpointSize,
  useCheckpoint,
} from '../components/checkpoint-panel.tsx';
import { Link } from '../router.tsx';
import { useSignedIn } from '../session.tsx';
import { formatDate, t } from '../strings.ts';
import type { LogEntry, Names } from '../types.ts';

const pageSize = 50;

export function RecordPage() {
  const { org } = useSignedIn();
  const total = org.entries;
  const lastPage = Math.max(0, Math.floor((total - 1) / pageSize));
  const [page, setPage] = useState(lastPage);
  const from = page * pageSize;
  const log = useLoad(
    () =>
      api.get<{ entries: LogEntry[] }>(
        `/orgs/${encodeURIComponent(org.id)}/log?from=${from}&limit=${pageSize}`,
      ),
    [org.id, from],
  );
  const entries = log.data ? [...log.data.entries].reverse() : [];
  const cp = useCheckpoint(org.id);
  // The names of this page's actors only, for the "By" column (entries name their actor by id).
  const actors = [...new Set(entries.flatMap((e) => (e.actor === null ? [] : [e.actor])))].sort().join(',');
  const names = useLoad(
    async () =>
      actors === ''
        ? new Map<string, string>()
        : new Map(
            Object.entries(
              (
                await api.get<Names>(
                  `/orgs/${encodeURIComponent(org.id)}/names?members=${encodeURIComponent(actors)}`,
                )
              ).members,
            ),
          ),
    [org.id, actors],
  );
  const covered = checkpointSize(cp.data);
  return (
    <>
      <h1 tabIndex={-1}>{t('recordTitle')}</h1>
      <p>{t('recordIntro')}</p>
      <p>
        <Link href="/record/settings">{t('navRecordSettings')}</Link>
      </p>
      <CheckpointPanel orgId={org.id} cp={cp} />
      <section aria-labelledby="entries">
        <h2 id="entries">{t('entries')}</h2>
        <p aria-live="polite">
          {t('entriesRange', { from, to: Math.min(total, from + pageSize) - 1, total })}
        </p>
        <div className="pager">
          <button
            type="button"
            className="secondary"
            disabled={page >= lastPage}
            onClick={() => setPage(page + 1)}
          >
            {t('newer')}
          </button>
          <button type="button" className="secondary" disabled={page === 0} onClick={() => setPage(page - 1)}>
            {t('older')}
          </button>
        </div>
        {!log.data ? (
          <Loading error={log.error} />
        ) : (
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="entries">
            <table className="log">
              <thead>
                <tr>
                  <th scope="col">{t('entrySeq')}</th>
                  <th scope="col">{t('entryTime')}</th>
                  <th scope="col">{t('entryAct')}</th>
                  <th scope="col">{t('entryActor')}</th>
                  <th scope="col">{t('entryPayload')}</th>
                  {covered > 0 && <th scope="col">{t('entryProof')}</th>}
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.seq}>
                    <td>{e.seq}</td>
                    <td>{formatDate(e.time)}</td>
                    <td>{e.act.replace(/_/g, ' ')}</td>
                    <td>
                      {e.actor === null
                        ? t('founders')
                        : (names.data?.get(e.actor) ?? <span className="mono">{e.actor}</span>)}
                    </td>
                    <td>
                      <details>
                        <summary>{t('showPayload')}</summary>
                        <pre>{JSON.stringify(e.payload, null, 2)}</pre>
                      </details>
                    </td>
                    {covered > 0 && (
                      <td>
                        {e.seq < covered ? (
                          <CheckEntryButton orgId={org.id} seq={e.seq} />
                        ) : (
                          <span className="hint">{t('notYetCovered')}</span>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
