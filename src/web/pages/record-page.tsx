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
import { useLive } from '../live.tsx';
import { Link } from '../router.tsx';
import { useSignedIn } from '../session.tsx';
import { formatDate, t, tDynamic } from '../strings.ts';
import type { LogEntry, Names, Org } from '../types.ts';

const pageSize = 50;
/** Entries read before a page, so its first rows can name the act that set the rules going. */
const lookBack = 20;

/** Acts the rules carry out as the consequence of a member's act (a ballot that closes a vote, …). */
const consequences = new Set([
  'vote_closed',
  'vote_result_part',
  'vote_failed',
  'motion_decided',
  'mandate_ended',
  'mandate_started',
  'petition_succeeded',
  'petition_passed',
  'privileged_act_done',
  'pay_scheme_adopted',
  'record_revealed',
  'debate_opened',
  'vote_opened',
  'motion_moved',
]);

/**
 * For each entry the rules carried out, the member's act that set them going: the first entry of its run (the
 * entries one command appended share their actor and time; the first is the member's own act).
 */
export function triggers(entries: readonly LogEntry[]): Map<number, LogEntry> {
  const out = new Map<number, LogEntry>();
  let first: LogEntry | undefined;
  let prev: LogEntry | undefined;
  for (const e of entries) {
    const sameRun = prev !== undefined && prev.actor === e.actor && prev.time === e.time;
    if (!sameRun) first = e;
    else if (consequences.has(e.act) && e.actor !== null) out.set(e.seq, first!);
    prev = e;
  }
  return out;
}

export const actWords = (act: string): string => tDynamic(`logAct_${act}`, act.replace(/_/g, ' '));

export function RecordPage() {
  const { org } = useSignedIn();
  // The record's size now (the organisation read at sign-in may be older), read again as entries are appended (the
  // live stream), so the latest page shows new entries without a reload; an older page stays where it is.
  const [back, setBack] = useState(0);
  const live = useLive(() => true);
  const size = useLoad(
    () => api.get<Org>(`/orgs/${encodeURIComponent(org.id)}`),
    [org.id, back === 0 ? live : -1],
  );
  const total = size.data?.entries ?? org.entries;
  // Pages counted back from the latest: 0 holds the latest 50 entries (issue #17: it opened on the oldest end's
  // remainder, "Entries 100 to 100 of 101").
  const to = Math.max(0, total - back * pageSize);
  const from = Math.max(0, to - pageSize);
  const readFrom = Math.max(0, from - lookBack);
  const log = useLoad(
    () =>
      size.data
        ? api.get<{ entries: LogEntry[] }>(
            `/orgs/${encodeURIComponent(org.id)}/log?from=${readFrom}&limit=${to - readFrom}`,
          )
        : new Promise<never>(() => undefined),
    [org.id, readFrom, to, size.data],
  );
  const read = log.data?.entries ?? [];
  const byRules = triggers(read);
  const entries = read.filter((e) => e.seq >= from).reverse();
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
        <p aria-live="polite">{t('entriesRange', { from, to: to - 1, total })}</p>
        <div className="pager">
          <button type="button" className="secondary" disabled={back === 0} onClick={() => setBack(back - 1)}>
            {t('newer')}
          </button>
          <button type="button" className="secondary" disabled={from === 0} onClick={() => setBack(back + 1)}>
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
                    <td>{actWords(e.act)}</td>
                    <td>
                      {e.actor === null
                        ? t('founders')
                        : byRules.has(e.seq)
                          ? t('byTheRules', {
                              act: actWords(byRules.get(e.seq)!.act),
                              name: names.data?.get(e.actor) ?? e.actor,
                            })
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
