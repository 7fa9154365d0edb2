// A trustee's side of a secret vote as the web app's worker runs it (src/web/secret/trustee-ops.ts and
// trustee-keystore.ts): three trustees commit, deal, check and decrypt with sealed files only, and the verifier
// accepts the board and its result; a wrong passphrase, another vote's file, a file that is not the committed
// secret, a cheating dealer and a server's false tally each get their own refusal, and nothing secret is in a reply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  aggregate,
  combine,
  encryptBallot,
  makeCredential,
  makeSetup,
  nobleGroup,
  verifyBoard,
  verifyPartial,
  type BoardEntry,
  type PartialDecryptionBody,
} from '../../src/ballot/index.ts';
import {
  handleTrusteeRequest,
  type TrusteeRequest,
  type TrusteeWho,
} from '../../src/web/secret/trustee-ops.ts';
import {
  DEFAULT_KDF,
  openTrusteeSecret,
  readTrusteeFile,
  TrusteeKeyError,
  type TrusteeFile,
} from '../../src/web/secret/trustee-keystore.ts';
import { electionFromBoard } from '../../src/ballot/verifier.ts';
import { manifest3 } from '../ballot/fixture.ts';

const g = nobleGroup;
const rnd = (n: number) => new Uint8Array(randomBytes(n));
// Cheap argon2id for the ceremony (the file records its parameters); the default is tested once below.
const kdf = { name: 'argon2id', m: 64, t: 1, p: 1 } as const;
const pass = (i: number) => `trustee ${i} passphrase, long enough`;

type Op<K extends TrusteeRequest['op']> = Extract<ReturnType<typeof handleTrusteeRequest>, { op: K }>;
const ask = <K extends TrusteeRequest['op']>(req: TrusteeRequest & { op: K }) =>
  handleTrusteeRequest(req, rnd, g) as Op<K>;

const who = (trustee: number, voteId = manifest3.electionId): TrusteeWho => ({
  orgId: 'org',
  voteId,
  memberId: `m${trustee}`,
  trustee,
});

function refusal(fn: () => unknown, code: TrusteeKeyError['code']): void {
  assert.throws(fn, (e: unknown) => e instanceof TrusteeKeyError && e.code === code);
}

/** The key ceremony of three trustees (two decrypt), each acting only through the worker's requests. */
function ceremony() {
  const setup = makeSetup(manifest3, { n: 3, k: 2 });
  const at = manifest3.opensAt - 1000;
  const board: BoardEntry[] = [{ kind: 'setup', at, body: setup }];
  const files: TrusteeFile[] = [];
  for (const i of [1, 2, 3]) {
    const r = ask({ op: 'trustee-commit', who: who(i), board, passphrase: pass(i), kdf });
    files.push(r.file);
    board.push({ kind: 'dkg-commit', at, body: r.message });
  }
  for (const i of [1, 2, 3]) {
    const r = ask({ op: 'trustee-shares', who: who(i), board, file: files[i - 1]!, passphrase: pass(i) });
    board.push({ kind: 'dkg-shares', at, body: r.message });
  }
  return { setup, board, files, at };
}

test('three trustees: key generation, check, decryption in the worker; the verifier accepts the result', () => {
  const { board, files, at } = ceremony();
  for (const i of [1, 2, 3]) {
    const r = ask({ op: 'trustee-check', who: who(i), board, file: files[i - 1]!, passphrase: pass(i) });
    assert.deepEqual(
      r.good.sort(),
      [1, 2, 3].filter((x) => x !== i),
    );
    assert.deepEqual(r.accusations, []);
  }
  // voters: two yes, one no
  const voters = [0, 1, 2].map(() => makeCredential(g, rnd));
  const credentials = voters
    .map((v) => ({ credential: v.public, weight: 1 }))
    .sort((x, y) => (x.credential < y.credential ? -1 : 1));
  board.push({ kind: 'credentials', at, body: { credentials } });
  const election = electionFromBoard(g, board)!;
  [
    [1, 0, 0],
    [0, 1, 0],
    [1, 0, 0],
  ].forEach((choice, v) => {
    const { ballot } = encryptBallot(g, election, voters[v]!.secret, [choice], rnd);
    board.push({ kind: 'ballot', at: manifest3.opensAt + 10 + v, body: ballot });
  });
  const cast = board.flatMap((e) => (e.kind === 'ballot' ? [{ ballot: e.body, at: e.at }] : []));
  const agg = aggregate(g, election, cast);
  const end = manifest3.closesAt + 1;
  const partials: PartialDecryptionBody[] = [];
  for (const i of [3, 1]) {
    const r = ask({
      op: 'trustee-decrypt',
      who: who(i),
      board,
      aggregate: agg,
      file: files[i - 1]!,
      passphrase: pass(i),
    });
    assert.equal(r.counted, 3);
    // what the server and `councils verify` check of it (the core's invalid_proof, verifier check 7)
    assert.equal(verifyPartial(g, election, agg, r.message), null);
    partials.push(r.message);
    board.push({ kind: 'partial-decryption', at: end, body: r.message });
  }
  const out = combine(g, election, agg, partials);
  assert.ok(out.ok && out.result);
  assert.deepEqual(out.result.tallies, [[2, 1, 0]]);
  board.push({ kind: 'result', at: end, body: out.result });
  const report = verifyBoard(g, board);
  assert.ok(report.ok, JSON.stringify(report.checks.filter((c) => !c.ok)));

  // a partial decryption altered after the worker made it fails the same check
  const altered = structuredClone(partials[0]!);
  altered.decryptions[0]![0]!.M = partials[1]!.decryptions[0]![0]!.M;
  assert.notEqual(verifyPartial(g, election, agg, altered), null);

  // a server that offers one ballot's ciphertext as "the tally" gets nothing decrypted
  const first = board.find((e) => e.kind === 'ballot')!.body as { contests: { selections: object[] }[] };
  const oneBallot = { ...agg, ciphertexts: [first.contests[0]!.selections as never] };
  refusal(
    () =>
      ask({
        op: 'trustee-decrypt',
        who: who(2),
        board,
        aggregate: oneBallot,
        file: files[1]!,
        passphrase: pass(2),
      }),
    'trustee_aggregate_mismatch',
  );
});

