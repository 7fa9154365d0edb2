// One petition (docs/POWER.md, "Petitions from below"): its text, state and deadline, progress (per council for
// a rising one), who signed and when, Sign, and the motion it opened.
import { ActionButton, Loading, useAction, useLoad } from '../components/form.tsx';
import { MoreButton, usePages } from '../components/pages.tsx';
import { Link } from '../router.tsx';
import { useSignedIn } from '../session.tsx';
import { formatDate, t, tDynamic } from '../strings.ts';
import { useDirectory } from './directory.ts';
import { powerApi } from './power-api.ts';

export function PetitionPage({ id }: { id: string }) {
  const { me, org } = useSignedIn();
  const names = useDirectory(org).data;
  const petition = useLoad(() => powerApi.petition(org.id, id), [org.id, id]);
  // The signatures a page at a time, with their signers' names (the petition's own first page has none).
  const signatures = usePages((after) => powerApi.signatures(org.id, id, after), [org.id, id]);
  const people = useDirectory(org);
  const sign = useAction();
  const p = petition.data;
  if (!p) return <Loading error={petition.error} />;
  const lapsed = !p.succeededAt && Date.parse(p.deadline) < Date.now();
  const signed = p.signedByMe ?? p.signatures.some((s) => s.memberId === me.member.id);
  const councils = Object.keys(p.required);
  return (
    <>
      <h1 tabIndex={-1}>{p.title}</h1>
      <p>
        <span className="badge">{tDynamic(`petition_${p.kind}`, p.kind)}</span>{' '}
        {t('petitionIn', { council: names.council(p.targetCouncilId ?? p.councilId) })} ·{' '}
        {t('petitionOpenedBy', { name: people.data?.name(p.openedBy) ?? '…', date: formatDate(p.openedAt) })}
      </p>
      {p.text && <p className="petition-text">{p.text}</p>}
      <section aria-labelledby="state" className="panel">
        <h2 id="state">{t('petitionState')}</h2>
        {p.succeededAt ? (
          <p className="verified">
            {t('petitionSucceededAt', { date: formatDate(p.succeededAt) })}{' '}
            {p.motionId && (
              <Link href={`/motions/${encodeURIComponent(p.motionId)}`}>{t('petitionMotion')}</Link>
            )}
          </p>
        ) : lapsed ? (
          <p>{t('petitionLapsed', { date: formatDate(p.deadline) })}</p>
        ) : (
          <p>{t('petitionDeadline', { date: formatDate(p.deadline) })}</p>
        )}
        <ul className="plain">
          {councils.map((c) => {
            const count = p.signatureCounts?.[c] ?? 0;
            const required = p.required[c] ?? 0;
            return (
              <li key={c}>
                {names.council(c)}: {t('petitionProgress', { count, required })}{' '}
                <progress
                  max={Math.max(1, required)}
                  value={Math.min(count, required)}
                  aria-label={`${names.council(c)}: ${t('petitionProgress', { count, required })}`}
                />
                {p.passedIn.includes(c) && ` ${t('petitionPassedHere')}`}
              </li>
            );
          })}
        </ul>
        {p.targetCouncilId && (
          <p>{t('petitionRises', { passed: p.passedIn.length, needed: p.councilsRequired })}</p>
        )}
        {!p.succeededAt && !lapsed && !signed && (
          <ActionButton
            label={t('signPetition')}
            action={sign}
            onClick={() =>
              void sign
                .run(() => powerApi.sign(org.id, p.id))
                .then((r) => r && (petition.reload(), signatures.reload()))
            }
          />
        )}
        {signed && <p>{t('petitionYouSigned')}</p>}
      </section>
      <section aria-labelledby="signatures">
        <h2 id="signatures">{t('petitionSignatures', { count: p.signatureCount })}</h2>
        {!signatures.items ? (
          <Loading error={signatures.error} />
        ) : (
          <>
            <ol className="signatures">
              {signatures.items.map((s) => (
                <li key={s.memberId}>
                  {s.name || s.memberId}{' '}
                  <span className="hint">
                    {names.council(s.councilId)}, {formatDate(s.signedAt)}
                  </span>
                </li>
              ))}
            </ol>
            <MoreButton pages={signatures} />
          </>
        )}
      </section>
    </>
  );
}
