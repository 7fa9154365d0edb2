// Cast-or-challenge (Helios / Benaloh; docs/BALLOT-PROTOCOL.md §5 "Challenge"): a challenged ballot reveals its
// ballot nonce ξ_B; anyone re-derives every selection nonce and the plaintext. It is published as spoiled and
// never counted.
import { fromHex } from './bytes.ts';
import type { Group } from './group.ts';
import { prepare, type Election } from './election.ts';
import { BallotFormatError } from './errors.ts';
import { ballotContext, selectionNonce, type BallotBody } from './ballot.ts';
import { decodeBallot } from './check-ballot.ts';
import type { Hex } from './codec.ts';

export interface SpoiledBody {
  ballot: BallotBody;
  ballotNonce: Hex;
  /** The plaintext the voter is shown, per contest per option. */
  plaintext: number[][];
}

/** Re-derives the plaintext from the nonce; a string says why it cannot (the device cheated or the data is bad). */
export function openBallot(
  g: Group,
  election: Election,
  ballot: BallotBody,
  ballotNonce: Hex,
): number[][] | string {
  const prep = prepare(g, election);
  try {
    const d = decodeBallot(g, prep, ballot);
    const xi = fromHex(ballotNonce, 32, 'ballotNonce');
    const hI = ballotContext(prep.fp, fromHex(ballot.id, 32, 'ballot.id'), g.encode(d.X));
    const defs = election.setup.manifest.contests;
    const out: number[][] = [];
    for (let c = 0; c < defs.length; c++) {
      const row: number[] = [];
      for (let o = 0; o < defs[c]!.options.length; o++) {
        const r = selectionNonce(g, hI, xi, c, o);
        const ct = d.cts[c]![o]!;
        if (!g.eq(ct.alpha, g.mulBase(r))) return `contest ${c} option ${o}: nonce does not match α`;
        const mG = g.sub(ct.beta, g.mul(prep.K, r));
        let m = -1;
        for (let j = 0; j <= defs[c]!.optionMax && m < 0; j++) if (g.eq(mG, g.mulBase(BigInt(j)))) m = j;
        if (m < 0) return `contest ${c} option ${o}: plaintext outside 0..optionMax`;
        row.push(m);
      }
      out.push(row);
    }
    return out;
  } catch (e) {
    if (e instanceof BallotFormatError) return `encoding: ${e.message}`;
    throw e;
  }
}

/** The `spoiled` board entry for a challenged ballot. Throws if the nonce does not open the ballot. */
export function spoilBallot(g: Group, election: Election, ballot: BallotBody, ballotNonce: Hex): SpoiledBody {
  const plaintext = openBallot(g, election, ballot, ballotNonce);
  if (typeof plaintext === 'string') throw new BallotFormatError(`ballotNonce: ${plaintext}`);
  return { ballot, ballotNonce, plaintext };
}

/** Check 10 for one spoiled entry: the nonce re-derives the ciphertexts and exactly the shown plaintext. */
export function verifySpoiled(g: Group, election: Election, spoiled: SpoiledBody): string | null {
  const opened = openBallot(g, election, spoiled.ballot, spoiled.ballotNonce);
  if (typeof opened === 'string') return opened;
  const same = JSON.stringify(opened) === JSON.stringify(spoiled.plaintext);
  return same
    ? null
    : `shown plaintext ${JSON.stringify(spoiled.plaintext)} differs from ${JSON.stringify(opened)}`;
}

export const spoiledId = (s: SpoiledBody): string => s.ballot.id;
