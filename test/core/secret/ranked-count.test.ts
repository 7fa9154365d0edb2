// A secret STV election through the mix-net, end to end in the libraries (docs/MIXNET.md §9): 200 voters rank 10
// candidates, 3 mixers shuffle in turn, 2 of 3 trustees decrypt with proofs, and the verified count by Scottish STV
// (4 seats, every round) equals the count of the same rankings cast openly. Hostile ballots that decrypt to no
// ranking are counted as invalid; a revote replaces the first ballot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  sodiumGroup,
  verifyMixBoard,
  encryptRanking,
  mixInput,
  shuffle,
  mixPartialDecrypt,
  combineMix,
} from '../../../src/ballot/index.ts';
import { countVote, type CountSpec } from '../../../src/count/index.ts';
import { countRankings } from '../../../src/core/secret/ranked-count.ts';
import { encryptRanks, type RankedBallotBody, type ShuffleBody } from '../../../src/ballot/index.ts';
import { buildElection, seededRandom } from '../../ballot/fixture.ts';
import { rankedManifest } from '../../ballot/mixnet-fixture.ts';

test('secret STV: 200 voters, 10 candidates, 3 mixers, 2-of-3 trustees, 4 seats — verified and equal to the open count', async () => {
  const g = await sodiumGroup();
  const candidates = Array.from({ length: 10 }, (_, i) => `c${i + 1}`);
  const f = buildElection(g, {
    n: 3,
    k: 2,
    voters: 200,
    manifest: rankedManifest(10, 'stv-e2e'),
    seed: 'stv-e2e',
  });
  const rnd = seededRandom('stv-e2e/votes');
  const pick = (n: number) => rnd(4).reduce((a, b) => a * 256 + b, 0) % n;
  // rankings with a lean: candidates 1–4 are liked more; some ballots rank few, some tie, one is blank
  const plain: string[][][] = [];
  const cast: { ballot: RankedBallotBody; at: number }[] = [];
  for (let v = 0; v < 200; v++) {
    let ranking: string[][];
    if (v === 7) ranking = [];
    else {
      const order = [...candidates].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)) + pick(13) - 6);
      const length = 1 + pick(10);
      ranking = order.slice(0, length).map((c) => [c]);
      if (v % 25 === 3 && ranking.length > 2)
        ranking = [[...ranking[0]!, ...ranking[1]!], ...ranking.slice(2)];
    }
    if (v === 11) {
      // a first ballot, replaced below by a revote: only the last counts
      cast.push({
        ballot: encryptRanking(g, f.election, f.voters[v]!.secret, [['c10']], rnd).ballot,
        at: 1_200_000,
      });
    }
    plain.push(ranking);
    cast.push({
      ballot: encryptRanking(g, f.election, f.voters[v]!.secret, ranking, rnd).ballot,
      at: 1_500_000,
    });
  }
  // two hostile devices: a gap in the ranks, and a rank above 10 — invalid, whoever decrypts them
  cast[20] = {
    ballot: encryptRanks(g, f.election, f.voters[19]!.secret, [1, 0, 3, 0, 0, 0, 0, 0, 0, 0], rnd).ballot,
    at: 1_500_000,
  };
  cast[31] = {
    ballot: encryptRanks(g, f.election, f.voters[30]!.secret, [0, 0, 0, 0, 0, 0, 0, 0, 0, 11], rnd).ballot,
    at: 1_500_000,
  };
  const hostile = new Set([19, 30]);

  const input = mixInput(f.election, cast);
  assert.equal(input.length, 200);
  const shuffles: ShuffleBody[] = [];
  let list = input;
  for (const mixer of [1, 2, 3]) {
    const s = shuffle(g, f.election, mixer, list, seededRandom(`mixer ${mixer}`));
    shuffles.push(s);
    list = s.ciphertexts;
  }
  const partials = [f.trusteeShares[2]!, f.trusteeShares[0]!].map((sh) =>
    mixPartialDecrypt(g, f.election, sh, list, seededRandom(`trustee ${sh.trustee}`)),
  );
  const result = combineMix(g, f.election, list, partials).result;
  assert.deepEqual(result?.trustees, [1, 3]);

  const report = verifyMixBoard(g, f.election, { cast, shuffles, partials, result });
  assert.ok(report.ok, JSON.stringify(report.checks.filter((c) => !c.ok)));
  assert.ok(report.rankings);

  const spec: CountSpec = { method: 'scottish-stv', options: candidates, seats: 4 };
  const secret = countRankings(spec, report.rankings);
  assert.equal(secret.valid, 198);
  assert.deepEqual(secret.invalid.map((i) => i.reason).sort(), [
    'candidate 9 has rank 11 > 10',
    'rank 2 is missing but rank 3 is used',
  ]);
  const open = countVote(
    spec,
    plain.filter((_, v) => !hostile.has(v)).map((ranking) => ({ ranking })),
  );
  assert.equal(secret.report.winners.length, 4);
  assert.deepEqual(secret.report.winners, open.winners);
  assert.deepEqual(secret.report.rounds, open.rounds);
  assert.ok(secret.report.rounds.length >= 2, 'every round shown');

  // a tampered shuffle in the middle of the chain is named, and nothing after it is decrypted
  const bad = structuredClone(shuffles);
  bad[1]!.ciphertexts[5] = bad[1]!.ciphertexts[6]!;
  const caught = verifyMixBoard(g, f.election, { cast, shuffles: bad, partials, result });
  assert.equal(caught.ok, false);
  assert.match(JSON.stringify(caught.checks.find((c) => c.id === 'M.2')), /shuffle 2 \(mixer 2\)/);
  assert.equal(caught.rankings, null);
});
