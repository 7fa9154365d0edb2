// Secret votes over HTTP (docs/BALLOT-PROTOCOL.md "In Councils"): the board, credential issuance (a member's blinded
// message signed, §4.1), trustee messages, and the anonymous listing, cast, challenge and receipt routes. Listing,
// cast and challenge neither need nor log who sends them: a signature is the authority; entries' actor is null.
import { Type, type Static } from '@sinclair/typebox';
import { pipeline, Transform, type Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { BallotBody, SpoiledBody } from '../../ballot/index.ts';
import { requireOrgMember } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { MIX_RATE } from '../mix-checks.ts';
import { bucketsFor, DEFAULT_ANONYMOUS_RATE, rateLimited, type RateLimit } from '../rate-limit.ts';
import { Count, VoteParams } from '../schemas.ts';
import {
  checkReceipt,
  issueCredential,
  listSignedCredential,
  runSecret,
  checkBallotBeforeQueue,
  checkMixBeforeQueue,
  mayPostMixDecryption,
  refuseShuffleEarly,
  secretView,
  BOARD_PAGE,
  mixView,
  mixListView,
  mixBoardView,
  mixShufflesView,
  mixShuffleView,
} from '../secret-votes.ts';
import { presentCast, presentSpoiled, presentTrusteePosted } from '../presenters/secret.ts';
import type { CouncilsService } from '../service.ts';
import {
  Cast,
  Issued,
  Listed,
  MixBoardView,
  MixListView,
  MixShuffleView,
  MixShufflesView,
  MixView,
  Receipt,
  SecretView,
  ShufflePosted,
  Spoiled,
  TrusteePosted,
} from '../responses/secret.ts';
import type { TrusteeMessage } from '../../core/secret/types.ts';

type VoteP = Static<typeof VoteParams>;
/**
 * A page: the board by seq, the entries after `after`, at most `limit` (secret-votes.ts BOARD_PAGE); a mix list by
 * position. A cursor is bounded as a PostgreSQL integer, so a larger one is refused (400) rather than bound against
 * the column (a 500).
 */
const pageQuery = {
  after: Type.Optional(Count(0)),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: BOARD_PAGE })),
};
const Hex32 = Type.String({ pattern: '^[0-9a-f]{64}$' });
const ViewQuery = Type.Object(
  {
    board: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('election'), Type.Literal('key')])),
    ...pageQuery,
  },
  { additionalProperties: false },
);
/**
 * A mix list (a shuffle's, or the one due) by position: the positions after `after` (0-based; none: from the first),
 * at most `limit`; without `limit`, …/mix/list answers the whole list (the CLI's mixers and trustees take it whole)
 * and a shuffle's page holds BOARD_PAGE.
 */
const ListQuery = Type.Object(pageQuery, { additionalProperties: false });
const ShuffleParams = Type.Object({
  org: VoteParams.properties.org,
  vote: VoteParams.properties.vote,
  mixer: Count(1),
});
const IssuanceBody = Type.Object(
  { blindedMessage: Type.String({ pattern: '^[0-9a-f]+$', maxLength: 2048 }) },
  { additionalProperties: false },
);
const SignedCredentialBody = Type.Object(
  {
    credential: Hex32,
    weight: Count(1),
    signature: Type.String({ pattern: '^[0-9a-f]+$', maxLength: 2048 }),
  },
  { additionalProperties: false },
);
const TrusteeBody = Type.Object(
  {
    kind: Type.Union([
      Type.Literal('dkg-commit'),
      Type.Literal('dkg-shares'),
      Type.Literal('dkg-accusation'),
      Type.Literal('partial-decryption'),
      Type.Literal('mix-decryption'),
    ]),
    body: Type.Object({}, { additionalProperties: true }),
  },
  { additionalProperties: false },
);
const CastBody = Type.Object(
  { ballot: Type.Object({}, { additionalProperties: true }) },
  { additionalProperties: false },
);
const SpoilBody = Type.Object(
  { spoiled: Type.Object({}, { additionalProperties: true }) },
  { additionalProperties: false },
);
/**
 * A shuffle of 10,000 ballots of 10 candidates is about 5 MB of JSON; 64 MiB leaves room for wider ballots. Read
 * only from the due mixer (…/shuffles) or a trustee once mixing is over (…/trustee): the others are refused before
 * their body is read, or held to the server's usual limit (DKG messages).
 */
