// "My receipts": each secret ballot cast from this browser, checked against its vote's board in the worker
// (voterCheck: counted, superseded by a later ballot, invalid, spoiled, or not on the board).
import { useState } from 'react';
import type { VoterCheck } from '../../ballot/voter-check.ts';
import { explain } from '../components/form.tsx';
import { Link } from '../router.tsx';
import { useSignedIn } from '../session.tsx';
import { formatDate, t, tDynamic } from '../strings.ts';
import { ballotRequest } from './ballot-client.ts';
import { loadReceipts, type Receipt } from './receipts.ts';
import { secretApi } from './secret-api.ts';

export function ReceiptsPage() {
  const { me, org } = useSignedIn();
  const receipts = loadReceipts(org.id, me.member.id);
  return (
    <>
      <h1 tabIndex={-1}>{t('receiptsTitle')}</h1>
      <p>{t('receiptsIntro')}</p>
      {receipts.length === 0 ? (
        <p>{t('noReceipts')}</p>
      ) : (
        <ul className="plain receipts">
          {receipts.map((r) => (
            <ReceiptLine key={r.code} receipt={r} />
          ))}
        </ul>
      )}
    </>
  );
}

function ReceiptLine({ receipt }: { receipt: Receipt }) {
  const [state, setState] = useState<{ busy?: boolean; check?: VoterCheck; error?: unknown }>({});
  const run = async () => {
    setState({ busy: true });
    try {
      const { board } = await secretApi.board(receipt.orgId, receipt.voteId, 'all');
      setState({ check: (await ballotRequest({ op: 'check', board, code: receipt.code })).check });
    } catch (e) {
      setState({ error: e });
    }
  };
  const c = state.check;
  return (
    <li>
      <Link href={`/motions/${encodeURIComponent(receipt.motionId)}`}>{receipt.title}</Link>{' '}
      <span className="hint">{formatDate(receipt.castAt)}</span>
      <br />
      <code className="code">{receipt.code.match(/.{1,8}/g)!.join(' ')}</code>{' '}
      <button type="button" className="secondary" disabled={state.busy} onClick={() => void run()}>
        {state.busy ? t('verifying') : t('checkReceipt')}
      </button>
      <span aria-live="polite">
        {c && (
          <span className={c.status === 'counted' ? 'verified' : 'error'}>
            {' '}
            {tDynamic(`receipt_${c.status}`, c.status, { reason: c.status === 'invalid' ? c.reason : '' })}
          </span>
        )}
        {state.error ? <span className="error"> {explain(state.error)}</span> : null}
      </span>
    </li>
  );
}
