// The order of strings the core, the store and the server share: by UTF-16 code units (JavaScript's `<`), the same
// in every process, whatever its locale or its Node's ICU, and a total order (two strings compare equal only when
// they are the same string). `localeCompare` is none of these, so nothing that is kept, compared or paged on uses
// it: a language's collation is for what a person reads, in their browser. Pure, imports nothing (src/lib).

/** Compares by UTF-16 code units: a comparator for `sort` (code-point order for strings of the BMP). */
export const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
