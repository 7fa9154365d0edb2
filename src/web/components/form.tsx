// Form building blocks. An API error is shown in plain words next to the control that caused it (the field the
// API names, else the submit button); fields are controlled by their form's state, so nothing typed is lost.
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { ApiFailure } from '../api.ts';
import { t, tDynamic } from '../strings.ts';

/** The plain-words sentence for an API failure. */
export function explain(e: unknown): string {
  if (e instanceof ApiFailure) {
    const message = e.message.replace(/\.$/, '');
    return tDynamic(`error_${e.code}`, t('errorGeneric', { message }), { message });
  }
  return t('errorGeneric', { message: e instanceof Error ? e.message : String(e) });
}

export interface Action {
  busy: boolean;
  error: unknown;
  /** Runs `fn`; on failure keeps the error for display and returns undefined. */
  run<T>(fn: () => Promise<T>): Promise<T | undefined>;
  clear(): void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async <T,>(fn: () => Promise<T>) => {
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: () => setError(null) };
}

/** Whether `error` is about the request field `name`. */
export function errorFor(error: unknown, name: string): boolean {
  if (!(error instanceof ApiFailure) || error.field === undefined) return false;
  return error.field === name || error.field.startsWith(`${name}.`);
}

export function ErrorText({ id, error }: { id?: string; error: unknown }) {
  if (!error) return null;
  return (
    <p className="error" id={id} role="alert">
      {explain(error)}
    </p>
  );
}

interface FieldProps {
  label: string;
  name: string;
  value: string;
  onChange(v: string): void;
  error?: unknown;
  type?: string;
  multiline?: boolean;
  required?: boolean;
  autoComplete?: string;
  hint?: string;
  min?: number;
  max?: number;
}

export function Field(p: FieldProps) {
  const id = useId();
  const mine = errorFor(p.error, p.name);
  const describedBy = [p.hint ? `${id}-hint` : '', mine ? `${id}-error` : ''].filter(Boolean).join(' ');
  const common = {
    id,
    name: p.name,
    value: p.value,
    required: p.required,
    'aria-invalid': mine || undefined,
    'aria-describedby': describedBy || undefined,
  };
  return (
    <div className="field">
      <label htmlFor={id}>{p.label}</label>
      {p.hint && (
        <p className="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      )}
      {p.multiline ? (
        <textarea {...common} rows={4} onChange={(e) => p.onChange(e.target.value)} />
      ) : (
        <input
          {...common}
          type={p.type ?? 'text'}
          autoComplete={p.autoComplete}
          min={p.min}
          max={p.max}
          onChange={(e) => p.onChange(e.target.value)}
        />
      )}
      {mine && <ErrorText id={`${id}-error`} error={p.error} />}
    </div>
  );
}

/** A form whose submit button carries the action's error, unless a field already shows it. */
export function ActionForm(p: {
  label: string;
  submit: string;
  action: Action;
  fields: string[];
  onSubmit(): void | Promise<void>;
  children?: ReactNode;
  className?: string;
}) {
  const errId = useId();
  const fieldError = p.fields.some((f) => errorFor(p.action.error, f));
  const shown = Boolean(p.action.error) && !fieldError;
  return (
    <form
      className={p.className ?? 'form'}
      aria-label={p.label}
      onSubmit={(e) => {
        e.preventDefault();
        void p.onSubmit();
      }}
    >
      {p.children}
      <div className="actions">
        <button type="submit" disabled={p.action.busy} aria-describedby={shown ? errId : undefined}>
          {p.action.busy ? t('working') : p.submit}
        </button>
      </div>
      {shown && <ErrorText id={errId} error={p.action.error} />}
    </form>
  );
}

/** One button that does one thing, with its error beside it. */
export function ActionButton(p: { label: string; action: Action; onClick(): void; className?: string }) {
  const errId = useId();
  return (
    <span className="action-button">
      <button
        type="button"
        className={p.className}
        disabled={p.action.busy}
        aria-describedby={p.action.error ? errId : undefined}
        onClick={p.onClick}
      >
        {p.action.busy ? t('working') : p.label}
      </button>
      <ErrorText id={errId} error={p.action.error} />
    </span>
  );
}

/** A disclosure that shows a form when asked, and focuses its first control. */
export function Reveal(p: { label: string; children: ReactNode; open?: boolean }) {
  const [open, setOpen] = useState(p.open ?? false);
  const body = useRef<HTMLDivElement>(null);
  const id = useId();
  useEffect(() => {
    if (open && !p.open) body.current?.querySelector<HTMLElement>('input, textarea, select')?.focus();
  }, [open, p.open]);
  return (
    <div className="reveal">
      <button
        type="button"
        className="secondary"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
      >
        {p.label}
      </button>
      <div id={id} ref={body} hidden={!open}>
        {p.children}
      </div>
    </div>
  );
}

/** Data loaded from the API: reload() after a change; the error, if any, in plain words. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (d) => live && (setData(d), setError(null)),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
    // The caller's deps say when to load again (useLoad is called like useEffect).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  return { data, error, reload: () => setTick((x) => x + 1) };
}

export function Loading({ error }: { error: unknown }) {
  return error ? <ErrorText error={error} /> : <p aria-live="polite">{t('loading')}</p>;
}
