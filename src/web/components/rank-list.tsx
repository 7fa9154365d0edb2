// Ranking by drag and by keyboard. Drag an option by mouse; or focus it, press Space to pick it up, move it with
// the arrow keys and press Space (or Escape) to put it down; or use its Up / Down buttons (phones). A live
// region says where the option is now (the ARIA practices' sortable-list pattern).
import { useRef, useState, type KeyboardEvent } from 'react';
import { t } from '../strings.ts';

export function RankList(p: {
  ranked: string[];
  unranked: string[];
  label(id: string): string;
  onChange(ranked: string[], unranked: string[]): void;
}) {
  const [grabbed, setGrabbed] = useState<string | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const [said, setSaid] = useState('');
  const items = useRef(new Map<string, HTMLLIElement>());
  const { ranked, unranked } = p;

  const move = (id: string, to: number, announce: 'movedTo' | 'dropped' = 'movedTo') => {
    const from = ranked.indexOf(id);
    const clamped = Math.max(0, Math.min(ranked.length - 1, to));
    if (from < 0) return;
    const next = ranked.filter((x) => x !== id);
    next.splice(clamped, 0, id);
    p.onChange(next, unranked);
    setSaid(t(announce, { option: p.label(id), pos: clamped + 1, count: next.length }));
    requestAnimationFrame(() => items.current.get(id)?.focus());
  };

  const onKey = (id: string, e: KeyboardEvent<HTMLLIElement>) => {
    if (e.target !== e.currentTarget) return;
    const i = ranked.indexOf(id);
    if (e.key === ' ' || e.key === 'Enter') {
      e.preventDefault();
      if (grabbed === id) {
        setGrabbed(null);
        setSaid(t('dropped', { option: p.label(id), pos: i + 1, count: ranked.length }));
      } else {
        setGrabbed(id);
        setSaid(t('pickedUp', { option: p.label(id), pos: i + 1, count: ranked.length }));
      }
    } else if (e.key === 'Escape' && grabbed === id) {
      setGrabbed(null);
      setSaid(t('dropped', { option: p.label(id), pos: i + 1, count: ranked.length }));
    } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      const j = e.key === 'ArrowUp' ? i - 1 : i + 1;
      if (grabbed === id) move(id, j);
      else if (ranked[j]) items.current.get(ranked[j])?.focus();
    }
  };

  const leaveOut = (id: string) =>
    p.onChange(
      ranked.filter((x) => x !== id),
      [...unranked, id],
    );
  const putBack = (id: string) =>
    p.onChange(
      [...ranked, id],
      unranked.filter((x) => x !== id),
    );

  return (
    <div className="rank">
      <p className="hint" id="rank-help">
        {t('rankHelp')}
      </p>
      <ol className="rank-list" aria-label={t('rankList')} aria-describedby="rank-help">
        {ranked.map((id, i) => (
          <li
            key={id}
            ref={(el) => {
              if (el) items.current.set(id, el);
              else items.current.delete(id);
            }}
            tabIndex={0}
            draggable
            data-grabbed={grabbed === id || undefined}
            className={`rank-item${grabbed === id ? ' grabbed' : ''}${dragging === id ? ' dragging' : ''}`}
            data-option={id}
            onKeyDown={(e) => onKey(id, e)}
            onBlur={() => grabbed === id && setGrabbed(null)}
            onDragStart={(e) => {
              setDragging(id);
              e.dataTransfer.effectAllowed = 'move';
              e.dataTransfer.setData('text/plain', id);
            }}
            onDragEnd={() => setDragging(null)}
            onDragOver={(e) => {
              e.preventDefault();
              e.dataTransfer.dropEffect = 'move';
            }}
            onDrop={(e) => {
              e.preventDefault();
              const from = e.dataTransfer.getData('text/plain') || dragging;
              setDragging(null);
              if (from && from !== id) move(from, i, 'dropped');
            }}
          >
            <span className="rank-pos" aria-hidden="true">
              {i + 1}
            </span>
            <span className="rank-label">{p.label(id)}</span>
            <span className="rank-buttons">
              <button
                type="button"
                className="icon"
                aria-label={t('moveUp', { option: p.label(id) })}
                disabled={i === 0}
                onClick={() => move(id, i - 1)}
              >
                ↑
              </button>
              <button
                type="button"
                className="icon"
                aria-label={t('moveDown', { option: p.label(id) })}
                disabled={i === ranked.length - 1}
                onClick={() => move(id, i + 1)}
              >
                ↓
              </button>
              <button
                type="button"
                className="icon"
                aria-label={t('leaveOut', { option: p.label(id) })}
                onClick={() => leaveOut(id)}
              >
                ×
              </button>
            </span>
          </li>
        ))}
      </ol>
      {unranked.length > 0 && (
        <>
          <h4>{t('notRanked')}</h4>
          <ul className="plain">
            {unranked.map((id) => (
              <li key={id}>
                {p.label(id)}{' '}
                <button type="button" className="secondary" onClick={() => putBack(id)}>
                  {t('putBack', { option: p.label(id) })}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="visually-hidden" aria-live="assertive">
        {said}
      </p>
    </div>
  );
}
