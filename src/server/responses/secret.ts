// Response schemas of secret votes (src/server/routes/secret.ts, docs/BALLOT-PROTOCOL.md "In Councils"). A board
// message's body is described by the protocol's own JSON Schemas (docs/BALLOT-PROTOCOL.md), not repeated here.
import { Type, type Static } from '@sinclair/typebox';
import { Count, Obj, Open } from './common.ts';

const Hex = Type.String({ pattern: '^[0-9a-f]*$' });

export const BoardEntry = Obj({
  seq: Count,
  kind: Type.Union([
    Type.Literal('setup'),
    Type.Literal('dkg-commit'),
    Type.Literal('dkg-shares'),
    Type.Literal('dkg-accusation'),
    Type.Literal('credentials'),
    Type.Literal('ballot'),
    Type.Literal('spoiled'),
    Type.Literal('partial-decryption'),
    Type.Literal('result'),
  ]),
  at: Count,
  body: Open('the board message (docs/BALLOT-PROTOCOL.md)'),
});

export const SecretView = Obj({
  voteId: Type.String(),
  motionId: Type.String(),
  phase: Type.Union([
    Type.Literal('key-generation'),
    Type.Literal('registration'),
    Type.Literal('voting'),
    Type.Literal('mixing'),
    Type.Literal('decryption'),
    Type.Literal('decided'),
    Type.Literal('failed'),
  ]),
  ballotKind: Type.Union([Type.Literal('homomorphic'), Type.Literal('ranked')], {
    description: 'ranked: counted through the mix-net (docs/MIXNET.md §16)',
  }),
  trustees: Type.Array(Obj({ trustee: Count, memberId: Type.String() })),
  threshold: Count,
  registrationEnds: Type.String({ format: 'date-time' }),
  closesAt: Type.String({ format: 'date-time' }),
  electors: Count,
  viewerWeight: Type.Union([Count, Type.Null()], {
    description: "the signed-in member's weight if they are an elector (every elector's: GET …/electorate)",
  }),
  issued: Count,
  registered: Count,
  options: Type.Array(Type.String()),
  board: Type.Array(BoardEntry, {
    description: 'a page of the board: the entries after `after` (a seq), at most `limit` (1,000 by default)',
  }),
  boardNext: Type.Union([Count, Type.Null()], {
    description: 'the `after` of the next page of the board, or null after the last',
  }),
  credentialList: Type.Optional(Obj({ credentialHash: Hex, count: Count, totalWeight: Count })),
  failure: Type.Optional(Type.String()),
  decrypted: Type.Array(Count, {
    description:
      'the trustees whose partial decryption is on the board, whatever part of the board is shown (for a ranked vote, their decryptions of the mixed list)',
  }),
  awaited: Type.Array(Type.String(), {
    description:
      'the trustees (members, in trustee order) whose decryption is still awaited: from when they can decrypt (voting over; for a ranked vote, mixing ended) until the vote ends; empty otherwise',
  }),
  disqualified: Type.Array(Count, {
    description: 'the trustees disqualified in key generation (they hold no share and cannot decrypt)',
  }),
  decryptBy: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description:
      'once voting is over and the trustees are called (decryption_due): when the vote ends not decrypted without k decryptions; null: no deadline, or not called yet',
  }),
  notDecrypted: Type.Optional(
    Obj(
      {
        decryptBy: Type.String({ format: 'date-time' }),
        shares: Count,
        needed: Count,
        awaited: Type.Array(Type.String(), { description: 'the trustees (members) who did not decrypt' }),
      },
      { description: 'a vote that failed because its trustees did not decrypt it in time' },
    ),
  ),
  aggregate: Type.Optional(
    Obj(
      {
        counted: Count,
        superseded: Count,
        ciphertexts: Type.Array(Type.Array(Obj({ alpha: Hex, beta: Hex }))),
      },
      {
        description:
          'the encrypted sums the trustees decrypt (two points an option), and how many ballots counted (the last per credential) and were superseded; which ones a verifier finds from the board (board=all, paged)',
      },
    ),
  ),
});
export type SecretView = Static<typeof SecretView>;

export const Issued = Obj({ blindSignature: Hex, weight: Count });
export type Issued = Static<typeof Issued>;
export const Listed = Obj({ registered: Count, electors: Count, frozen: Type.Boolean() });
export type Listed = Static<typeof Listed>;
export const TrusteePosted = Obj({ seq: Count, acts: Type.Array(Type.String()) });
export type TrusteePosted = Static<typeof TrusteePosted>;
export const Cast = Obj({ seq: Count, ballotId: Hex, code: Hex });
export type Cast = Static<typeof Cast>;
export const Spoiled = Type.Union([
  Obj({
    seq: Count,
    ballotId: Hex,
    plaintext: Type.Array(Type.Array(Count), {
      description: 'the choices the spoiled ballot held, per contest',
    }),
  }),
  Obj({
    seq: Count,
    ballotId: Hex,
    ranking: Type.Array(Type.Array(Type.String()), { description: 'a ranked ballot: the ranking it held' }),
  }),
]);
export type Spoiled = Static<typeof Spoiled>;

