// Collective admission (docs/PROCEDURE.md "Admission"): a council's admissions, each with who proposed it, who
// approved and who objected, and where it stands; a member other than the proposer may approve it or object (an
// objection sends it to an admission motion, linked here). The buttons appear only for those who may use them.
import { useState } from 'react';
import { api } from '../api.ts';
import { Link } from '../router.tsx';
import { useLive } from '../live.tsx';
import { formatDate, t, tDynamic } from '../strings.ts';
import type { Admission } from '../types.ts';
import { ActionButton, ActionForm, Field, Loading, Reveal, useAction, useLoad } from './form.tsx';

const orgPath = (orgId: string) => `/orgs/${encodeURIComponent(orgId)}`;

export function Admissions(p: { orgId: string; councilId: string; memberId: string; mine: boolean }) {
  // Admissions' entries name their council or only their invitation: loaded again on either.
  const live = useLive((c) => c.councilId === undefined || c.councilId === p.councilId);
  const list = useLoad(
    () =>
      api.get<{ admissions: Admission[] }>(
        `${orgPath(p.orgId)}/councils/${encodeURIComponent(p.councilId)}/admissions`,
      ),
    [p.orgId, p.councilId, live],
  );
  if (!list.data) return <Loading error={list.error} />;
  if (list.data.admissions.length === 0) return null;
  return (
    <section aria-labelledby="admissions">
      <h2 id="admissions">{t('admissionsTitle')}</h2>
      <ul className="plain">
        {list.data.admissions.map((a) => (
          <AdmissionLine key={a.invitationId} admission={a} {...p} onDone={list.reload} />
        ))}
      </ul>
    </section>
  );
}

function AdmissionLine(p: {
  admission: Admission;
  orgId: string;
  memberId: string;
  mine: boolean;
  onDone(): void;
}) {
  const a = p.admission;
  const approve = useAction();
  const object = useAction();
  const [text, setText] = useState('');
  const open = a.status === 'awaiting_approvals' || a.status === 'objection_period';
  const may = p.mine && open && a.proposedBy.id !== p.memberId;
  const path = `${orgPath(p.orgId)}/admissions/${encodeURIComponent(a.invitationId)}`;
  return (
    <li>
      <strong>{a.name}</strong>{' '}
      <span className={`badge admission-${a.status}`}>{tDynamic(`admission_${a.status}`, a.status)}</span>
      <br />
      <span className="hint">
        {t('admissionProposedBy', { name: a.proposedBy.name, date: formatDate(a.proposedAt) })}
        {a.approvals.length > 0 &&
          ` · ${t('admissionApprovedBy', { names: a.approvals.map((x) => x.name).join(', ') })}`}
        {a.status === 'awaiting_approvals' &&
          ` · ${t('admissionApprovalsNeeded', { count: a.required - a.approvals.length })}`}
        {a.status === 'objection_period' &&
          a.objectionEnds &&
          ` · ${t('admissionObjectionsUntil', { date: formatDate(a.objectionEnds) })}`}
      </span>
      {a.objections.map((o) => (
        <p key={o.memberId + o.at} className="hint">
          {t('admissionObjected', { name: o.name, text: o.text })}
        </p>
      ))}
      {a.motionId && (
        <p>
          <Link href={`/motions/${encodeURIComponent(a.motionId)}`}>{t('admissionMotion')}</Link>
        </p>
      )}
      {may && !a.approvals.some((x) => x.memberId === p.memberId) && a.status === 'awaiting_approvals' && (
        <ActionButton
          label={t('admissionApprove', { name: a.name })}
          action={approve}
          onClick={() => void approve.run(() => api.post(`${path}/approvals`)).then((r) => r && p.onDone())}
        />
      )}
      {may && (
        <Reveal label={t('admissionObject', { name: a.name })}>
          <ActionForm
            label={t('admissionObject', { name: a.name })}
            submit={t('admissionObjectSubmit')}
            action={object}
            fields={['text']}
            onSubmit={async () => {
              if (await object.run(() => api.post(`${path}/objections`, { text }))) p.onDone();
            }}
          >
            <Field
              label={t('admissionObjectReason')}
              name="text"
              value={text}
              onChange={setText}
              error={object.error}
              multiline
            />
          </ActionForm>
        </Reveal>
      )}
    </li>
  );
}
