// The council tree, drawn as a tree: nested lists with connecting lines (CSS), so it stays a real list for
// screen readers and folds into an indented column on a phone. Each council says how many deputies it sends
// up, who sits in it, and when their terms end.
import { Link } from '../router.tsx';
import { councilName } from '../names.ts';
import { useWholeOrg } from '../session.tsx';
import { formatDate, t } from '../strings.ts';
import type { CouncilNode, Org } from '../types.ts';

export function TreePage() {
  const org = useWholeOrg();
  const root = org.councils.find((c) => c.id === org.rootCouncilId) ?? org.councils.find((c) => !c.parentId);
  return (
    <>
      <h1 tabIndex={-1}>{t('treeTitle', { org: org.name })}</h1>
      <p>{t('treeIntro')}</p>
      <div className="tree-scroll">
        <ul className="tree">{root && <TreeNode org={org} node={root} />}</ul>
      </div>
    </>
  );
}

function TreeNode({ org, node }: { org: Org; node: CouncilNode }) {
  const children = node.childIds
    .map((id) => org.councils.find((c) => c.id === id))
    .filter((c): c is CouncilNode => c !== undefined);
  return (
    <li className="tnode">
      <div className="node">
        <Link href={`/councils/${encodeURIComponent(node.id)}`} className="node-name">
          {node.name}
        </Link>
        <p className="hint">
          {t(node.kind === 'base' ? 'baseCouncil' : 'higherCouncil')} ·{' '}
          {t('members', { count: node.memberCount })}
        </p>
        {node.parentId ? (
          <p className="seats">
            {t('sendsSeats', { count: node.seatsInParent, parent: councilName(org, node.parentId) })}
          </p>
        ) : (
          <p className="seats">{t('rootCouncil')}</p>
        )}
        {node.kind === 'higher' &&
          (node.deputies.length === 0 ? (
            <p className="hint">{t('noDeputies')}</p>
          ) : (
            <ul className="deputies" aria-label={t('sitting')}>
              {node.deputies.map((d) => (
                <li key={d.id}>
                  {t('deputyFrom', { name: d.memberName, from: councilName(org, d.fromCouncilId) })}
                  <br />
                  <span className="hint">{t('termEnds', { date: formatDate(d.termEnds) })}</span>
                </li>
              ))}
            </ul>
          ))}
      </div>
      {children.length > 0 && (
        <ul className="branch">
          {children.map((c) => (
            <TreeNode key={c.id} org={org} node={c} />
          ))}
        </ul>
      )}
    </li>
  );
}