export const Receipt = Type.Union([
  Obj({ status: Type.Literal('counted'), ballotId: Hex, seq: Count, tallied: Type.Boolean() }),
  Obj({ status: Type.Literal('superseded'), ballotId: Hex, seq: Count, by: Hex, tallied: Type.Boolean() }),
  Obj({
    status: Type.Literal('invalid'),
    ballotId: Hex,
    seq: Count,
    reason: Type.String(),
    tallied: Type.Boolean(),
  }),
  Obj({ status: Type.Literal('spoiled'), ballotId: Hex, seq: Count, tallied: Type.Boolean() }),
  Obj({ status: Type.Literal('not-found'), tallied: Type.Boolean() }),
]);
export type Receipt = Static<typeof Receipt>;

const CiphertextList = Type.Array(Type.Array(Obj({ alpha: Hex, beta: Hex })));
const Time = Type.String({ format: 'date-time' });

/** GET …/secret/mix (docs/MIXNET.md §16.2). */
export const MixView = Obj({
  voteId: Type.String(),
  phase: SecretView.properties.phase,
  candidates: Type.Array(Type.String()),
  width: Count,
  closesAt: Time,
  mixers: Type.Array(
    Obj({
      slot: Count,
      memberId: Type.String(),
      status: Type.Union([
        Type.Literal('waiting'),
        Type.Literal('due'),
        Type.Literal('posted'),
        Type.Literal('skipped'),
      ]),
      shuffle: Type.Union([Count, Type.Null()]),
      deadline: Type.Union([Time, Type.Null()]),
    }),
  ),
  shuffles: Count,
  threshold: Count,
  trustees: Type.Array(Obj({ trustee: Count, memberId: Type.String(), decrypted: Type.Boolean() })),
  cast: Count,
  mixed: Count,
  count: Type.Union([
    Obj({ valid: Count, invalid: Type.Array(Obj({ index: Count, reason: Type.String() })) }),
    Type.Null(),
  ]),
  failure: Type.Optional(Type.String()),
});
export type MixView = Static<typeof MixView>;

/** GET …/secret/mix/list. */
export const MixListView = Obj({
  stage: Type.Union([Type.Literal('shuffle'), Type.Literal('decrypt'), Type.Literal('done')]),
  mixer: Type.Union([Count, Type.Null()]),
  slot: Type.Union([Count, Type.Null()]),
  ciphertexts: CiphertextList,
  /** Asked a page (`after`, `limit`): the `after` of the next page (the last position shown), null after the last. */
  next: Type.Union([Count, Type.Null()]),
});
export type MixListView = Static<typeof MixListView>;

/** GET …/secret/mix/shuffles: who mixed, in which order, and their entries' seqs (docs/MIXNET.md §16.6). */
export const MixShufflesView = Obj({
  shuffles: Type.Array(
    Obj({ mixer: Count, slot: Count, memberId: Type.String(), seqs: Type.Array(Count), time: Time }),
  ),
});
export type MixShufflesView = Static<typeof MixShufflesView>;

/**
 * GET …/secret/mix/shuffles/:mixer: a page of one shuffle (docs/MIXNET.md §10): the positions after `after`, at most
 * `limit`, of its output list and of the proof's lists of one element a position (commitments, chain, tHat, sHat,
 * sPrime); the proof's other members and the signature whole on every page. The pages' lists put end to end are the
 * shuffle's.
 */
export const MixShuffleView = Obj({
  mixer: Count,
  slot: Count,
  seqs: Type.Array(Count),
  time: Time,
  /** How many positions the shuffle has (its list's length). */
  count: Count,
  ciphertexts: CiphertextList,
  proof: Open('the shuffle proof, its lists of one element a position cut to the page (docs/MIXNET.md §10)'),
  signature: Type.Optional(Open('the slot mixer’s signature (docs/MIXNET.md §12)')),
  next: Type.Union([Count, Type.Null()]),
});
export type MixShuffleView = Static<typeof MixShuffleView>;

const Body = (d: string) => Open(d);
/** GET …/secret/mix/board: what verifyMixBoard takes, bodies joined from their parts. */
export const MixBoardView = Obj({
  cast: Type.Array(Obj({ seq: Count, at: Count, ballot: Body('a ranked ballot (docs/MIXNET.md §10)') })),
  spoiled: Type.Array(Obj({ seq: Count, at: Count, spoiled: Body('a challenged ranked ballot') })),
  shuffles: Type.Array(Obj({ seqs: Type.Array(Count), slot: Count, shuffle: Body('a shuffle (§10)') })),
  skipped: Type.Array(Obj({ seq: Count, slot: Count, reason: Type.String() })),
  partials: Type.Array(Obj({ seqs: Type.Array(Count), decryption: Body('a mix-decryption (§10)') })),
  result: Type.Union([Obj({ seq: Count, result: Body('the mix-result (§10)') }), Type.Null()]),
});
export type MixBoardView = Static<typeof MixBoardView>;

export const ShufflePosted = Obj({ mixer: Count, slot: Count, seqs: Type.Array(Count) });
export type ShufflePosted = Static<typeof ShufflePosted>;
