// A deterministic mixed election for the mix-net tests and benchmark: ranked ballots cast, M mixers, k trustees decrypt.
import type { Group } from '../../src/ballot/group.ts';
import {
  combineMix,
  encryptRanks,
  mixInput,
  mixPartialDecrypt,
  shuffle,
  type Election,
  type Manifest,
  type MixBoard,
  type MixList,
  type RankedBallotBody,
  type ShuffleBody,
  type TrusteeShare,
} from '../../src/ballot/index.ts';
import { buildElection, seededRandom } from './fixture.ts';

export const rankedManifest = (candidates: number, id = 'ranked'): Manifest => ({
  electionId: id,
  title: `Elect 4 deputies among ${candidates}`,
  opensAt: 1_000_000,
  closesAt: 2_000_000,
  contests: [
    {
      id: 'deputies',
      title: 'Deputies',
      options: Array.from({ length: candidates }, (_, i) => `c${i + 1}`),
      min: 0,
      max: candidates,
      optionMax: 1,
    },
  ],
});

export interface MixedRun {
  election: Election;
  shares: TrusteeShare[];
  board: MixBoard;
  input: MixList;
}

/** Casts one ballot per rank vector, runs `mixers` shuffles and the first k trustees' decryptions. */
export function runMixed(
  g: Group,
  opts: { n: number; k: number; candidates: number; ranks: number[][]; mixers: number; seed: string },
): MixedRun {
  const f = buildElection(g, {
    n: opts.n,
    k: opts.k,
    voters: opts.ranks.length,
    manifest: rankedManifest(opts.candidates, opts.seed),
    seed: opts.seed,
  });
  const rnd = seededRandom(`${opts.seed}/run`);
  const cast: { ballot: RankedBallotBody; at: number }[] = opts.ranks.map((ranks, v) => ({
    ballot: encryptRanks(g, f.election, f.voters[v]!.secret, ranks, rnd).ballot,
    at: 1_500_000,
  }));
  const input = mixInput(f.election, cast);
  const shuffles: ShuffleBody[] = [];
  let list = input;
  for (let m = 1; m <= opts.mixers; m++) {
    const s = shuffle(g, f.election, m, list, rnd);
    shuffles.push(s);
    list = s.ciphertexts;
  }
  const partials = f.trusteeShares
    .slice(0, opts.k)
    .map((sh) => mixPartialDecrypt(g, f.election, sh, list, rnd));
  const result = combineMix(g, f.election, list, partials).result;
  return {
    election: f.election,
    shares: f.trusteeShares,
    input,
    board: { cast, shuffles, partials, result },
  };
}
