// Request schemas shared by the routes. The same schemas validate requests and generate the OpenAPI document.
import { Type, type Static } from '@sinclair/typebox';
import { limits } from '../core/index.ts';

/**
 * The largest whole number a request may carry: log sizes, seqs and weights live in PostgreSQL integer columns,
 * which hold no more (a larger one is refused naming its field, never a database error).
 */
export const maxInteger = 2_147_483_647;

/** A whole number from `minimum` to maxInteger. */
export const Count = (minimum: number, description?: string) =>
  Type.Integer({ minimum, maximum: maxInteger, ...(description ? { description } : {}) });

export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
export const Title = Type.String({ minLength: 1, maxLength: limits.title });
export const Text = Type.String({ maxLength: limits.text });
export const Name = Type.String({ minLength: 1, maxLength: limits.name });

export const OrgParams = Type.Object({ org: Id });
export const CouncilParams = Type.Object({ org: Id, council: Id });
export const MotionParams = Type.Object({ org: Id, motion: Id });
export const VoteParams = Type.Object({ org: Id, vote: Id });
export const MandateParams = Type.Object({ org: Id, mandate: Id });
export const TileParams = Type.Object({
  org: Id,
  '*': Type.String({
    maxLength: 200,
    description: 'after tile/: <L>/<N>[.p/<W>] or entries/<N>[.p/<W>] (C2SP tlog-tiles)',
  }),
});

export const ErrorReply = Type.Object(
  {
    error: Type.String(),
    message: Type.String(),
    field: Type.Optional(Type.String()),
    reason: Type.Optional(
      Type.String({
        description: 'why the rules refused, when the id alone does not say: a stable snake_case id',
      }),
    ),
    problem: Type.Optional(
      Type.String({
        description: 'what is wrong with a malformed command (invalid_request): a stable snake_case id',
      }),
    ),
    params: Type.Optional(
      Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), {
        description:
          'the values the reason or problem names (moments as ISO 8601 text; field: the field’s path)',
      }),
    ),
    line: Type.Optional(Type.Integer({ description: 'for a file (CSV): the 1-based line of the error' })),
    column: Type.Optional(Type.Integer({ description: 'for a file (CSV): the 1-based column of the error' })),
  },
  { $id: 'Error', description: 'Every error: a stable snake_case id and a sentence saying what is wrong' },
);

export const Credentials = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

export const AcceptInvitation = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    // Length and the other rules are checked by password-policy.ts, which says what is wrong in words.
    password: Type.String({ minLength: 1, maxLength: 4096 }),
    name: Type.Optional(Name),
  },
  { additionalProperties: false },
);

/** A secret ballot's trustees, threshold and registration time, as a mover (or a re-opener) names them. */
function SecretRequestBody(description: string) {
  return Type.Object(
    {
      trustees: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 255 })),
      threshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 255 })),
      registrationMinutes: Type.Optional(Count(1)),
      mixMinutes: Type.Optional(Count(1)),
    },
    { additionalProperties: false, description },
  );
}

export const NewMotion = Type.Object(
  {
    title: Title,
    text: Text,
    alternatives: Type.Optional(
      Type.Array(Type.Object({ title: Title, text: Text }, { additionalProperties: false }), {
        maxItems: limits.alternatives,
      }),
    ),
    majority: Type.Optional(
      Type.Union([Type.Literal('ordinary'), Type.Literal('absolute'), Type.Literal('supermajority')]),
    ),
    method: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'a counting method id' })),
    maxScore: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    draft: Type.Optional(Type.Boolean()),
    secret: Type.Optional(
      SecretRequestBody(
        'decide by secret ballot: trustees (default: the appointed ones) and k (default: a majority)',
      ),
    ),
    emergency: Type.Optional(
      Type.Boolean({ description: 'move it under the emergency procedure (docs/PROCEDURE.md "Emergency")' }),
    ),
  },
  { additionalProperties: false },
);
export type NewMotion = Static<typeof NewMotion>;

export const NewElection = Type.Object(
  {
    title: Type.Optional(Title),
    text: Type.Optional(Text),
    method: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'a counting method id' })),
    secret: Type.Optional(
      SecretRequestBody(
        'elect by secret ballot (a ranked method goes through the mix-net, docs/MIXNET.md §16)',
      ),
    ),
  },
  { additionalProperties: false },
);

export const NewAlternative = Type.Object(
  {
    title: Title,
    text: Text,
    amends: Type.Optional(Id),
    candidateId: Type.Optional(Id),
    scheme: Type.Optional(
      Type.Object({}, { additionalProperties: true, description: 'a pay motion: the scheme (docs/PAY.md)' }),
    ),
  },
  { additionalProperties: false },
);

export const NewComment = Type.Object(
  {
    stance: Type.Union([Type.Literal('for'), Type.Literal('against'), Type.Literal('neutral')]),
    text: Type.String({ minLength: 1, maxLength: limits.comment }),
    replyTo: Type.Optional(Id),
  },
  { additionalProperties: false },
);

