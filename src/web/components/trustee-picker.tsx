// Choosing a secret ballot's trustees among a council's members and how many of them decrypt together: when a
// motion is moved, and again when a vote of it failed because its trustees did not make the key. A council whose
// members all came with its page (up to 100) lists them to tick, as before; a larger one is searched within the
// council by the server (GET …/councils/:council/members?q=), so every member can be chosen however many there are.
import { t } from '../strings.ts';
import { Field } from './form.tsx';
import { councilMemberSearch, PickMany, type Pick } from './search-picker.tsx';

export function TrusteePicker(p: {
  orgId: string;
  councilId: string;
  /** All the council's members when they are known (its page held them all), else null: they are searched. */
  members: Pick[] | null;
  trustees: Pick[];
  onTrustees(picks: Pick[]): void;
  threshold: string;
  onThreshold(v: string): void;
  error: unknown;
  help?: string;
}) {
  const threshold = (
    <Field
      label={t('threshold')}
      name="secret.threshold"
      type="number"
      min={1}
      max={Math.max(1, p.trustees.length)}
      value={p.threshold}
      onChange={p.onThreshold}
      error={p.error}
    />
  );
  if (p.members === null)
    return (
      <PickMany
        label={t('trustees')}
        intro={p.help ?? t('trusteesHelp')}
        hint={t('trusteesSearch')}
        search={councilMemberSearch(p.orgId, p.councilId)}
        chosen={p.trustees}
        onChosen={p.onTrustees}
      >
        {threshold}
      </PickMany>
    );
  const chosen = (id: string) => p.trustees.some((x) => x.id === id);
  return (
    <fieldset className="radios">
      <legend>{t('trustees')}</legend>
      <p className="hint">{p.help ?? t('trusteesHelp')}</p>
      {p.members.map((m) => (
        <label key={m.id}>
          <input
            type="checkbox"
            checked={chosen(m.id)}
            onChange={(e) =>
              p.onTrustees(e.target.checked ? [...p.trustees, m] : p.trustees.filter((x) => x.id !== m.id))
            }
          />{' '}
          {m.name}
        </label>
      ))}
      {threshold}
    </fieldset>
  );
}
