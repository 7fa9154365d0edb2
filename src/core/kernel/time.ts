// Times in the log are ISO 8601 UTC strings, so they compare as strings and read the same everywhere.
export function addMinutes(iso: string, minutes: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new RangeError(`not an ISO time: ${iso}`);
  return new Date(t + minutes * 60_000).toISOString();
}

export function addDays(iso: string, days: number): string {
  return addMinutes(iso, days * 24 * 60);
}
