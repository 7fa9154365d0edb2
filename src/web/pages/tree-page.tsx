// The council tree, drawn as a tree: nested lists with connecting lines (CSS), so it stays a real list for
// screen readers and folds into an indented column on a phone. Each council says how many deputies it sends
// up, who sits in it, and when their terms end. It comes a page of councils at a time, top-down (GET …/tree?limit=):
// each page adds councils below those already drawn, so the tree grows downwards with "More councils"
// (docs/SCALE.md).
import { useState } from 'react';
import { api, ApiFailure } from '../api.ts';
import { Loading, useLoad } from '../components/form.tsx';
import { Link } from '../router.tsx';
import { useSignedIn } from '../session.tsx';
import { formatDate, t } from '../strings.ts';
import type { CouncilNode, CouncilTree } from '../types.ts';

/** Councils a page of the tree holds. */
const treePage = 100;

/** The councils loaded so far, by id, and the names of the councils they name. */
interface Drawn {
  byId: Map<string, CouncilNode>;
  name: (id: string) => string;
}

export function TreePage() {
  const { org } = useSignedIn();
  const path = `/orgs/${encodeURIComponent(org.id)}/tree`;
  // Read again when councils come or go, not at every entry: a busy log would fold the pages a reader opened.
  const first = useLoad(() => api.get<CouncilTree>(`${path}?limit=${treePage}`), [org.id, org.councilCount]);
  // The pages after the first, for the first page they follow (a newer first page starts again).
  const [more, setMore] = useState<{ after: CouncilTree; pages: CouncilTree[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  // A council the next page would start after was dissolved or merged meanwhile: its cursor names no council, so
  // the tree is read again from the top, with a word to say why the councils shown folded up.
  const [restarted, setRestarted] = useState(false);
  if (!first.data) return <Loading error={first.error} />;
  const pages = [first.data, ...(more?.after === first.data ? more.pages : [])];
  const next = pages[pages.length - 1]!.next;
  const councils = pages.flatMap((p) => p.councils);
  const byId = new Map(councils.map((c) => [c.id, c]));
  const names = new Map(pages.flatMap((p) => Object.entries(p.councilNames)));
  const drawn: Drawn = { byId, name: (id) => byId.get(id)?.name ?? names.get(id) ?? id };
  const roots = councils.filter((c) => c.parentId === null || !byId.has(c.parentId));
  const loadMore = (after: string) => {
    const base = first.data!;
    void api.get<CouncilTree>(`${path}?limit=${treePage}&after=${encodeURIComponent(after)}`).then(
      (page) => setMore((old) => ({ after: base, pages: [...(old?.after === base ? old.pages : []), page] })),
      (e: unknown) => {
        if (e instanceof ApiFailure && e.code === 'invalid_request' && e.field === 'after') {
          setMore(null);
          setRestarted(true);
          first.reload();
        } else setError(e);
      },
    );
  };
  return (
    <>
      <h1 tabIndex={-1}>{t('treeTitle', { org: org.name })}</h1>
      <p>{t('treeIntro')}</p>
      {restarted && (
        <p className="notice" role="status">
          {t('treeRestarted')}
        </p>
      )}
      <div className="tree-scroll">
        <ul className="tree">
          {roots.map((c) => (
            <TreeNode key={c.id} drawn={drawn} node={c} />
          ))}
        </ul>
      </div>
      {next !== null && (
        <>
          <p className="hint">{t('treeShown', { shown: councils.length, total: org.councilCount })}</p>
          <button type="button" className="secondary" onClick={() => loadMore(next)}>
            {t('moreCouncils')}
          </button>
        </>
      )}
      {error !== null && <Loading error={error} />}
    </>
  );
}

function TreeNode({ drawn, node }: { drawn: Drawn; node: CouncilNode }) {
  const children = node.childIds
    .map((id) => drawn.byId.get(id))
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
            {t('sendsSeats', { count: node.seatsInParent, parent: drawn.name(node.parentId) })}
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
                  {t('deputyFrom', { name: d.memberName, from: drawn.name(d.fromCouncilId) })}
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
            <TreeNode key={c.id} drawn={drawn} node={c} />
          ))}
        </ul>
      )}
    </li>
  );
}
