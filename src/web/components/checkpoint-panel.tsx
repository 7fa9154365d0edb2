// The latest signed checkpoint of the record, where the server publishes one (GET …/record/checkpoint), and
// "Verify in my browser" with a progress bar. Until the server publishes checkpoints the panel says so; the
// entries are still browsable.
import { useState } from 'react';
import { ApiFailure } from '../api.ts';
import { t, tDynamic } from '../strings.ts';
import type { BrowserVerifyResult, EntryCheck } from '../record-check.ts';
import { ErrorText, useLoad } from './form.tsx';

/** The latest signed checkpoint's text; null when the server publishes none (yet). */
export function useCheckpoint(orgId: string) {
  return useLoad(
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
}

/** The tree size a checkpoint text states (its second line). */
export function checkpointSize(text: string | null | undefined): number {
  return text ? Number(text.split('\n')[1] ?? 0) || 0 : 0;
}

export function CheckpointPanel({ orgId, cp }: { orgId: string; cp: ReturnType<typeof useCheckpoint> }) {
  return (
    <section aria-labelledby="checkpoint" className="panel">
      <h2 id="checkpoint">{t('checkpoint')}</h2>
      {cp.data === undefined && !cp.error ? (
        <p>{t('loading')}</p>
      ) : cp.data ? (
        <>
          <pre className="checkpoint">{cp.data}</pre>
          <VerifyButton orgId={orgId} />
        </>
      ) : (
        <p>{t('noCheckpoint')}</p>
      )}
      <ErrorText error={cp.error} />
    </section>
  );
}

/** Checks one entry's inclusion proof against the signed checkpoint, in this browser. */
export function CheckEntryButton({ orgId, seq }: { orgId: string; seq: number }) {
  const [state, setState] = useState<{ busy: boolean; result?: EntryCheck; error?: unknown }>({
    busy: false,
  });
  const run = async () => {
    setState({ busy: true });
    try {
      const { checkEntry } = await import('../record-check.ts');
      setState({ busy: false, result: await checkEntry(orgId, seq) });
    } catch (e) {
      setState({ busy: false, error: e });
    }
  };
  const r = state.result;
  return (
    <span className="check-entry">
      <button type="button" className="secondary" disabled={state.busy} onClick={() => void run()}>
        {state.busy ? t('verifying') : t('checkEntry', { seq })}
      </button>
      <span aria-live="polite">
        {r &&
          (r.ok ? (
            <span className="verified"> {t('entryIncluded', { size: r.size })}</span>
          ) : (
            <span className="error"> {t('verifyFailed', { reason: r.reason ?? '' })}</span>
          ))}
        {state.error ? (
          <span className="error">
            {' '}
            {t('verifyFailed', {
              reason: state.error instanceof Error ? state.error.message : String(state.error),
            })}
          </span>
        ) : null}
      </span>
    </span>
  );
}

function VerifyButton({ orgId }: { orgId: string }) {
  const [progress, setProgress] = useState<{ phase: string; done: number; total: number } | null>(null);
  const [result, setResult] = useState<BrowserVerifyResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setResult(null);
    setError(null);
    try {
      const { verifyInBrowser } = await import('../record-check.ts');
      setResult(await verifyInBrowser(orgId, (p) => setProgress({ ...p })));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const r = result?.report;
  return (
    <div className="verify">
      <button type="button" onClick={() => void run()} disabled={busy}>
        {busy ? t('verifying') : t('verify')}
      </button>
      {busy && progress && (
        <p>
          <label htmlFor="verify-progress">
            {t('verifyPhase', { phase: progress.phase, done: progress.done, total: progress.total })}
          </label>
          <progress id="verify-progress" max={Math.max(1, progress.total)} value={progress.done} />
        </p>
      )}
      <div aria-live="polite">
        {r && (
          <>
            <p className={r.ok ? 'verified' : 'error'}>
              {r.ok
                ? t('verified', { size: r.size ?? 0 })
                : t('verifyFailed', {
                    reason: `${r.firstFailure?.title ?? ''}: ${r.firstFailure?.detail ?? ''}`,
                  })}
            </p>
            {r.ok && r.checks.some((c) => c.id === 'consistency' && c.status === 'pass') && (
              <p className="verified">{t('verifiedConsistent')}</p>
            )}
            {result.firstUse && <p className="hint">{t('keyTrustedFirstUse')}</p>}
            <ol className="checks">
              {r.checks.map((c) => (
                <li key={c.number} className={`check-${c.status}`}>
                  <strong>{tDynamic(`checkStatus_${c.status}`, c.status)}</strong> {c.title}
                  {c.detail && <span className="hint"> — {c.detail}</span>}
                </li>
              ))}
            </ol>
          </>
        )}
      </div>
      {error ? (
        <p className="error" role="alert">
          {t('verifyFailed', { reason: error instanceof Error ? error.message : String(error) })}
        </p>
      ) : null}
    </div>
  );
}
