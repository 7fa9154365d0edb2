// One request (docs/POWER.md): its content in words and as signed, who may approve, who has, how many are
// needed, the expiry. Approve signs the approval message in this browser with my key, after checking that the
// content shown hashes to the request's contentHash and that the message is the one made from it; Withdraw;
// for the member expelled, Appeal.
import { ActionButton, ErrorText, Loading, useAction, useLoad } from '../components/form.tsx';
import { Link } from '../router.tsx';
import { useSignedIn } from '../session.tsx';
import { formatDate, t, tDynamic } from '../strings.ts';
import { actName, actWords } from './act-words.ts';
import { approvalSignature, loadKey } from './approval-key.ts';
import { useDirectory } from './directory.ts';
import { powerApi, type RequestDetail } from './power-api.ts';
import { PowerNav } from './power-nav.tsx';
import { authorityWords, counting } from './requests-page.tsx';
import { useState } from 'react';

export function RequestPage({ id }: { id: string }) {
  const { org } = useSignedIn();
  const names = useDirectory(org).data;
  const request = useLoad(() => powerApi.request(org.id, id), [org.id, id]);
  const people = useDirectory(org);
  const r = request.data;
  if (!r) return <Loading error={request.error} />;
  const now = Date.now();
  const valid = counting(r, now);
  const name = (m: string) => people.data?.name(m) ?? m;
  return (
    <>
      <h1 tabIndex={-1}>{actName(r.kind)}</h1>
      <PowerNav current="requests" />
      <p>
        <span className={`badge state-${r.state}`}>{tDynamic(`requestState_${r.state}`, r.state)}</span>{' '}
        {t('requestedBy', { name: name(r.requestedBy), date: formatDate(r.requestedAt) })}
      </p>
      <section aria-labelledby="what" className="panel">
        <h2 id="what">{t('requestWhat')}</h2>
        <p className="act-words">{actWords(names, r.kind, r.content)}</p>
        <details>
          <summary>{t('requestSigned')}</summary>
          <pre className="checkpoint">{JSON.stringify({ kind: r.kind, content: r.content }, null, 2)}</pre>
          <p className="hint request-hash">{t('requestHash', { hash: r.contentHash })}</p>
        </details>
      </section>
      <section aria-labelledby="who">
        <h2 id="who">{t('requestWho')}</h2>
        <p>{authorityWords(r, names.council(r.councilId))}</p>
        <p>
          <progress
            max={r.required}
            value={Math.min(valid.length, r.required)}
            aria-labelledby="approvals-count"
          />{' '}
          <span id="approvals-count">
            {t('approvalsCount', { count: valid.length, required: r.required })}
          </span>
        </p>
        {r.state === 'pending' && <p>{t('requestExpires', { date: formatDate(r.expiresAt) })}</p>}
        {r.doneAt && <p className="verified">{t('requestDone', { date: formatDate(r.doneAt) })}</p>}
        {r.reversedAt && <p>{t('requestReversed', { date: formatDate(r.reversedAt) })}</p>}
        <ul className="plain approvers">
          {r.approvers.map((m) => {
            const mine = r.approvals.filter((a) => a.memberId === m);
            const last = mine[mine.length - 1];
            return (
              <li key={m}>
                {name(m)}:{' '}
                {!last
                  ? t('approverNotYet')
                  : last.withdrawnAt
                    ? t('approverWithdrew', { date: formatDate(last.withdrawnAt) })
                    : Date.parse(last.expiresAt) <= now
                      ? t('approverExpired', { date: formatDate(last.expiresAt) })
                      : t('approverApproved', { date: formatDate(last.approvedAt), key: last.keyId })}
              </li>
            );
          })}
        </ul>
      </section>
      <MyPart r={r} onDone={request.reload} />
    </>
  );
}

function MyPart({ r, onDone }: { r: RequestDetail; onDone(): void }) {
  const { me, org } = useSignedIn();
  const approve = useAction();
  const withdraw = useAction();
  const appeal = useAction();
  const [refused, setRefused] = useState<unknown>(null);
  // The reset link the council issued, when my approval completed a reset_password act: shown once, to hand over.
  const [resetLink, setResetLink] = useState<string | null>(null);
  const memberId = me.member.id;
  const approver = r.approvers.includes(memberId);
  const mine = r.approvals.filter((a) => a.memberId === memberId);
  const standing = mine.find((a) => a.withdrawnAt === null);
  const expelled = r.kind === 'expel_member' && r.content.memberId === memberId && r.state === 'done';
  if (resetLink) return <ResetLinkPanel link={resetLink} memberId={r.content.memberId as string} />;
  if (!approver && !expelled) return <p>{t('notAnApprover')}</p>;
  const key = loadKey(org.id, memberId);
  const doApprove = () => {
    setRefused(null);
    if (!key) return;
    const signature = approvalSignature(org.id, r, key);
    if (signature === null) {
      setRefused(new Error(t('approvalMismatch')));
      return;
    }
    void approve
      .run(() => powerApi.approve(org.id, r.id, signature))
      .then((x) => {
        if (!x) return;
        if (x.resetLink) setResetLink(x.resetLink);
        onDone();
      });
  };
  return (
    <section aria-labelledby="my-part" className="panel">
      <h2 id="my-part">{t('myPart')}</h2>
      {approver && r.state === 'pending' && !standing && (
        <>
          {key ? (
            <p className="hint">{t('approveWithKey', { id: key.keyId })}</p>
          ) : (
            <p>
              {t('approveNeedsKey')} <Link href="/key">{t('navKey')}</Link>
            </p>
          )}
          {key && <ActionButton label={t('approve')} action={approve} onClick={doApprove} />}
          <ErrorText error={refused} />
        </>
      )}
      {approver && standing && (
        <>
          <p>{t('youApproved', { date: formatDate(standing.approvedAt) })}</p>
          {r.state === 'pending' && (
            <ActionButton
              label={t('withdrawApproval')}
              action={withdraw}
              className="secondary"
              onClick={() =>
                void withdraw
                  .run(() => powerApi.withdraw(org.id, r.id))
                  .then((x) => x !== undefined && onDone())
              }
            />
          )}
        </>
      )}
      {expelled && (
        <>
          <p>{t('appealIntro')}</p>
          <ActionButton
            label={t('appeal')}
            action={appeal}
            onClick={() =>
              void appeal.run(() => powerApi.appeal(org.id, r.id)).then((x) => x !== undefined && onDone())
            }
          />
        </>
      )}
    </section>
  );
}

function ResetLinkPanel({ link, memberId }: { link: string; memberId: string }) {
  const { org } = useSignedIn();
  const people = useDirectory(org);
  const name = people.data?.name(memberId) ?? memberId;
  return (
    <section aria-labelledby="reset-link" className="panel">
      <h2 id="reset-link">{t('resetLinkIssuedTitle')}</h2>
      <p role="status">{t('resetLinkIssued', { name })}</p>
      <input
        readOnly
        aria-label={t('resetLinkIssuedTitle')}
        value={link}
        onFocus={(e) => e.target.select()}
      />
    </section>
  );
}
