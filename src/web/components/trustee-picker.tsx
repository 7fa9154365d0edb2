// Choosing a secret ballot's trustees among a council's members and how many of them decrypt together: when a
// motion is moved, and again when a vote of it failed because its trustees did not make the key.
import { t } from '../strings.ts';
import { Field } from './form.tsx';

export function TrusteePicker(p: {
  members: { id: string; name: string }[];
  trustees: string[];
  onTrustees(ids: string[]): void;
  threshold: string;
  onThreshold(v: string): void;
  error: unknown;
  help?: string;
}) {
  return (
    <fieldset className="radios">
      <legend>{t('trustees')}</legend>
      <p className="hint">{p.help ?? t('trusteesHelp')}</p>
      {p.members.map((m) => (
        <label key={m.id}>
          <input
            type="checkbox"
            checked={p.trustees.includes(m.id)}
            onChange={(e) =>
              p.onTrustees(e.target.checked ? [...p.trustees, m.id] : p.trustees.filter((x) => x !== m.id))
            }
          />{' '}
          {m.name}
        </label>
      ))}
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
    </fieldset>
  );
}
