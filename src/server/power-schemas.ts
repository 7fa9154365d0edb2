// Request schemas of the power routes (docs/POWER.md); the shared shapes come from schemas.ts.
import { Type } from '@sinclair/typebox';
import { limits } from '../core/index.ts';
import { Id, PageQuery } from './schemas.ts';

export const PetitionParams = Type.Object({ org: Id, petition: Id });
export const RequestParams = Type.Object({ org: Id, request: Id });

export const NewPetition = Type.Object(
  {
    kind: Type.Union([Type.Literal('agenda'), Type.Literal('recall'), Type.Literal('election')]),
    councilId: Type.Optional(Id),
    targetCouncilId: Type.Optional(Id),
    mandateId: Type.Optional(Id),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: limits.title })),
    text: Type.String({ maxLength: limits.text }),
  },
  { additionalProperties: false },
);

/** Petitions newest first, a page at a time (docs/API.md "Paging"); of one council with `council`. */
export const PetitionQuery = Type.Object(
  { council: Type.Optional(Id), after: PageQuery.properties.after, limit: PageQuery.properties.limit },
  { additionalProperties: false },
);

const Hex = (bytes: number) => Type.String({ minLength: 1, maxLength: bytes * 2, pattern: '^[0-9a-f]+$' });

export const NewKey = Type.Object(
  {
    publicKey: Hex(32),
    proof: Type.String({ maxLength: 128, description: 'Ed25519 signature of keyProofMessage(org, me, key)' }),
  },
  { additionalProperties: false },
);

export const NewRequest = Type.Object(
  {
    kind: Type.String({
      minLength: 1,
      maxLength: 40,
      description: 'a privileged act, elect_committee or reverse_act',
    }),
    content: Type.Object({}, { additionalProperties: true }),
  },
  { additionalProperties: false },
);

export const KeysQuery = Type.Object(
  {
    /** Only this member's keys (the key page's own). */
    member: Type.Optional(Id),
  },
  { additionalProperties: false },
);

/** Requests newest first, a page at a time (docs/API.md "Paging"): of one state, or the acts committees carried out. */
export const RequestQuery = Type.Object(
  {
    state: Type.Optional(
      Type.Union([Type.Literal('pending'), Type.Literal('done'), Type.Literal('reversed')]),
    ),
    by: Type.Optional(
      Type.Literal('committee', {
        description: 'only the acts a committee carried out (done or reversed); not with state',
      }),
    ),
    after: PageQuery.properties.after,
    limit: PageQuery.properties.limit,
  },
  { additionalProperties: false },
);

export const ApprovalBody = Type.Object(
  {
    signature: Type.String({
      maxLength: 128,
      description: 'Ed25519 signature (hex) of approvalMessage(org, request, contentHash, round)',
    }),
  },
  { additionalProperties: false },
);

export const TransparencyQuery = Type.Object({
  council: Type.Optional(Id),
  after: Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, description: "the councils after this one (a page's next)" }),
  ),
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 500, description: 'councils a page, at most 500; 100 if not given' }),
  ),
});
