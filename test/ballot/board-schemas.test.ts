// The JSON Schemas of docs/BALLOT-PROTOCOL.md §7.1 (docs/schemas/ballot/) are true of real boards: every message of
// a whole election made by the library (an accusation, a challenge, a revote, decryption, result) validates against
// its schema, and the schemas refuse malformed messages. The schemas close every object (no member they do not
// name), so a field renamed in code fails here. The ledger's entries and the API's views: test/server/board-schemas.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sodiumGroup, unknownMember, verifyBoard, type BoardEntry } from '../../src/ballot/index.ts';
import { schemaErrors, schemaNames } from '../support/board-schemas.ts';
import { signedBy, testIssuer } from '../support/issuer.ts';
import { buildElection, runElection } from './fixture.ts';

const g = await sodiumGroup();
// trustee 3 deals trustee 1 a bad share: trustee 1 accuses, 3 is disqualified, 1 and 2 decrypt; the credentials
// carry blind signatures (§4.1)
const f = buildElection(g, {
  n: 3,
  k: 2,
  voters: 4,
  seed: 'schemas',
  corruptShare: [3, 1],
  ...signedBy(testIssuer()),
});
const run = runElection(g, f, {
  votes: [
    { voter: 0, choices: [[1, 0, 0]], challengeFirst: true },
    { voter: 1, choices: [[0, 1, 0]] },
    { voter: 2, choices: [[0, 0, 1]] },
    { voter: 1, choices: [[1, 0, 0]] },
  ],
  decrypting: [1, 2],
});
const board = run.board;
const body = <K extends BoardEntry['kind']>(kind: K) =>
  structuredClone(board.find((e) => e.kind === kind)!.body) as Extract<BoardEntry, { kind: K }>['body'];

