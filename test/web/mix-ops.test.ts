// A secret ranked vote as the web app's worker runs it (src/web/secret/mix-ops.ts and trustee-ops.ts): three trustees
// make the key with sealed files, five voters encrypt rankings (one challenges first and sees it opened), three
// mixers shuffle in turn, two trustees decrypt the last list, and the in-browser verifier accepts the board and
// counts it again by IRV with every round. A mixer out of turn, a shuffle tampered on the board, a list short of a
// mixer and a lying decryption are each refused or caught, and no reply carries a secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  combineMix,
  makeCredential,
  makeSetup,
  nobleGroup,
  verifyMixPartial,
  verifyShuffle,
  type BoardEntry,
  type MixDecryptionBody,
  type ShuffleBody,
} from '../../src/ballot/index.ts';
import {
  handleMixRequest,
  type MixBoardView,
  type MixError,
  type MixRequest,
} from '../../src/web/secret/mix-ops.ts';
import {
  handleTrusteeRequest,
  type TrusteeRequest,
  type TrusteeWho,
} from '../../src/web/secret/trustee-ops.ts';
import type { TrusteeFile } from '../../src/web/secret/trustee-keystore.ts';
import { electionFromBoard } from '../../src/ballot/verifier.ts';
import { rankedManifest } from '../ballot/mixnet-fixture.ts';
import { countVote } from '../../src/count/index.ts';

const g = nobleGroup;
const rnd = (n: number) => new Uint8Array(randomBytes(n));
const kdf = { name: 'argon2id', m: 64, t: 1, p: 1 } as const;
const pass = (i: number) => `mixer and trustee ${i}, long passphrase`;
const manifest = {
  ...rankedManifest(4, 'web-ranked'),
  ballot: 'ranked' as const,
  shuffles: 'signed' as const,
};

type TOp<K extends TrusteeRequest['op']> = Extract<ReturnType<typeof handleTrusteeRequest>, { op: K }>;
const trustee = <K extends TrusteeRequest['op']>(req: TrusteeRequest & { op: K }) =>
  handleTrusteeRequest(req, rnd, g) as TOp<K>;
type MOp<K extends MixRequest['op']> = Extract<ReturnType<typeof handleMixRequest>, { op: K }>;
const mix = <K extends MixRequest['op']>(req: MixRequest & { op: K }) =>
  handleMixRequest(req, rnd, g) as MOp<K>;

const who = (i: number): TrusteeWho => ({
  orgId: 'org',
  voteId: manifest.electionId,
  memberId: `m${i}`,
  trustee: i,
});

function refused(fn: () => unknown, code: MixError['code'] | 'trustee_board_invalid'): void {
  assert.throws(fn, (e: unknown) => (e as { code?: string }).code === code);
}

/** Key ceremony of three trustees through the worker's requests, five credentials, the list frozen. */
function rankedElection() {
  const setup = makeSetup(manifest, { n: 3, k: 2 });
  const at = manifest.opensAt - 1000;
  const board: BoardEntry[] = [{ kind: 'setup', at, body: setup }];
  const files: TrusteeFile[] = [];
  for (const i of [1, 2, 3]) {
    const r = trustee({ op: 'trustee-commit', who: who(i), board, passphrase: pass(i), kdf });
    files.push(r.file);
    board.push({ kind: 'dkg-commit', at, body: r.message });
  }
  for (const i of [1, 2, 3]) {
    const r = trustee({
      op: 'trustee-shares',
      who: who(i),
      board,
      file: files[i - 1]!,
      passphrase: pass(i),
    });
    board.push({ kind: 'dkg-shares', at, body: r.message });
  }
  const voters = [0, 1, 2, 3, 4].map(() => makeCredential(g, rnd));
  const credentials = voters
    .map((v) => ({ credential: v.public, weight: 1 }))
    .sort((x, y) => (x.credential < y.credential ? -1 : 1));
  board.push({ kind: 'credentials', at, body: { credentials } });
  const view: MixBoardView = { cast: [], spoiled: [], shuffles: [], skipped: [], partials: [], result: null };
  return { board, view, files, voters };
}
let seq = 100;

const rankings = [[['c1'], ['c2']], [['c2'], ['c1']], [['c3'], ['c2']], [['c2']], [['c1'], ['c3'], ['c4']]];
const irv = { method: 'irv' as const, seats: 1, seed: manifest.electionId };

