// Replay and `councils verify` accept exactly the mixed-vote logs the live path can write (docs/MIXNET.md §9, §16),
// on SQLite and PostgreSQL: an honest log of a small ranked vote passes every check, while logs a writer forged from
// it fail — decryptions before every mixer had its turn, a lying or repeated decryption share beside k valid ones,
// a share dated after the decryption deadline, a tampered ranked ballot in a vote that failed before anyone mixed,
// a shuffle not signed by its slot's mixer (unsigned, signed by another mixer, or a valid signature made for another
// slot or election), which the core refuses live. Each of these passed the replay before the fix that names it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import * as ballot from '../../src/ballot/index.ts';
import type { Entry } from '../../src/core/index.ts';
import { replayEntries } from '../../src/core/replay.ts';
import { reopenBoard } from '../../src/core/secret/vote.ts';
import { canonicalJson } from '../../src/record/index.ts';
import { testDatabases } from '../support/databases.ts';
import { openSmallSecretVote } from '../support/small-secret-vote.ts';

const g = await ballot.sodiumGroup();
const rnd = (n: number) => new Uint8Array(randomBytes(n));

/** The log with entries taken out or put in, renumbered so that it applies. */
const renumber = (es: Entry[]): Entry[] => es.map((e, seq) => ({ ...e, seq }));
const isBoard = (e: Entry, kind: string) => e.act === 'board_posted' && e.payload.kind === kind;

async function failures(es: Entry[]): Promise<string> {
  const checks = await replayEntries(es);
  return checks
    .filter((c) => c.status !== 'pass')
    .map((c) => `${c.id}: ${c.detail}`)
    .join('\n');
}

