// What a signed-in person must not miss, on every page: a recall of their own mandate under way (they have the
// right of reply in its debate), and, for someone who accepted an invitation, that the council has not admitted
// them yet (docs/PROCEDURE.md "Recall", "Admission").
import { councilName } from '../names.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { t, tDynamic } from '../strings.ts';

export function StandingNotices() {
  const { me, org } = useSession();
  if (!me || !org) return null;
  const recalls = me.recalls ?? [];
  if (recalls.length === 0 && !me.admission) return null;
  return (
    <div className="standing-notices">
      {recalls.map((r) => (
        <p key={r.motionId} className="notice recall-notice" role="status">
          <Link href={`/motions/${encodeURIComponent(r.motionId)}`}>
            {t('recallAgainstYou', { title: r.title })}
          </Link>
        </p>
      ))}
      {me.admission && (
        <p className="notice" role="status">
          {t('admissionPending', {
            council: councilName(org, me.admission.councilId),
            status: tDynamic(`admission_${me.admission.status}`, me.admission.status),
          })}
        </p>
      )}
    </div>
  );
}
