// Input limits shared by the core and the HTTP schemas, so both say the same thing.
import { InvalidCommand } from './errors.ts';

export const limits = {
  name: 120,
  title: 200,
  text: 20_000,
  comment: 10_000,
  alternatives: 50,
  councils: 1_000,
  seats: 1_000,
} as const;

export function checkText(value: unknown, field: string, max: number, allowEmpty = false): string {
  if (typeof value !== 'string') throw new InvalidCommand(`${field} must be a string`, field);
  const trimmed = value.trim();
  if (!allowEmpty && trimmed.length === 0) throw new InvalidCommand(`${field} must not be empty`, field);
  if (value.length > max) throw new InvalidCommand(`${field} must be at most ${max} characters`, field);
  return trimmed;
}