for (const database of testDatabases()) {
  describe(`replaying mixed votes (${database.name})`, { timeout: 600_000 }, () => {
    test('a log with decryptions before every mixer had its turn, or with a bad share beside k valid ones, fails', async () => {
      const db = await database.open();
      try {
        const mv = await openSmallSecretVote(db);
        // mixer 1 shuffles; mixers 2 and 3 are skipped at their deadlines; trustees 1 and 2 decrypt
        mv.clock.advanceMinutes(61);
        await mv.shuffle(1);
        for (const slot of [2, 3]) {
          mv.clock.advanceMinutes(10);
          await mv.tick();
          assert.equal((await mv.vote()).secret!.mix!.skipped.length, slot - 1);
        }
        const lie = await mv.share(3);
        lie.decryptions[0]![0]!.M = lie.decryptions[1]![0]!.M;
        const refused = await mv.decrypt(3, lie);
        assert.equal(refused.ok, false, 'the live path refuses a lying share');
        for (const i of [1, 2]) assert.equal((await mv.decrypt(i)).ok, true);
        assert.equal((await mv.vote()).outcome, 'adopted');
        const entries = await mv.entries();
        assert.equal(await failures(entries), '', 'the honest log replays');

        // the skips (and the duty that followed them) taken out: decryptions while mixers 2 and 3 were due
        const unmixed = renumber(
          entries.filter((e) => !isBoard(e, 'mixer-skipped') && e.act !== 'decryption_due'),
        );
        assert.match(await failures(unmixed), /a decryption while mixer 2 of 3 had not had its turn/);

        // a lying share of trustee 3 put before trustee 1's, the result still combining 1 and 2
        const first = entries.findIndex((e) => isBoard(e, 'mix-decryption'));
        const shareEntry = (trustee: number, body: ballot.MixDecryptionBody): Entry =>
          ({
            ...entries[first]!,
            actor: mv.trustees[trustee - 1]!,
            payload: {
              voteId: mv.voteId,
              kind: 'mix-decryption',
              body: { trustee, part: 0, parts: 1, text: canonicalJson(body) },
            },
          }) as Entry;
        const lying = renumber([...entries.slice(0, first), shareEntry(3, lie), ...entries.slice(first)]);
        assert.match(await failures(lying), /M\.3.*decryption of trustee 3: proof invalid/);
        // the verifier alone (as in the browser) refuses it too
        // the vote has ended: its board is read again from the log (src/core/secret/settled.ts)
        const mix = (await reopenBoard(g, await mv.vote(), entries)).mix!;
        const board = {
          cast: mix.cast,
          shuffles: mix.shuffles.map((s) => s.shuffle),
          partials: [lie, ...mix.partials.map((p) => p.decryption)],
          result: mix.result!.result,
        };
        const report = ballot.verifyMixBoard(g, mv.election, board);
        assert.equal(report.checks.find((c) => c.id === 'M.3')?.ok, false);

        // trustee 1's share posted twice, before trustee 2's
        const second = entries.findIndex((e, i) => i > first && isBoard(e, 'mix-decryption'));
        const repeated = renumber([
          ...entries.slice(0, second),
          { ...entries[first]!, time: entries[second]!.time },
          ...entries.slice(second),
        ]);
        assert.match(await failures(repeated), /a second decryption of trustee 1/);
        assert.match(await failures(repeated), /M\.3.*duplicate partial decryption/);
      } finally {
        await db.close();
      }
    });

    test("a shuffle not signed by its slot's mixer is refused live and named by the replay; the mark cannot be dropped", async () => {
      const db = await database.open();
      try {
        const mv = await openSmallSecretVote(db);
        assert.equal(
          mv.election.setup.manifest.shuffles,
          'signed',
          'every ranked vote requires signed shuffles',
        );
        mv.clock.advanceMinutes(61);
        const input = await mv.currentList();
        const body = ballot.shuffle(g, mv.election, 1, input, rnd);
        const y = (trustee: number) => mv.trusteeSecrets[trustee - 1]!.communicationSecret;
        const elsewhere = { ...mv.election, fingerprint: 'ab'.repeat(32) };
        const forged: [string, ballot.ShuffleBody][] = [
          ['unsigned', body],
          ['signed by mixer 2', ballot.signShuffle(g, mv.election, 1, input, body, y(2), rnd)],
          ['signed by mixer 1 for slot 2', ballot.signShuffle(g, mv.election, 2, input, body, y(1), rnd)],
          [
            'signed by mixer 1 for another election',
            ballot.signShuffle(g, elsewhere, 1, input, body, y(1), rnd),
          ],
        ];
        // the live path (the server's queue) refuses each, from the due mixer herself
        for (const [what, s] of forged) {
          const r = await mv.execute(mv.trustees[0]!, {
            type: 'post_shuffle',
            voteId: mv.voteId,
            shuffle: s,
          });
          assert.equal(r.ok, false, what);
          assert.match(JSON.stringify(r), /shuffle_invalid.*not (signed|slot 1's mixer's)/, what);
        }
        // the honest run: mixer 1 signs, 2 and 3 are skipped, trustees 1 and 2 decrypt
        await mv.shuffle(1);
        for (let slot = 2; slot <= 3; slot++) {
          mv.clock.advanceMinutes(10);
          await mv.tick();
        }
        for (const i of [1, 2]) assert.equal((await mv.decrypt(i)).ok, true);
        const entries = await mv.entries();
        assert.equal(await failures(entries), '', 'the honest log replays');
        // a writer puts each forged signature in place of mixer 1's (the proof is the same, so M.2's proof passes)
        const at = entries.findIndex((e) => isBoard(e, 'shuffle'));
        const posted = (await reopenBoard(g, await mv.vote(), entries)).mix!.shuffles[0]!.shuffle;
        const withSignature = (signature: ballot.ShuffleBody['signature']): Entry[] => {
          const es = structuredClone(entries);
          const { signature: _mine, ...rest } = posted;
          const text = canonicalJson(signature ? { ...rest, signature } : rest);
          (es[at]!.payload as { body: unknown }).body = { slot: 1, part: 0, parts: 1, text };
          return es;
        };
        for (const [what, s] of forged)
          assert.match(
            await failures(withSignature(s.signature)),
            /M\.2 \(shuffle proofs\): shuffle 1 \(mixer 1, slot 1\): (not signed|the signature is not slot 1's mixer's)/,
            what,
          );
        // the mark dropped from the setup to go back to the unsigned rule: H_S no longer matches, so every trustee's
        // key-generation proof and every ballot fails with it
        const setupAt = entries.findIndex((e) => isBoard(e, 'setup'));
        const dropped = structuredClone(entries);
        delete (dropped[setupAt]!.payload as { body: ballot.SetupBody }).body.manifest.shuffles;
        assert.notEqual(await failures(dropped), '');
      } finally {
        await db.close();
      }
    });

    test('a failed mixed vote nobody shuffled still has every ranked ballot checked', async () => {
      const db = await database.open();
      try {
        const mv = await openSmallSecretVote(db);
        mv.clock.advanceMinutes(61);
        for (let slot = 1; slot <= 3; slot++) {
          mv.clock.advanceMinutes(10);
          await mv.tick();
        }
        await mv.tick();
        assert.equal((await mv.vote()).outcome, 'failed');
        const entries = await mv.entries();
        assert.equal(await failures(entries), '', 'the honest log replays');
        // a ranked ballot whose signature was changed after the fact
        const at = entries.findIndex((e) => isBoard(e, 'ranked-ballot'));
        const forged = structuredClone(entries);
        const body = (forged[at]!.payload as { body: ballot.RankedBallotBody }).body;
        body.signature.s = body.signature.s.replace(/^../, body.signature.s.startsWith('00') ? '01' : '00');
        assert.match(await failures(forged), /M\.1 \(ranked ballots\): ballot 0/);
      } finally {
        await db.close();
      }
    });
  });
}
