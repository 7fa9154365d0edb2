// Malformed input of any shape is rejected with the module's named errors, never with a TypeError from deep inside.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { CsvError, readWorkersCsv, SchemeError, validateScheme } from '../../../src/core/pay/index.ts';
import { ESSAY_BANDS, schemeDoc } from './helpers.ts';

/** Sets obj at a path of keys/indexes (creating nothing: only existing containers are changed). */
function mutate(doc: unknown, pick: number[], value: unknown): unknown {
  const copy = structuredClone(doc) as Record<string, unknown>;
  let node: unknown = copy;
  for (let depth = 0; depth < pick.length; depth++) {
    if (typeof node !== 'object' || node === null) break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[pick[depth]! % keys.length]!;
    const child = (node as Record<string, unknown>)[key];
    if (depth === pick.length - 1 || typeof child !== 'object' || child === null) {
      (node as Record<string, unknown>)[key] = value;
      break;
    }
    node = child;
  }
  return copy;
}

describe('fuzzing the readers', () => {
  const full = schemeDoc({
    payment: { system: 'progressive-piece', bands: ESSAY_BANDS },
    bonuses: [{ name: 'b', percent: '5', grades: ['1'], minOutput: '1' }],
    minimumPay: { amount: 100, basis: 'hour' },
    ratioCap: { ratio: '3', basis: 'hour' },
    pension: {
      bands: [
        { upTo: 100, rate: '1' },
        { upTo: null, rate: '0.5' },
      ],
      minimum: 1,
      careerPeriods: 12,
      indexationFactor: '1.01',
    },
  });

  test('a scheme with any field replaced by any JSON value is valid or a SchemeError naming a path', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.jsonValue(), (pick, value) => {
        try {
          validateScheme(mutate(full, pick, value));
        } catch (e) {
          assert.ok(e instanceof SchemeError, String(e));
          assert.ok(e.message.startsWith(`${e.path}:`));
        }
      }),
      { numRuns: 1000 },
    );
  });

  test('any text as workers CSV is read or rejected with a CsvError at a line and column', () => {
    const unit = fc.constantFrom(
      'id',
      'grade',
      'hours',
      'output',
      ',',
      '"',
      '\n',
      '\r\n',
      '1',
      '1.5',
      '-',
      'x',
      ' ',
    );
    fc.assert(
      fc.property(fc.boolean(), fc.string({ unit, maxLength: 60 }), (header, text) => {
        try {
          readWorkersCsv(header ? `id,grade,hours,output\n${text}` : text);
        } catch (e) {
          assert.ok(e instanceof CsvError, String(e));
          assert.ok(e.line >= 1 && e.column >= 1);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
