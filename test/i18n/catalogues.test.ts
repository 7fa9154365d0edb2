// The catalogues in every language: the same keys as English, the same placeholders, every plural form each
// language's CLDR rules need, every message well-formed ICU MessageFormat; and the choice of a language from a
// browser's or a request's preferences.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { IntlMessageFormat } from 'intl-messageformat';
import { inputProblems, refusalReasons } from '../../src/core/index.ts';
import {
  acceptLanguageTags,
  catalogues,
  locales,
  negotiateLocale,
  translator,
  type Locale,
} from '../../src/i18n/index.ts';

/** ICU MessageFormat element types (@formatjs/icu-messageformat-parser's TYPE). */
const ARGUMENT_TYPES = new Set([1, 2, 3, 4, 5, 6]);
const PLURAL = 6;

interface Element {
  type: number;
  value?: unknown;
  options?: Record<string, { value: Element[] }>;
  pluralType?: 'cardinal' | 'ordinal';
}

/** Every placeholder a message fills, and every plural it chooses by (with the forms it gives). */
function shape(message: string, locale: Locale) {
  const names = new Set<string>();
  const plurals: { name: string; forms: string[]; ordinal: boolean }[] = [];
  const walk = (els: Element[]) => {
    for (const el of els) {
      if (ARGUMENT_TYPES.has(el.type) && typeof el.value === 'string') names.add(el.value);
      if (el.type === PLURAL)
        plurals.push({
          name: el.value as string,
          forms: Object.keys(el.options ?? {}),
          ordinal: el.pluralType === 'ordinal',
        });
      for (const o of Object.values(el.options ?? {})) walk(o.value);
    }
  };
  walk(new IntlMessageFormat(message, locale).getAst() as unknown as Element[]);
  return { names: [...names].sort(), plurals };
}

const english = catalogues.en as Readonly<Record<string, string>>;

describe('catalogues', () => {
  for (const locale of locales) {
    const catalogue = catalogues[locale] as Readonly<Record<string, string>>;

    test(`${locale}: exactly the English keys, none empty`, () => {
      assert.deepEqual(Object.keys(catalogue).sort(), Object.keys(english).sort());
      for (const [key, message] of Object.entries(catalogue))
        assert.ok(message.trim() !== '', `${locale}.${key} is empty`);
    });

    test(`${locale}: every message parses, fills the same placeholders as English and has every plural form`, () => {
      const cardinal = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
      const ordinal = new Intl.PluralRules(locale, { type: 'ordinal' }).resolvedOptions().pluralCategories;
      for (const [key, message] of Object.entries(catalogue)) {
        let got;
        try {
          got = shape(message, locale);
        } catch (e) {
          assert.fail(`${locale}.${key} is not valid ICU MessageFormat: ${(e as Error).message}`);
        }
        assert.deepEqual(got.names, shape(english[key]!, 'en').names, `${locale}.${key}: placeholders`);
        for (const p of got.plurals) {
          const needed = p.ordinal ? ordinal : cardinal;
          const missing = needed.filter((form) => !p.forms.includes(form));
          assert.deepEqual(missing, [], `${locale}.${key}: {${p.name}, plural} lacks ${missing.join(', ')}`);
        }
      }
    });
  }

  test('every reason the core can give for a refusal has its sentence, naming only parameters it gives, and no other', () => {
    const reasons = Object.keys(refusalReasons).map((id) => `reason_${id}`);
    const given = Object.keys(english).filter((k) => k.startsWith('reason_'));
    assert.deepEqual(given.sort(), reasons.sort());
    for (const [id, text] of Object.entries(refusalReasons)) {
      // A sentence may leave out a technical detail the core gives (a ballot check's own words), never add one.
      const core = new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!));
      for (const name of shape(english[`reason_${id}`]!, 'en').names)
        assert.ok(core.has(name), `reason_${id} names {${name}}, which the core does not give`);
    }
  });

  test('every problem the core can find with a command has its sentence, naming only parameters it gives', () => {
    // InvalidCommand takes only these ids (src/core/kernel/problems.ts), so this walks every message it can throw.
    const problems = Object.keys(inputProblems).map((id) => `invalid_${id}`);
    const given = Object.keys(english).filter((k) => k.startsWith('invalid_'));
    assert.deepEqual(given.sort(), problems.sort());
    for (const [id, text] of Object.entries(inputProblems)) {
      const core = new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!));
      if (core.has('index')) core.add('number'); // an item counted from 1 for people, beside the API's index
      for (const name of shape(english[`invalid_${id}`]!, 'en').names)
        assert.ok(core.has(name), `invalid_${id} names {${name}}, which the core does not give`);
    }
  });

  test('a shape check fails on a missing placeholder or plural form (the check itself can fail)', () => {
    assert.notDeepEqual(shape('{count} of {n}', 'en').names, shape('{count}', 'en').names);
    const forms = shape('{n, plural, one {# член} other {# члена}}', 'ru').plurals[0]!.forms;
    assert.ok(!forms.includes('few') && !forms.includes('many'));
  });
});

describe('translator', () => {
  test('Russian plurals follow CLDR: 1 and 21 one, 2–4 few, 5–20 many, fractions other', () => {
    const { t } = translator('ru');
    assert.deepEqual(
      [1, 2, 5, 11, 21, 22, 1.5].map((count) => t('members', { count })),
      ['1 член', '2 члена', '5 членов', '11 членов', '21 член', '22 члена', '1,5 члена'],
    );
  });

  test('Spanish uses "de" for a round million, English its one and other', () => {
    assert.equal(translator('es').t('members', { count: 1_000_000 }), '1.000.000 de miembros');
    assert.equal(translator('es').t('members', { count: 1 }), '1 miembro');
    assert.deepEqual(
      [1, 3].map((count) => translator('en').t('members', { count })),
      ['1 member', '3 members'],
    );
  });

  test('numbers and dates are written the local way', () => {
    assert.equal(translator('en').formatNumber(74112.142857), '74,112.14');
    assert.equal(translator('es').formatNumber(74112.142857), '74.112,14');
    assert.match(translator('ru').formatNumber(74112.142857), /^74\s112,14$/u);
    const when = '2026-03-01T12:00:00Z';
    assert.notEqual(translator('en').formatDate(when), translator('ru').formatDate(when));
    assert.match(translator('es').formatDate(when, 'date'), /mar/);
    assert.equal(translator('en').formatDate('not a date'), 'not a date');
  });

  test('a run-time key falls back when no catalogue has it', () => {
    assert.equal(translator('ru').tDynamic('state_debate', 'x'), 'обсуждается');
    assert.equal(translator('ru').tDynamic('state_nonsense', 'nonsense'), 'nonsense');
  });
});

describe('choosing a language', () => {
  test('the first preferred language the app speaks, by its primary tag; English otherwise', () => {
    assert.equal(negotiateLocale(['de-DE', 'es-MX', 'en']), 'es');
    assert.equal(negotiateLocale(['ru']), 'ru');
    assert.equal(negotiateLocale(['fr', 'de']), 'en');
    assert.equal(negotiateLocale([]), 'en');
  });

  test('Accept-Language by quality, in order among equals, q=0 and * left out', () => {
    assert.deepEqual(acceptLanguageTags('fr;q=0.5, ru-RU, es;q=0.9, en;q=0, *;q=0.1'), ['ru-RU', 'es', 'fr']);
    assert.deepEqual(acceptLanguageTags(undefined), []);
    assert.equal(negotiateLocale(acceptLanguageTags('de, ru;q=0.8, es;q=0.9')), 'es');
  });
});