test('the sealed file: no secret in clear, a wrong passphrase, another vote, an edited header, not the committed one', () => {
  const { board, files } = ceremony();
  const file = files[0]!;
  const secret = openTrusteeSecret(file, pass(1));
  assert.equal(secret.trustee, 1);
  const json = JSON.stringify(file);
  for (const s of [secret.communicationSecret, ...secret.coefficients]) assert.ok(!json.includes(s));
  const shares = (f: TrusteeFile, passphrase = pass(1), w = who(1)) =>
    ask({ op: 'trustee-shares', who: w, board, file: f, passphrase });
  refusal(() => shares(file, pass(2)), 'trustee_wrong_passphrase');
  refusal(() => shares(file, pass(1), who(1, 'another-vote')), 'trustee_not_this_vote');
  refusal(() => shares(file, pass(2), who(2)), 'trustee_not_this_vote');
  // the header is the AEAD's associated data: claiming other KDF parameters or another commitment does not open
  refusal(() => shares({ ...file, kdf: { ...file.kdf, t: 2 } }), 'trustee_wrong_passphrase');
  refusal(() => shares({ ...file, commit: files[1]!.commit }), 'trustee_wrong_passphrase');
  refusal(() => readTrusteeFile({ format: 'something else' }), 'trustee_not_a_key_file');
  // a second secret made for the same trustee (the first post lost, say) is not the one the board holds
  const again = ask({ op: 'trustee-commit', who: who(1), board, passphrase: pass(1), kdf });
  refusal(() => shares(again.file), 'trustee_not_my_commitment');
  // too short a passphrase is refused before anything is made
  refusal(
    () => ask({ op: 'trustee-commit', who: who(1), board, passphrase: 'short', kdf }),
    'trustee_weak_passphrase',
  );
});

test('a cheating dealer is accused by the check, once', () => {
  const { board, files, at } = ceremony();
  // trustee 2's share to trustee 3 replaced by its share to trustee 1: Feldman's check fails for trustee 3
  const dealt = board.find((e) => e.kind === 'dkg-shares' && e.body.trustee === 2)!;
  const body = structuredClone(dealt.body) as { shares: { to: number }[] };
  const to1 = body.shares.find((s) => s.to === 1)!;
  body.shares = body.shares.map((s) => (s.to === 3 ? { ...to1, to: 3 } : s));
  dealt.body = body as never;
  const check = () => ask({ op: 'trustee-check', who: who(3), board, file: files[2]!, passphrase: pass(3) });
  const r = check();
  assert.deepEqual(r.good, [1]);
  assert.deepEqual(
    r.accusations.map((a) => [a.accuser, a.accused]),
    [[3, 2]],
  );
  board.push({ kind: 'dkg-accusation', at, body: r.accusations[0]! });
  assert.deepEqual(check().accusations, [], 'an accusation on the board is not made again');
});

test('the default KDF is argon2id at OWASP’s parameters, and a file made with it opens', () => {
  assert.deepEqual(DEFAULT_KDF, { name: 'argon2id', m: 19456, t: 2, p: 1 });
  const setup = makeSetup(manifest3, { n: 1, k: 1 });
  const board: BoardEntry[] = [{ kind: 'setup', at: 0, body: setup }];
  const r = ask({ op: 'trustee-commit', who: who(1), board, passphrase: pass(1) });
  assert.deepEqual({ ...r.file.kdf, salt: undefined }, { ...DEFAULT_KDF, salt: undefined });
  assert.equal(openTrusteeSecret(r.file, pass(1)).trustee, 1);
  refusal(() => openTrusteeSecret(r.file, pass(1) + ' '), 'trustee_wrong_passphrase');
});

test('a setup whose hash does not match its contents is refused before any secret is made', () => {
  const setup = makeSetup(manifest3, { n: 3, k: 2 });
  const board: BoardEntry[] = [{ kind: 'setup', at: 0, body: { ...setup, k: 1 } }];
  refusal(
    () => ask({ op: 'trustee-commit', who: who(1), board, passphrase: pass(1), kdf }),
    'trustee_board_invalid',
  );
});