export const OpenVote = Type.Object(
  {
    minutes: Type.Optional(Count(1)),
    secret: Type.Optional(
      SecretRequestBody(
        'a secret motion held again after a failed vote: its trustees, k or registration time named anew',
      ),
    ),
  },
  { additionalProperties: false },
);

const OptionId = Type.String({ minLength: 1, maxLength: 64 });
export const Ballot = Type.Union(
  [
    Type.Object(
      { choice: Type.Union([OptionId, Type.Null()]) },
      {
        additionalProperties: false,
        description: 'majority, plurality: an option id, "against", or null to abstain',
      },
    ),
    Type.Object(
      { approve: Type.Array(OptionId, { maxItems: 100 }) },
      { additionalProperties: false, description: 'approval: the options approved' },
    ),
    Type.Object(
      { ranking: Type.Array(Type.Array(OptionId, { minItems: 1, maxItems: 100 }), { maxItems: 100 }) },
      {
        additionalProperties: false,
        description: 'ranked methods: groups of equal rank, most preferred first',
      },
    ),
    Type.Object(
      { scores: Type.Record(OptionId, Type.Integer({ minimum: 0, maximum: 100 })) },
      { additionalProperties: false, description: 'score: a whole-number score per option' },
    ),
  ],
  { description: "A ballot in the shape of the vote's method" },
);

export const StatementBody = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: limits.text }) },
  { additionalProperties: false },
);

export const RecallBody = Type.Object({ text: Text }, { additionalProperties: false });

export const InvitationBody = Type.Object(
  {
    name: Name,
    /** Where to send the invitation link, when this server sends e-mail (docs/NOTIFICATIONS.md). */
    email: Type.Optional(Type.String({ minLength: 3, maxLength: 254 })),
  },
  { additionalProperties: false },
);

const Password = Type.String({ minLength: 1, maxLength: 4096 });
const Email = Type.String({ minLength: 3, maxLength: 254 });
export const PasswordChange = Type.Object(
  { currentPassword: Password, newPassword: Password },
  { additionalProperties: false },
);
export const EmailChange = Type.Object({ email: Email, password: Password }, { additionalProperties: false });
export const ResetRequest = Type.Object({ email: Email }, { additionalProperties: false });
export const NewPassword = Type.Object({ password: Password }, { additionalProperties: false });
export const LinkToken = Type.Object({ token: Type.String({ minLength: 10, maxLength: 100 }) });

export const TokenBody = Type.Object({ name: Name }, { additionalProperties: false });

export const LogQuery = Type.Object({
  from: Type.Optional(Count(0)),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});

/** A page of a list (docs/API.md "Paging"): after the cursor a previous page returned, up to limit rows. */
export const PageQuery = Type.Object(
  {
    after: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 500, description: 'at most 500; 100 if not given' }),
    ),
  },
  { additionalProperties: false },
);

/** The search text of a picker: the start of a name (or a whole id), up to 120 characters (a name's longest). */
const SearchText = Type.String({
  minLength: 1,
  maxLength: limits.name,
  description: 'the start of a name, any case and accents, or a whole id',
});

/** The people directory's query: a page in id order, or with `q` a page of the members whose name starts with it. */
export const MembersQuery = Type.Object(
  {
    q: Type.Optional(SearchText),
    after: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    limit: PageQuery.properties.limit,
  },
  { additionalProperties: false },
);

/** A search of the councils by the start of their name, of one kind if asked. */
export const CouncilsQuery = Type.Object(
  {
    q: SearchText,
    kind: Type.Optional(
      Type.Union([Type.Literal('base'), Type.Literal('higher')], {
        description: 'only base councils (with members) or only higher ones (with child councils)',
      }),
    ),
    after: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    limit: PageQuery.properties.limit,
  },
  { additionalProperties: false },
);

/** A council's members: a page in id order, or with `q` a page of those whose name starts with it. */
export const CouncilMembersQuery = Type.Object(
  {
    q: Type.Optional(SearchText),
    after: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    limit: PageQuery.properties.limit,
  },
  { additionalProperties: false },
);

/** The tree page's query: a page when either is given (100 councils unless asked), else the whole tree. */
export const TreeQuery = Type.Object(
  {
    after: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 500,
        description: 'at most 500; 100 if only after is given; the whole tree if neither is',
      }),
    ),
  },
  { additionalProperties: false },
);

/** Up to 200 ids, separated by commas. */
const IdList = Type.String({ maxLength: 200 * 65, pattern: '^[^,]+(,[^,]+){0,199}$' });
export const NamesQuery = Type.Object(
  { members: Type.Optional(IdList), councils: Type.Optional(IdList) },
  { additionalProperties: false },
);

export const EmptyBody = Type.Union([Type.Object({}, { additionalProperties: false }), Type.Null()]);
