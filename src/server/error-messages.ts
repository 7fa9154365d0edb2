// The words of an error's `message`, in the request's language (docs/API.md "Errors", docs/WEB.md "Languages").
// The language is the request's Accept-Language (the web app sends the one it shows); English when it names none
// the app speaks. A request that fails its schema names the field in words ("The password must have at least 10
// characters."), never the schema's text; a refusal by the rules is worded from its reason's id and parameters
// (`reason_<id>`), a malformed command from its problem's id and parameters (`invalid_<id>`, the field in words);
// other errors keep their detail, which is English where the catalogue has no sentence for the id.
import type { FastifyRequest } from 'fastify';
import {
  acceptLanguageTags,
  catalogues,
  negotiateLocale,
  translator,
  type Locale,
  type Translator,
} from '../i18n/index.ts';

export function requestLocale(request: FastifyRequest): Locale {
  const header = request.headers['accept-language'];
  return negotiateLocale(acceptLanguageTags(Array.isArray(header) ? header.join(',') : header));
}

/** Ajv's keywords as the catalogue's reasons; anything else is "is not valid". */
const reasons: Record<string, string> = {
  required: 'required',
  minLength: 'minLength',
  maxLength: 'maxLength',
  minItems: 'minItems',
  maxItems: 'maxItems',
  minimum: 'minimum',
  exclusiveMinimum: 'minimum',
  maximum: 'maximum',
  exclusiveMaximum: 'maximum',
  format: 'format',
  pattern: 'format',
  type: 'type',
  enum: 'enum',
  const: 'enum',
  anyOf: 'enum',
  additionalProperties: 'additionalProperties',
};

export interface SchemaFailure {
  keyword: string;
  params: Record<string, unknown>;
}

/**
 * A field's name in words: `field_<a>_<b>` for its last named segments (the longest the catalogue has, so
 * `appeals.threshold` is not a secret vote's threshold), else the field as the API names it.
 */
export function fieldLabel(tr: Translator, field: string): string {
  const named = field
    .replace(/\[\d+\]/g, '')
    .split('.')
    .filter((s) => s !== '' && !/^\d+$/.test(s));
  if (named.length === 0) named.push('body');
  // The most specific label first: `field_appeals_threshold` before `field_threshold`.
  for (let i = 0; i < named.length; i++) {
    const key = `field_${named.slice(i).join('_')}`;
    if (tr.has(key)) return tr.tDynamic(key, field);
  }
  // A field of a pay scheme by the pay form's own label for it ("A band’s multiplier").
  if (named[0] === 'scheme' && tr.has(`schemeField_${named.at(-1)}`))
    return tr.tDynamic(`schemeField_${named.at(-1)}`, field);
  return `“${field}”`;
}

/** The sentence for a request that failed its schema at `field` (e.g. "body.password"). */
export function schemaMessage(locale: Locale, field: string, failure: SchemaFailure | undefined): string {
  const tr = translator(locale);
  const reason = (failure && reasons[failure.keyword]) ?? 'other';
  const limit = Number(failure?.params.limit);
  const name = String(failure?.params.additionalProperty ?? '');
  return tr.tDynamic(`invalidField_${reason}`, tr.t('invalidField_other', { field }), {
    field: fieldLabel(tr, field),
    limit: Number.isFinite(limit) ? limit : 0,
    name,
  });
}

/**
 * An error's message in `locale`. A refusal with a reason (src/core/kernel/reasons.ts) is the catalogue's
 * `reason_<id>` filled with its parameters (moments written as dates the local way), in every language. Otherwise
 * the catalogue's sentence for the id when it has one that stands alone (no `{message}` detail in it), else the
 * detail the error was raised with.
 */
export function localMessage(
  locale: Locale,
  code: string,
  detail: string,
  reason?: string,
  params?: Readonly<Record<string, string | number>>,
  problem?: string,
): string {
  const tr = translator(locale);
  if (reason !== undefined && tr.has(`reason_${reason}`))
    return tr.tDynamic(`reason_${reason}`, detail, localParams(tr, params ?? {}));
  if (problem !== undefined && tr.has(`invalid_${problem}`)) {
    const values = { ...localParams(tr, params ?? {}) };
    if (typeof params?.field === 'string') values.field = fieldLabel(tr, params.field);
    return tr.tDynamic(`invalid_${problem}`, detail, values);
  }
  if (locale === 'en') return detail;
  const english = (catalogues.en as Readonly<Record<string, string>>)[`error_${code}`];
  return english === undefined || english.includes('{message}')
    ? detail
    : tr.tDynamic(`error_${code}`, detail);
}

const isoMoment = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parameters as the sentence shows them: a moment (ISO 8601 text) as a date and time the local way, in UTC and
 * saying so (the server does not know the reader's time zone). A text shaped like a moment that is none (a name
 * such as "2026-99-99T99:99Z") is shown as it is: formatting it would throw and turn a refusal into a 500.
 */
function localParams(tr: Translator, params: Readonly<Record<string, string | number>>) {
  const utc = new Intl.DateTimeFormat(tr.locale, { dateStyle: 'medium', timeStyle: 'long', timeZone: 'UTC' });
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [
      k,
      typeof v === 'string' && isoMoment.test(v) && Number.isFinite(Date.parse(v))
        ? utc.format(new Date(v))
        : v,
    ]),
  );
}
