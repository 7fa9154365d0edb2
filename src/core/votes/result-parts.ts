// A vote's count report in the record. A small report stays inside its `vote_closed` entry, as it always did.
// A large one (a Schulze matrix or an STV count over 50 candidates runs to 60–180 kB) would not fit the record's
// 65,535-byte entries, so its canonical JSON text is cut into `vote_result_part` entries written just before the
// `vote_closed` entry, which then holds the number of parts and the SHA-256 of the whole text instead of the
// report. apply() joins the parts back into the same report, so the tables, the API and `councils verify` see
// one report whichever way it was written.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { canonicalJson } from '../../record/index.ts';
import { newEntry, type NewEntry } from '../model.ts';
import type { ResultDigest, VoteResultPart } from './types.ts';
import { splitJsonText, utf8Length } from '../kernel/entry-size.ts';

/** A report up to this many bytes (canonical JSON) stays in its vote_closed entry. */
export const inlineResultBytes = 32_000;
/** The most bytes of report text one part holds, escaped as a JSON string (the rest of its entry is < 1 kB). */
export const resultPartBytes = 60_000;

const utf8 = new TextEncoder();
const digestOf = (text: string): string => bytesToHex(sha256(utf8.encode(text)));

/**
 * How a report goes into the record: `{ result }` inline, or `vote_result_part` entries to write before the
 * closing and `{ resultParts }` for the closing entry.
 */
export function recordResult(
  voteId: string,
  report: unknown,
  actor: string | null,
  now: string,
): { parts: NewEntry[]; fields: { result: unknown } | { resultParts: ResultDigest } } {
  const text = canonicalJson(report);
  if (utf8Length(text) <= inlineResultBytes) return { parts: [], fields: { result: report } };
  const pieces = splitJsonText(text, resultPartBytes);
  return {
    parts: pieces.map((piece, part) =>
      newEntry('vote_result_part', actor, now, { voteId, part, parts: pieces.length, text: piece }),
    ),
    fields: { resultParts: { parts: pieces.length, sha256: digestOf(text) } },
  };
}

/** A vote as far as its parts go: the texts received until its closing entry joins them. */
export interface PartsHolder {
  id: string;
  closedAt: string | null;
  resultParts?: string[];
}

/** apply's check of a part: it must continue its open vote's parts in order. Throws on a part out of place. */
export function addResultPart(vote: PartsHolder, p: VoteResultPart): void {
  const have = vote.resultParts ?? [];
  if (
    vote.closedAt !== null ||
    !Number.isSafeInteger(p.parts) ||
    p.parts < 1 ||
    p.part !== have.length ||
    p.part >= p.parts ||
    typeof p.text !== 'string'
  ) {
    throw new RangeError(`vote ${p.voteId}: result part ${p.part} of ${p.parts} is out of place`);
  }
  have.push(p.text);
  vote.resultParts = have;
}

/** Joins a closing vote's parts into its report; throws if any is missing or the text is not the one hashed. */
export function joinResultParts(vote: PartsHolder, digest: ResultDigest): unknown {
  const voteId = vote.id;
  const have = vote.resultParts ?? [];
  delete vote.resultParts;
  if (have.length !== digest.parts) {
    throw new RangeError(`vote ${voteId} closes with ${have.length} of its ${digest.parts} result parts`);
  }
  const text = have.join('');
  if (digestOf(text) !== digest.sha256) {
    throw new RangeError(`vote ${voteId}: the result parts do not hash to the closing entry's sha256`);
  }
  return JSON.parse(text) as unknown;
}
