// The pension part of a scheme document (docs/PAY.md §"Pensions").
import { absent, join, readArray, readDecimal, readInteger, readObject } from './document-reader.ts';
import { SchemeError } from './errors.ts';
import { FRACTION_PLACES as P, FRACTION_SCALE as ONE, type CompiledPension } from './scheme.ts';

export function validatePension(value: unknown, path: string): CompiledPension {
  const doc = readObject(value, path, ['bands', 'minimum', 'maximum', 'careerPeriods', 'indexationFactor']);
  const bands = readArray(doc.bands, join(path, 'bands'), 1);
  const upTo: (number | null)[] = [];
  const rate: number[] = [];
  bands.forEach((b, i) => {
    const bp = join(join(path, 'bands'), i);
    const band = readObject(b, bp, ['upTo', 'rate']);
    const last = i === bands.length - 1;
    if (last !== (band.upTo === null)) {
      throw new SchemeError(join(bp, 'upTo'), last ? 'scheme_last_band_open' : 'scheme_only_last_open');
    }
    if (!last) {
      const edge = readInteger(band.upTo, join(bp, 'upTo'), 1, 1e12);
      const prev = upTo[i - 1];
      if (prev !== undefined && prev !== null && edge <= prev) {
        throw new SchemeError(join(bp, 'upTo'), 'scheme_edges_increase');
      }
      upTo.push(edge);
    } else upTo.push(null);
    const r = readDecimal(band.rate, join(bp, 'rate'), P, 0, ONE);
    const prevRate = rate[i - 1];
    // "Favour low earnings": a higher band may not replace a larger share than a lower one.
    if (prevRate !== undefined && r > prevRate) {
      throw new SchemeError(join(bp, 'rate'), 'scheme_rates_decrease');
    }
    rate.push(r);
  });
  const minimum = readInteger(doc.minimum, join(path, 'minimum'), 0, 1e12);
  const maximum = absent(doc.maximum) ? null : readInteger(doc.maximum, join(path, 'maximum'), minimum, 1e12);
  const careerPeriods = readInteger(doc.careerPeriods, join(path, 'careerPeriods'), 1, 10_000);
  const indexationFactor = readDecimal(doc.indexationFactor, join(path, 'indexationFactor'), P, 1, 10 * ONE);
  return { upTo, rate, minimum, maximum, careerPeriods, indexationFactor };
}
