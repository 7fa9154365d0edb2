// The pay scheme as JSON in a form (the pay page's proposal and a pay motion's further alternative): its text, the
// field with its hint, and the parse error shown before anything is sent.
import { useState } from 'react';
import { t } from '../strings.ts';
import { Field } from './form.tsx';

export interface SchemeInput {
  text: string;
  setText(text: string): void;
  parseError: string | null;
  /** The scheme document, or undefined after showing why the text is not JSON. */
  parse(): unknown;
}

export function useSchemeInput(initial = ''): SchemeInput {
  const [text, setText] = useState(initial);
  const [parseError, setParseError] = useState<string | null>(null);
  return {
    text,
    setText,
    parseError,
    parse() {
      try {
        const doc: unknown = JSON.parse(text);
        setParseError(null);
        return doc;
      } catch (e) {
        setParseError(t('paySchemeNotJson', { message: (e as Error).message }));
        return undefined;
      }
    },
  };
}

export function SchemeField({ input, error }: { input: SchemeInput; error: unknown }) {
  return (
    <>
      <Field
        label={t('payScheme')}
        hint={t('paySchemeHint')}
        name="scheme"
        value={input.text}
        onChange={input.setText}
        multiline
        required
        error={error}
      />
      {input.parseError && (
        <p className="error" role="alert">
          {input.parseError}
        </p>
      )}
    </>
  );
}