const MIX_BODY_LIMIT = 64 * 1024 * 1024;
const ShuffleRequest = Type.Object(
  { shuffle: Type.Object({}, { additionalProperties: true }) },
  { additionalProperties: false },
);
const ReceiptParams = Type.Object({
  org: VoteParams.properties.org,
  vote: VoteParams.properties.vote,
  code: Hex32,
});

export function secretRoutes(
  app: FastifyInstance,
  service: CouncilsService,
  anonymousRate: RateLimit | false = DEFAULT_ANONYMOUS_RATE,
): void {
  // one bucket per address shared by cast and challenge, the writes anyone may make without signing in
  const limit = anonymousRate
    ? { onRequest: rateLimited(bucketsFor(service.db, 'anonymous', anonymousRate)) }
    : {};
  /** Board content: members, or anyone if the constitution makes the record public (as the record routes). */
  async function mayRead(request: FastifyRequest, org: string): Promise<void> {
    const state = await service.ledger(org).current();
    if (!state.org) throw new ApiError('not_found', 'no such organisation');
    if (state.org.constitution.recordVisibility === 'public') return;
    requireOrgMember(request, org);
  }
  const base = '/orgs/:org/votes/:vote/secret';

  // Shuffles and mix decryptions: the sender is checked before the body is read; then a token of its own bucket
  // (src/server/mix-checks.ts MIX_RATE), since each body costs a proof check.
  const mixBuckets = bucketsFor(service.db, 'mix-proofs', MIX_RATE, () => service.clock.now().getTime());
  const usualLimit = app.initialConfig.bodyLimit ?? 1024 * 1024;
  /** Bodies held to the usual limit although the route takes MIX_BODY_LIMIT, by request. */
  const held = new WeakMap<FastifyRequest, number>();
  async function refuseEarly(reply: FastifyReply, e: unknown): Promise<never> {
    // the body is not read: the connection is closed after the answer rather than drained
    void reply.header('connection', 'close');
    throw e;
  }
  async function takeMixToken(
    reply: FastifyReply,
    orgId: string,
    voteId: string,
    memberId: string,
  ): Promise<void> {
    // a bucket per vote: a trustee of many ranked votes at once is not held to one post per 5 minutes in all of
    // them (and skipped at a short mixMinutes) because of the others (review finding)
    const wait = await mixBuckets.take(`${orgId}/${voteId}/${memberId}`);
    if (wait === 0) return;
    void reply.header('retry-after', String(wait));
    await refuseEarly(
      reply,
      new ApiError('rate_limited', `too many shuffles or decryptions; try again in ${wait} s`),
    );
  }
  const shufflePoster = async (request: FastifyRequest<{ Params: VoteP }>, reply: FastifyReply) => {
    try {
      const p = requireOrgMember(request, request.params.org);
      await refuseShuffleEarly(service, p.orgId, request.params.vote, p.memberId);
    } catch (e) {
      await refuseEarly(reply, e);
    }
    await takeMixToken(reply, request.params.org, request.params.vote, request.principal!.memberId);
  };
  const trusteePoster = async (request: FastifyRequest<{ Params: VoteP }>, reply: FastifyReply) => {
    let large = false;
    try {
      const p = requireOrgMember(request, request.params.org);
      large = await mayPostMixDecryption(service, p.orgId, request.params.vote, p.memberId);
    } catch (e) {
      await refuseEarly(reply, e);
    }
    if (large)
      return takeMixToken(reply, request.params.org, request.params.vote, request.principal!.memberId);
    const length = Number(request.headers['content-length'] ?? 0);
    if (length > usualLimit) await refuseEarly(reply, new ApiError('payload_too_large'));
    held.set(request, usualLimit);
  };
  /** A body without a length (chunked) is held to the usual limit as it comes (receivedEncodedLength, as Fastify asks). */
  const holdToUsual = async (request: FastifyRequest, _reply: FastifyReply, payload: Readable) => {
    const limit = held.get(request);
    if (limit === undefined) return payload;
    let n = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        n += chunk.length;
        // past the usual limit, Fastify's own check of the route's limit refuses it (413)
        (counted as Transform & { receivedEncodedLength: number }).receivedEncodedLength =
          n > limit ? MIX_BODY_LIMIT + 1 : n;
        done(null, chunk);
      },
    });
    pipeline(payload, counted, () => {});
    return counted;
  };

  app.get<{ Params: VoteP; Querystring: Static<typeof ViewQuery> }>(
    base,
    {
      schema: {
        tags: ['secret votes'],
        summary:
          'A secret vote: phase, trustees, and its board (log entries): board=all (default), election (up to the frozen credential list) or key (setup and key generation, which with credentialList is all a booth needs)',
        params: VoteParams,
        querystring: ViewQuery,
        response: { 200: SecretView },
      },
    },
    async (request) => {
      const { org, vote } = request.params;
      await mayRead(request, org);
      const viewer = request.principal?.orgId === org ? request.principal.memberId : undefined;
      const { board, after, limit } = request.query;
      return secretView(service, org, vote, board ?? 'all', viewer, { after, limit });
    },
  );

  app.post<{ Params: VoteP; Body: Static<typeof IssuanceBody> }>(
    `${base}/issuance`,
    {
      schema: {
        tags: ['secret votes'],
        summary:
          'Be issued a credential: the organisation signs my blinded message (RFC 9474), once; it never sees the credential',
        params: VoteParams,
        body: IssuanceBody,
        response: { 201: Issued },
      },
    },
    async (request, reply) => {
      const p = requireOrgMember(request, request.params.org);
      const r = await issueCredential(
        service,
        p.orgId,
        request.params.vote,
        p.memberId,
        request.body.blindedMessage,
      );
      return reply.status(201).send(r);
    },
  );

  app.post<{ Params: VoteP; Body: Static<typeof SignedCredentialBody> }>(
    `${base}/credentials`,
    {
      schema: {
        tags: ['secret votes'],
        summary:
          'List a signed credential, anonymously (send no session); the list is frozen when every elector has listed one',
        params: VoteParams,
        body: SignedCredentialBody,
        response: { 201: Listed },
        security: [],
      },
      ...limit,
    },
    async (request, reply) => {
      const r = await listSignedCredential(service, request.params.org, request.params.vote, request.body);
      return reply.status(201).send(r);
    },
  );

  app.post<{ Params: VoteP; Body: Static<typeof TrusteeBody> }>(
    `${base}/trustee`,
    {
      schema: {
        tags: ['secret votes'],
        summary:
          'A trustee posts a DKG message, its partial decryption, or its decryption of a mixed list (docs/MIXNET.md §16.5)',
        params: VoteParams,
        body: TrusteeBody,
        response: { 201: TrusteePosted },
      },
      bodyLimit: MIX_BODY_LIMIT,
      onRequest: trusteePoster,
      preParsing: holdToUsual,
    },
    async (request, reply) => {
      const p = requireOrgMember(request, request.params.org);
      const message = request.body as unknown as TrusteeMessage;
      // a decryption of the mixed list: its proofs on the worker threads, outside the organisation's queue
      if (message.kind === 'mix-decryption')
        await checkMixBeforeQueue(
          service,
          p.orgId,
          request.params.vote,
          p.memberId,
          'mix-decryption',
          message.body,
        );
      const entries = await runSecret(service, p.orgId, p.memberId, {
        type: 'post_trustee_message',
        voteId: request.params.vote,
        message,
      });
      return reply.status(201).send(presentTrusteePosted(entries));
    },
  );

  app.post<{ Params: VoteP; Body: Static<typeof CastBody> }>(
    `${base}/ballots`,
    {
      schema: {
        tags: ['secret votes'],
        summary: 'Cast an encrypted ballot, anonymously (no session needed; the credential signs it)',
        params: VoteParams,
        body: CastBody,
        response: { 201: Cast },
        security: [],
      },
      ...limit,
    },
    async (request, reply) => {
      const b = request.body.ballot as unknown as BallotBody;
      // the proofs on worker threads, outside the organisation's queue (when the service has them)
      await checkBallotBeforeQueue(service, request.params.org, request.params.vote, b);
      const entries = await runSecret(service, request.params.org, null, {
        type: 'cast_secret_ballot',
        voteId: request.params.vote,
        ballot: b,
      });
      return reply.status(201).send(presentCast(entries, b));
    },
  );

  app.post<{ Params: VoteP; Body: Static<typeof SpoilBody> }>(
    `${base}/spoiled`,
    {
      schema: {
        tags: ['secret votes'],
        summary: 'Challenge a ballot: publish it with its nonce as spoiled (never counted)',
        params: VoteParams,
        body: SpoilBody,
        response: { 201: Spoiled },
        security: [],
      },
      ...limit,
    },
    async (request, reply) => {
      const s = request.body.spoiled as unknown as SpoiledBody;
      const entries = await runSecret(service, request.params.org, null, {
        type: 'spoil_secret_ballot',
        voteId: request.params.vote,
        spoiled: s,
      });
      return reply.status(201).send(presentSpoiled(entries, s));
    },
  );

  app.get<{ Params: VoteP }>(
    `${base}/mix`,
    {
      schema: {
        tags: ['secret votes'],
        summary:
          'A ranked secret vote’s mix: mixers and their turns, trustees, counts (docs/MIXNET.md §16.2)',
        params: VoteParams,
        response: { 200: MixView },
      },
    },
    async (request) => {
      await mayRead(request, request.params.org);
      return mixView(service, request.params.org, request.params.vote);
    },
  );

  app.get<{ Params: VoteP; Querystring: Static<typeof ListQuery> }>(
    `${base}/mix/list`,
    {
      schema: {
        tags: ['secret votes'],
        summary:
          'The list the due mixer shuffles, or the final list the trustees decrypt: whole, or a page by position',
        params: VoteParams,
        querystring: ListQuery,
        response: { 200: MixListView },
      },
    },
    async (request) => {
      await mayRead(request, request.params.org);
      return mixListView(service, request.params.org, request.params.vote, request.query);
    },
  );

  app.get<{ Params: VoteP }>(
    `${base}/mix/board`,
    {
      schema: {
        tags: ['secret votes'],
        summary:
          'Everything the mixed election’s verifier takes: ranked ballots, shuffles, decryptions, result',
        params: VoteParams,
        response: { 200: MixBoardView },
      },
    },
    async (request) => {
      await mayRead(request, request.params.org);
      return mixBoardView(service, request.params.org, request.params.vote);
    },
  );

  app.get<{ Params: VoteP }>(
    `${base}/mix/shuffles`,
    {
      schema: {
        tags: ['secret votes'],
        summary: 'A ranked secret vote’s shuffles: who shuffled, in which order, and their entries’ seqs',
        params: VoteParams,
        response: { 200: MixShufflesView },
      },
    },
    async (request) => {
      await mayRead(request, request.params.org);
      return mixShufflesView(service, request.params.org, request.params.vote);
    },
  );

  app.get<{ Params: Static<typeof ShuffleParams>; Querystring: Static<typeof ListQuery> }>(
    `${base}/mix/shuffles/:mixer`,
    {
      schema: {
        tags: ['secret votes'],
        summary:
          'A page of one shuffle: its output list and the proof’s lists of one element a position, by position',
        params: ShuffleParams,
        querystring: ListQuery,
        response: { 200: MixShuffleView },
      },
    },
    async (request) => {
      const { org, vote, mixer } = request.params;
      await mayRead(request, org);
      return mixShuffleView(service, org, vote, mixer, request.query);
    },
  );

  app.post<{ Params: VoteP; Body: Static<typeof ShuffleRequest> }>(
    `${base}/shuffles`,
    {
      schema: {
        tags: ['secret votes'],
        summary: 'The due mixer posts its shuffle with its proof; the server verifies it before logging it',
        params: VoteParams,
        body: ShuffleRequest,
        response: { 201: ShufflePosted },
      },
      bodyLimit: MIX_BODY_LIMIT,
      onRequest: shufflePoster,
    },
    async (request, reply) => {
      const p = requireOrgMember(request, request.params.org);
      // the proof on the worker threads, outside the organisation's queue (when the service has them)
      await checkMixBeforeQueue(
        service,
        p.orgId,
        request.params.vote,
        p.memberId,
        'shuffle',
        request.body.shuffle,
      );
      const entries = await runSecret(service, p.orgId, p.memberId, {
        type: 'post_shuffle',
        voteId: request.params.vote,
        shuffle: request.body.shuffle as never,
      });
      const slot = (entries[0]?.payload as { body?: { slot?: number } }).body?.slot ?? 0;
      return reply.status(201).send({
        mixer: (request.body.shuffle as { mixer: number }).mixer,
        slot,
        seqs: entries.map((e) => e.seq),
      });
    },
  );

  app.get<{ Params: Static<typeof ReceiptParams> }>(
    `${base}/receipts/:code`,
    {
      schema: {
        tags: ['secret votes'],
        summary: 'Is the ballot with this confirmation code on the board, valid, and counted?',
        params: ReceiptParams,
        response: { 200: Receipt },
      },
    },
    async (request) => {
      await mayRead(request, request.params.org);
      return checkReceipt(service, request.params.org, request.params.vote, request.params.code);
    },
  );
}
