// Choosing a member or a council by typing the start of their name (docs/WEB.md "Pickers"): a combobox (WAI-ARIA
// APG "combobox with listbox popup") over the server's search (GET /orgs/:org/members?q=, …/councils?q=), so a
// picker costs the same in an organisation of a hundred and of a million. The text is searched a short while after
// the last key; a search overtaken by newer text is cancelled and its answer, should it still come, is dropped, so
// a slow answer never replaces a newer one. Arrow keys move through the matches, Enter chooses, Escape closes.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { api } from '../api.ts';
import { t } from '../strings.ts';
import type { CouncilMatches, CouncilMembers, OrgMembers } from '../types.ts';
import { ErrorText, errorFor, explain } from './form.tsx';

export interface Pick {
  id: string;
  name: string;
  /** Said after the name: a member's base council, a council's kind. */
  detail?: string;
}

export type Search = (text: string, signal: AbortSignal) => Promise<Pick[]>;

/** Matches shown at once; typing more narrows them. */
const shown = 10;
/** How long after the last key the text is searched. */
const debounceMs = 200;

/** Members of the organisation whose name starts with the text (or whose id it is), with their base council. */
export function memberSearch(orgId: string): Search {
  return async (text, signal) => {
    const r = await api.get<OrgMembers>(
      `/orgs/${encodeURIComponent(orgId)}/members?q=${encodeURIComponent(text)}&limit=${shown}`,
      signal,
    );
    return r.members.map((m) => ({
      id: m.id,
      name: m.name,
      detail: m.councilId === null ? undefined : (r.councilNames[m.councilId] ?? m.councilId),
    }));
  };
}

/**
 * Members of one council whose name starts with the text (or whose id it is): a base council's members, a higher
 * council's deputies, searched by the server within the council however large the organisation; `except` (an
 * election's candidates already standing) is left out.
 */
export function councilMemberSearch(
  orgId: string,
  councilId: string,
  except: readonly string[] = [],
): Search {
  return async (text, signal) => {
    // `except` (at most a motion's 50 candidates) is asked for on top, so ten others still come
    const r = await api.get<CouncilMembers>(
      `/orgs/${encodeURIComponent(orgId)}/councils/${encodeURIComponent(councilId)}/members?q=${encodeURIComponent(text)}&limit=${shown + except.length}`,
      signal,
    );
    return r.members
      .filter((m) => !except.includes(m.id))
      .slice(0, shown)
      .map((m) => ({ id: m.id, name: m.name }));
  };
}

/**
 * Councils whose name starts with the text (or whose id it is); `kind` keeps those of one kind, chosen by the
 * server, so ten of that kind come even behind many of the other with the same start; `only` drops more here.
 */
export function councilSearch(
  orgId: string,
  kind?: 'base' | 'higher',
  only?: (c: CouncilMatches['councils'][number]) => boolean,
): Search {
  return async (text, signal) => {
    const r = await api.get<CouncilMatches>(
      `/orgs/${encodeURIComponent(orgId)}/councils?q=${encodeURIComponent(text)}${kind ? `&kind=${kind}` : ''}&limit=${shown}`,
      signal,
    );
    return r.councils
      .filter((c) => !only || only(c))
      .map((c) => ({
        id: c.id,
        name: c.name,
        detail: t(c.kind === 'base' ? 'baseCouncil' : 'higherCouncil'),
      }));
  };
}

type Found = { text: string; picks: Pick[] } | { text: string; error: unknown } | null;