describe('the board schemas (docs/schemas/ballot)', () => {
  test('the board is a real one: it verifies, with an accusation, a challenge, a revote and signed credentials', () => {
    assert.equal(verifyBoard(g, board).ok, true);
    assert.ok(body('setup').issuers && body('credentials').credentials.every((c) => c.signature));
    const kinds = new Set(board.map((e) => e.kind));
    for (const k of ['dkg-accusation', 'spoiled', 'partial-decryption', 'result'] as const)
      assert.ok(kinds.has(k), k);
  });

  test('every entry validates as a board entry, and its body against the schema of its kind', () => {
    for (const [i, e] of board.entries()) {
      assert.equal(schemaErrors('board-entry', e), null, `entry ${i} (${e.kind})`);
      assert.equal(schemaErrors(e.kind, e.body), null, `entry ${i} body (${e.kind})`);
    }
  });

  test('the schemas refuse malformed messages, naming the place', () => {
    const refused: [string, string, unknown, RegExp][] = [];
    const commit = body('dkg-commit');
    const { commitmentHash, ...renamed } = commit;
    refused.push(['a renamed field', 'dkg-commit', { ...renamed, commitment: commitmentHash }, /commitment/]);
    refused.push([
      'upper-case hex',
      'dkg-commit',
      { ...commit, communicationKey: commit.communicationKey.toUpperCase() },
      /\/communicationKey must match pattern/,
    ]);
    const shares = body('dkg-shares');
    shares.shares[0]!.ct = shares.shares[0]!.ct.slice(2);
    refused.push(['a 47-byte share ciphertext', 'dkg-shares', shares, /\/shares\/0\/ct must match/]);
    refused.push([
      'trustee 0',
      'dkg-accusation',
      { ...body('dkg-accusation'), accuser: 0 },
      /\/accuser must be >= 1/,
    ]);
    refused.push(['a part without parts', 'credentials', { ...body('credentials'), part: 1 }, /parts/]);
    const light = body('credentials');
    light.credentials[0]!.weight = 0;
    refused.push(['a weight of 0', 'credentials', light, /\/credentials\/0\/weight must be >= 1/]);
    const short = body('ballot');
    short.contests[0]!.selections[0]!.alpha = short.contests[0]!.selections[0]!.alpha.slice(2);
    refused.push(['a 31-byte point', 'ballot', short, /\/contests\/0\/selections\/0\/alpha must match/]);
    refused.push([
      'an unknown member',
      'ballot',
      { ...body('ballot'), note: 'hi' },
      /must NOT have additional/,
    ]);
    const unsigned = body('ballot');
    delete (unsigned.signature as { s?: string }).s;
    refused.push([
      'a signature without s',
      'ballot',
      unsigned,
      /\/signature must have required property 's'/,
    ]);
    const spoiled = body('spoiled');
    spoiled.plaintext[0]![0] = -1;
    refused.push(['a negative plaintext', 'spoiled', spoiled, /\/plaintext\/0\/0 must be >= 0/]);
    const pd = body('partial-decryption');
    (pd.decryptions[0]![0]! as { M: unknown }).M = 7;
    refused.push(['a number for a point', 'partial-decryption', pd, /\/decryptions\/0\/0\/M must be string/]);
    refused.push([
      'a fractional tally',
      'result',
      { ...body('result'), tallies: [[1.5, 0, 1]] },
      /must be integer/,
    ]);
    refused.push([
      'another version',
      'setup',
      { ...body('setup'), version: 'v2' },
      /\/version must be equal to constant/,
    ]);
    refused.push(['256 trustees', 'setup', { ...body('setup'), n: 256 }, /\/n must be <= 255/]);
    refused.push([
      'an unknown kind',
      'board-entry',
      { kind: 'vote', at: 0, body: {} },
      /\/kind must be equal to one of/,
    ]);
    refused.push([
      'a body of another kind',
      'board-entry',
      { kind: 'setup', at: 0, body: body('dkg-commit') },
      /\/body must have required property 'version'/,
    ]);
    for (const [what, schema, value, why] of refused) {
      const errors = schemaErrors(schema, value);
      assert.notEqual(errors, null, `${what}: accepted`);
      assert.match(errors!, why, what);
    }
  });

  test("the members the core allows (unknownMember) are the schemas' exactly, at every depth", () => {
    /** Every object inside a value, with a way to add a member to it in a copy. */
    function objects(v: unknown, at: (string | number)[] = []): (string | number)[][] {
      if (Array.isArray(v)) return v.flatMap((x, i) => objects(x, [...at, i]));
      if (typeof v !== 'object' || v === null) return [];
      return [at, ...Object.entries(v).flatMap(([k, x]) => objects(x, [...at, k]))];
    }
    let padded = 0;
    for (const [i, e] of board.entries()) {
      assert.equal(unknownMember(e.kind, e.body), null, `entry ${i} (${e.kind})`);
      for (const at of objects(e.body)) {
        const copy = structuredClone(e.body) as unknown as Record<string, unknown>;
        const target = at.reduce<Record<string | number, unknown>>(
          (o, k) => o[k] as Record<string, unknown>,
          copy,
        );
        target.zz = 1;
        const where = `entry ${i} (${e.kind}) at ${at.join('.') || 'the body'}`;
        assert.match(unknownMember(e.kind, copy) ?? 'allowed', /\.zz: not a member of this message$/, where);
        assert.match(schemaErrors(e.kind, copy) ?? 'valid', /must NOT have additional properties/, where);
        padded++;
      }
    }
    assert.ok(padded > 100, `${padded} objects padded`);
  });

  test('every schema file is one the tests use', () => {
    const used = [
      'common',
      'board-entry',
      ...new Set(board.map((e) => e.kind)),
      // validated against the ledger's entries and the API's views (test/server/board-schemas.test.ts)
      'log-entry',
      'secret-view',
      // a ranked vote's entries and joined bodies (the same test); mix-part through log-entry
      ...[
        'ranked-ballot',
        'ranked-spoiled',
        'mixer-skipped',
        'mix-part',
        'shuffle',
        'mix-decryption',
        'mix-result',
      ],
    ];
    assert.deepEqual([...schemaNames].sort(), [...new Set(used)].sort());
  });
});
