// The form of a name the pickers search by prefix (docs/SCALE.md, "Searching for a member or a council"): its
// compatibility decomposition without combining marks, in lower case, so that "ana", "Ána" and "ANA" find "Ana
// María" and "ё" finds "е". Stored beside the name (`name_key` of `members` and `councils`) and compared byte by
// byte (SQLite's BINARY, PostgreSQL's "C" collation), the same way on both databases, so a prefix is an index range.

/** The searchable form of a member's or a council's name, or of what a member typed. */
export function searchKey(name: string): string {
  // a word-final sigma lower-cases to ς (Σ at a word's end): "ΟΔΥΣ" must stay a prefix of "Οδυσσέας"
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/ς/gu, 'σ');
}

/**
 * The least string greater than every string that starts with `prefix`, in code point order (the order of UTF-8
 * bytes), or null when there is none (a prefix of U+10FFFF alone): with it, `key >= prefix and key < upper` is the
 * prefix as an index range.
 */
export function prefixUpperBound(prefix: string): string | null {
  const points = [...prefix].map((c) => c.codePointAt(0)!);
  while (points.length > 0) {
    let last = points.pop()! + 1;
    if (last >= 0xd800 && last <= 0xdfff) last = 0xe000;
    if (last <= 0x10ffff) return String.fromCodePoint(...points, last);
  }
  return null;
}
