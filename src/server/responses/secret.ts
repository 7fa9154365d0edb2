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
    Type.Literal('decryption'),
    Type.Literal('decided'),
    Type.Literal('failed'),
  ]),
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
  board: Type.Array(BoardEntry),
  credentialList: Type.Optional(Obj({ credentialHash: Hex, count: Count, totalWeight: Count })),
  failure: Type.Optional(Type.String()),
  decrypted: Type.Array(Count, {
    description: 'the trustees whose partial decryption is on the board, whatever part of the board is shown',
  }),
  aggregate: Type.Optional(
    Obj({
      counted: Type.Array(Hex),
      superseded: Type.Array(Hex),
      ciphertexts: Type.Array(Type.Array(Obj({ alpha: Hex, beta: Hex }))),
    }),
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
export const Spoiled = Obj({
  seq: Count,
  ballotId: Hex,
  plaintext: Type.Array(Type.Array(Count), {
    description: 'the choices the spoiled ballot held, per contest',
  }),
});
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