export function SearchPicker(p: {
  label: string;
  search: Search;
  onPick(pick: Pick): void;
  /** What is chosen now, said under the box ("Chosen: Ana (North)"). */
  chosen?: Pick | null;
  hint?: string;
  /** The text before anything is typed (the chosen name). */
  initialText?: string;
  /** Empties the box once a choice is made (choosing several, one after another). */
  clearOnPick?: boolean;
  /** The request field the choice is sent as, and the form's error: shown here when the API names that field. */
  field?: { name: string; error: unknown };
}) {
  const id = useId();
  const listId = `${id}-list`;
  const [text, setText] = useState(p.initialText ?? '');
  const [open, setOpen] = useState(false);
  const [found, setFound] = useState<Found>(null);
  const [active, setActive] = useState(-1);
  const latest = useRef<AbortController | null>(null);
  // The newest search function, without searching again when a page passes a new one for the same search.
  const search = useRef(p.search);
  search.current = p.search;

  useEffect(() => {
    const wanted = text.trim();
    if (!open || wanted === '') {
      setFound(null);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      latest.current?.abort();
      latest.current = controller;
      search.current(wanted, controller.signal).then(
        (picks) => {
          if (latest.current === controller && !controller.signal.aborted) {
            setFound({ text: wanted, picks });
            setActive(picks.length > 0 ? 0 : -1);
          }
        },
        (error: unknown) => {
          if (latest.current === controller && !controller.signal.aborted) setFound({ text: wanted, error });
        },
      );
    }, debounceMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text, open]);

  const picks = found && 'picks' in found ? found.picks : [];
  const choose = (pick: Pick) => {
    p.onPick(pick);
    setText(p.clearOnPick ? '' : pick.name);
    setOpen(false);
    setFound(null);
  };
  const expanded = open && found !== null;
  const optionId = (i: number) => `${id}-option-${i}`;
  const invalid = p.field !== undefined && errorFor(p.field.error, p.field.name);
  const describedBy = [
    p.hint ? `${id}-hint` : '',
    p.chosen ? `${id}-chosen` : '',
    invalid ? `${id}-error` : '',
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <div className="field picker">
      <label htmlFor={id}>{p.label}</label>
      {p.hint && (
        <p className="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      )}
      <input
        id={id}
        type="text"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
        aria-describedby={describedBy || undefined}
        aria-invalid={invalid || undefined}
        placeholder={t('pickerPlaceholder')}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onBlur={() => setOpen(false)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            if (!open) setOpen(true);
            if (picks.length === 0) return;
            const step = e.key === 'ArrowDown' ? 1 : -1;
            setActive((a) => (a + step + picks.length) % picks.length);
          } else if (e.key === 'Enter') {
            // only from the list of what is typed now: the list shown while the newer text's search is under way
            // is the older text's, and Enter must not choose from it ("an" → "anai" + Enter chose "Ána María")
            const current = found !== null && found.text === text.trim();
            if (expanded && !current) e.preventDefault();
            const pick = expanded && current ? picks[active] : undefined;
            if (pick) {
              e.preventDefault();
              choose(pick);
            }
          } else if (e.key === 'Escape') {
            setOpen(false);
          }
        }}
      />
      <ul id={listId} role="listbox" aria-label={p.label} hidden={!expanded || picks.length === 0}>
        {picks.map((pick, i) => (
          <li
            key={pick.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'active' : undefined}
            // Chosen on mouse down, before the box's blur closes the list.
            onMouseDown={(e) => {
              e.preventDefault();
              choose(pick);
            }}
          >
            {pick.name}
            {pick.detail && <span className="hint"> · {pick.detail}</span>}
          </li>
        ))}
      </ul>
      <p className="hint" role="status">
        {expanded && 'error' in found ? explain(found.error) : ''}
        {expanded && picks.length === 0 && !('error' in found)
          ? t('pickerNoMatch', { text: found.text })
          : ''}
      </p>
      {p.chosen && (
        <p className="hint" id={`${id}-chosen`}>
          {t('pickerChosen', {
            name: p.chosen.detail ? `${p.chosen.name} (${p.chosen.detail})` : p.chosen.name,
          })}
        </p>
      )}
      {invalid && <ErrorText id={`${id}-error`} error={p.field!.error} />}
    </div>
  );
}

/** Choosing several (trustees, a committee): a picker and the list chosen so far, each with a button to remove it. */
export function PickMany(p: {
  label: string;
  search: Search;
  chosen: Pick[];
  onChosen(picks: Pick[]): void;
  hint?: string;
  /** Said first, under the legend. */
  intro?: string;
  /** More fields of the same choice, after the list (a trustees' threshold). */
  children?: ReactNode;
}) {
  return (
    <fieldset className="pick-many">
      <legend>{p.label}</legend>
      {p.intro && <p className="hint">{p.intro}</p>}
      <SearchPicker
        label={t('pickerAdd')}
        search={p.search}
        hint={p.hint}
        clearOnPick
        onPick={(pick) => {
          if (!p.chosen.some((x) => x.id === pick.id)) p.onChosen([...p.chosen, pick]);
        }}
      />
      {p.chosen.length === 0 ? (
        <p className="hint">{t('pickerNoneChosen')}</p>
      ) : (
        <ul className="chosen">
          {p.chosen.map((x) => (
            <li key={x.id}>
              {x.name}
              {x.detail && <span className="hint"> · {x.detail}</span>}{' '}
              <button
                type="button"
                aria-label={t('pickerRemove', { name: x.name })}
                onClick={() => p.onChosen(p.chosen.filter((y) => y.id !== x.id))}
              >
                {t('pickerRemoveShort')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {p.children}
    </fieldset>
  );
}