test('five rankings, three mixers, two trustees in the worker; the browser verifier accepts and recounts', () => {
  const { board, view, files, voters } = rankedElection();
  const election = electionFromBoard(g, board)!;
  assert.ok(election);

  // Voter 0 challenges a ballot first: it opens to the ranking she chose, and the reply has no secret in it.
  const first = mix({
    op: 'ranked-encrypt',
    board,
    credentialSecret: voters[0]!.secret,
    ranking: rankings[0]!,
  });
  assert.match(first.code, /^[0-9a-f]{64}$/);
  assert.ok(!JSON.stringify(first.ballot).includes(voters[0]!.secret));
  const spoil = mix({ op: 'ranked-spoil', board, ballot: first.ballot, ballotNonce: first.ballotNonce });
  assert.deepEqual(spoil.spoiled.ranking, rankings[0]);
  refused(
    () => mix({ op: 'ranked-spoil', board, ballot: first.ballot, ballotNonce: '00'.repeat(32) }),
    'mix_board_invalid',
  );
  // Everyone casts (voter 0 again, a new ballot).
  rankings.forEach((ranking, v) => {
    const r = mix({ op: 'ranked-encrypt', board, credentialSecret: voters[v]!.secret, ranking });
    view.cast.push({ seq: seq++, at: manifest.opensAt + 10 + v, ballot: r.ballot });
  });

  // Mixers in turn: mixer 2 cannot go first; each checks the chain before it and its proof verifies.
  refused(() => mix({ op: 'mix-shuffle', board, mix: view, mixer: 2 }), 'mix_not_your_turn');
  const shuffles: ShuffleBody[] = [];
  const signedShuffle = (m: number, on: MixBoardView, slot = m) =>
    trustee({
      op: 'trustee-mix-shuffle',
      who: who(slot),
      board,
      mix: on,
      mixer: m,
      file: files[slot - 1]!,
      passphrase: pass(slot),
    });
  for (const m of [1, 2, 3]) {
    const r = signedShuffle(m, view);
    assert.ok(r.message.signature, 'the worker signs with the trustee key');
    assert.ok(!JSON.stringify(r).includes(pass(m)));
    assert.equal(r.ballots, 5);
    const input = m === 1 ? null : shuffles.at(-1)!.ciphertexts;
    if (input) assert.deepEqual(verifyShuffle(g, election, input, r.message), { ok: true });
    shuffles.push(r.message);
    view.shuffles.push({ seqs: [seq++], slot: m, shuffle: r.message });
    if (m === 1) {
      // a server that swaps two ballots of mixer 1's output gets no shuffle from mixer 2 and no decryption
      const tampered = structuredClone(view);
      const body = tampered.shuffles.at(-1)!.shuffle;
      body.ciphertexts = [body.ciphertexts[1]!, body.ciphertexts[0]!, ...body.ciphertexts.slice(2)];
      refused(() => mix({ op: 'mix-shuffle', board, mix: tampered, mixer: 2 }), 'mix_chain_invalid');
      // the server's own shuffle in slot 1 (a correct proof, unsigned or signed by mixer 3's key) gets no shuffle
      // from mixer 2 either (docs/MIXNET.md §12)
      const fresh = { ...view, shuffles: [] };
      for (const own of [
        mix({ op: 'mix-shuffle', board, mix: fresh, mixer: 1 }).message,
        signedShuffle(1, fresh, 3).message,
      ]) {
        const operator = { ...view, shuffles: [{ seqs: [seq], slot: 1, shuffle: own }] };
        refused(() => signedShuffle(2, operator), 'mix_chain_invalid');
      }
      refused(
        () =>
          trustee({
            op: 'trustee-mix-decrypt',
            who: who(1),
            board,
            mix: { ...tampered, skipped: [2, 3].map((slot) => ({ seq: 0, slot, reason: 'deadline' })) },
            file: files[0]!,
            passphrase: pass(1),
          }),
        'mix_chain_invalid',
      );
    }
  }
  const last = shuffles.at(-1)!.ciphertexts;

  // A trustee will not decrypt while a named mixer has not shuffled (the list would still link voters).
  refused(
    () =>
      trustee({
        op: 'trustee-mix-decrypt',
        who: who(1),
        board,
        mix: { ...view, shuffles: view.shuffles.slice(0, -1) },
        file: files[0]!,
        passphrase: pass(1),
      }),
    'mix_chain_invalid',
  );
  // Trustee 2 shuffled in slot 2; a board that shows slot 2 skipped (and mixer 3's shuffle right after mixer 1's,
  // which the server alone could claim) is refused by trustee 2's browser, which noted its shuffle
  const skipped2 = {
    ...view,
    shuffles: view.shuffles.slice(0, 1),
    skipped: [
      { seq: 0, slot: 2, reason: 'deadline' },
      { seq: 0, slot: 3, reason: 'deadline' },
    ],
  };
  refused(
    () =>
      trustee({
        op: 'trustee-mix-decrypt',
        who: who(2),
        board,
        mix: skipped2,
        shuffledIn: 2,
        file: files[1]!,
        passphrase: pass(2),
      }),
    'mix_my_shuffle_missing',
  );
  const partials: MixDecryptionBody[] = [];
  for (const i of [2, 3]) {
    const r = trustee({
      op: 'trustee-mix-decrypt',
      who: who(i),
      board,
      mix: view,
      file: files[i - 1]!,
      passphrase: pass(i),
    });
    assert.equal(r.ballots, 5);
    assert.equal(verifyMixPartial(g, election, last, r.message), null);
    assert.ok(!JSON.stringify(r).includes(pass(i)));
    partials.push(r.message);
    view.partials.push({ seqs: [seq++], decryption: r.message });
  }
  const combined = combineMix(g, election, last, partials);
  assert.ok(combined.ok && combined.result);
  view.result = { seq: seq++, result: combined.result };
  view.spoiled.push({ seq: 1, at: manifest.opensAt + 5, spoiled: spoil.spoiled });

  // The in-browser verification: M.1–M.3 pass, and the IRV recount of the decrypted rankings is round by round
  // the count of the rankings as they were cast (what an honest server publishes); c2 wins.
  const published = countVote(
    {
      method: 'irv',
      options: manifest.contests[0]!.options,
      seats: 1,
      tieBreak: { kind: 'backwards', seed: irv.seed },
    },
    rankings.map((ranking) => ({ ranking })),
  );
  const v = mix({ op: 'mix-verify', board, mix: view, rule: irv, published }).verification;
  assert.ok(v.ok, JSON.stringify(v.checks));
  assert.deepEqual(
    v.checks.map((c) => c.id),
    ['M.1', 'M.2', 'M.3', 'challenged'],
  );
  assert.equal(v.ballots, 5);
  assert.equal(v.shuffles, 3);
  assert.equal(v.challenged, 1);
  assert.deepEqual(v.decrypted, { valid: 5, blank: 0, invalid: [] });
  assert.deepEqual(v.recount!.winners, ['c2']);
  assert.ok(v.recount!.rounds.length >= 2, 'IRV eliminates before c2 has a majority');
  assert.equal(v.same, true);
  // a published count that differs in one round's tally is found out
  const forged = structuredClone(published);
  forged.rounds[0]!.tallies.c3 = '2';
  assert.equal(
    mix({ op: 'mix-verify', board, mix: view, rule: irv, published: forged }).verification.same,
    false,
  );

  // A decryption share that lies (another ballot's M) makes the verification fail, and says where.
  const lying = structuredClone(view);
  const pd = lying.partials[0]!.decryption;
  pd.decryptions[0]![0]!.M = pd.decryptions[1]![0]!.M;
  const bad = mix({ op: 'mix-verify', board, mix: lying, rule: irv, published }).verification;
  assert.equal(bad.ok, false);
  assert.equal(bad.checks.find((c) => c.id === 'M.3')!.ok, false);
  assert.equal(bad.recount, null);
  assert.equal(bad.same, null);
});

test('a board without a valid election is refused with its own error id', () => {
  const { board, view, voters } = rankedElection();
  const noKey = board.filter((e) => e.kind !== 'dkg-shares');
  refused(
    () => mix({ op: 'ranked-encrypt', board: noKey, credentialSecret: voters[0]!.secret, ranking: [['c1']] }),
    'mix_board_invalid',
  );
  refused(() => mix({ op: 'mix-shuffle', board, mix: view, mixer: 1 }), 'mix_chain_invalid');
});

test('a trustee makes no key for a ranked vote whose setup does not require signed shuffles', () => {
  const { shuffles: _signed, ...unsigned } = manifest;
  const board: BoardEntry[] = [{ kind: 'setup', at: 0, body: makeSetup(unsigned, { n: 3, k: 2 }) }];
  refused(
    () => trustee({ op: 'trustee-commit', who: who(1), board, passphrase: pass(1), kdf }),
    'trustee_board_invalid',
  );
});
