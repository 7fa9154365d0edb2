// The public record over HTTP, in the layout `councils verify URL` reads (docs/RECORD.md): checkpoints, the log
// key, C2SP tlog-tiles (hash tiles and entry bundles), an entry with its inclusion proof, consistency proofs.
// What reveals no content (checkpoints, keys, hash tiles, proofs) is public; entries are readable by members,
// or by anyone when the constitution makes the record public.
import { Readable } from 'node:stream';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  consistencyProof,
  encodeEntryBundle,
  inclusionProof,
  parseTilePath,
  tileAvailable,
  tileBytes,
  TILE_WIDTH,
  type TileId,
} from '../../record/index.ts';
import { entryLines, readRawEntries } from '../../store/log-repository.ts';
import {
  checkpointOfSize,
  dbHashReader,
  latestCheckpoint,
  listCheckpoints,
  recordKey,
  recordKeyHistory,
} from '../../store/record-repository.ts';
import { logOrigin } from '../../node/record-keeper.ts';
import { requireOrgMember } from '../auth.ts';
import { ApiError, invalidRequest } from '../errors.ts';
import { Count, OrgParams, TileParams } from '../schemas.ts';
import { presentConsistencyProof, presentEntryProof, presentKeyHistory } from '../presenters/record.ts';
import type { CouncilsService } from '../service.ts';
import { ConsistencyProof, EntryProof, KeyHistory, TextBody } from '../responses/record.ts';

type OrgP = Static<typeof OrgParams>;

const utf8 = new TextEncoder();

export function recordRoutes(app: FastifyInstance, service: CouncilsService): void {
  const q = service.db.kysely;

  async function latestSize(org: string): Promise<number> {
    const cp = await latestCheckpoint(q, org);
    if (!cp) throw new ApiError('not_found', 'no checkpoint has been issued yet');
    return cp.size;
  }

  /** Entry content: members, or anyone if the constitution says the record is public. */
  async function mayReadEntries(request: FastifyRequest, org: string): Promise<void> {
    const state = await service.ledger(org).current();
    if (!state.org) throw new ApiError('not_found', 'no such organisation');
    if (state.org.constitution.recordVisibility === 'public') return;
    requireOrgMember(request, org);
  }

  async function knownOrg(org: string): Promise<void> {
    if (!(await recordKey(q, org))) throw new ApiError('not_found', 'no such organisation');
  }

  const text = (reply: FastifyReply, body: string | Readable) =>
    reply.type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(body);

  app.get<{ Params: OrgP }>(
    '/orgs/:org/record/checkpoint',
    {
      schema: {
        tags: ['record'],
        summary: 'The latest signed checkpoint (C2SP tlog-checkpoint)',
        params: OrgParams,
        response: { 200: TextBody('text/plain', 'the signed note') },
      },
    },
    async (request, reply) => {
      const cp = await latestCheckpoint(q, request.params.org);
      if (!cp) throw new ApiError('not_found', 'no checkpoint has been issued yet');
      return text(reply, cp.note);
    },
  );

  app.get<{ Params: OrgP }>(
    '/orgs/:org/record/checkpoints.jsonl',
    {
      schema: {
        tags: ['record'],
        summary: 'Every checkpoint issued, oldest first, one JSON string per line',
        params: OrgParams,
        response: { 200: TextBody('text/plain', 'JSON lines: each a signed note as a JSON string') },
      },
    },
    async (request, reply) => {
      await knownOrg(request.params.org);
      const notes = await listCheckpoints(q, request.params.org);
      return text(reply, notes.map((n) => JSON.stringify(n) + '\n').join(''));
    },
  );

  app.get<{ Params: OrgP }>(
    '/orgs/:org/record/vkey',
    {
      schema: {
        tags: ['record'],
        summary: "The log's verifier key (C2SP signed-note)",
        params: OrgParams,
        response: { 200: TextBody('text/plain', 'the verifier key and a newline') },
      },
    },
    async (request, reply) => {
      const key = await recordKey(q, request.params.org);
      if (!key) throw new ApiError('not_found', 'no such organisation');
      return text(reply, key + '\n');
    },
  );

  app.get<{ Params: OrgP }>(
    '/orgs/:org/record/keys.json',
    {
      schema: {
        tags: ['record'],
        summary: "The log's key history: every log key, oldest first, with the checkpoint sizes it signs",
        description:
          'A key rotated to names the entries that requested (requestSeq) and carried out (rotationSeq) the ' +
          'rotation; it signs from fromSize = 1 + the first checkpoint size above rotationSeq (docs/RECORD.md).',
        params: OrgParams,
        response: { 200: KeyHistory },
      },
    },
    async (request, reply) => {
      const keys = await recordKeyHistory(q, request.params.org);
      if (keys.length === 0) throw new ApiError('not_found', 'no such organisation');
      return reply
        .header('cache-control', 'no-store')
        .send(presentKeyHistory(logOrigin(request.params.org), keys));
    },
  );

  app.get<{ Params: OrgP & { '*': string } }>(
    '/orgs/:org/record/tile/*',
    {
      schema: {
        tags: ['record'],
        summary: 'A C2SP tlog-tiles hash tile or entry bundle',
        params: TileParams,
        response: { 200: TextBody('application/octet-stream', 'the tile or bundle, as bytes') },
      },
    },
    async (request, reply) => {
      const { org } = request.params;
      let tile: TileId;
      try {
        tile = parseTilePath(`tile/${request.params['*']}`);
      } catch {
        throw new ApiError('not_found', 'not a tile path');
      }
      const size = await latestSize(org);
      if (!tileAvailable(tile, size)) throw new ApiError('not_found', `no such tile at size ${size}`);
      let bytes: Uint8Array;
      if (tile.level === 'entries') {
        await mayReadEntries(request, org);
        const first = tile.index * TILE_WIDTH;
        const bodies: Uint8Array[] = [];
        for await (const e of readRawEntries(q, org, first, tile.width)) {
          bodies.push(utf8.encode(e.body));
          if (bodies.length === tile.width) break;
        }
        bytes = encodeEntryBundle(bodies);
      } else {
        bytes = await tileBytes(dbHashReader(q, org), tile);
      }
      return reply
        .type('application/octet-stream')
        .header('cache-control', 'public, max-age=31536000, immutable')
        .send(Buffer.from(bytes));
    },
  );

  app.get<{ Params: OrgP }>(
    '/orgs/:org/record/entries.jsonl',
    {
      schema: {
        tags: ['record'],
        summary: 'Every entry the latest checkpoint covers, as JSON lines',
        params: OrgParams,
        response: { 200: TextBody('text/plain', "JSON lines: each an entry's canonical JSON") },
      },
    },
    async (request, reply) => {
      const { org } = request.params;
      const size = await latestSize(org);
      await mayReadEntries(request, org);
      // Streamed a page of entries at a time, so a log of any length is served in bounded memory.
      return text(reply, Readable.from(entryLines(q, org, size)));
    },
  );

  const EntryParams = Type.Object({ org: OrgParams.properties.org, seq: Count(0) });
  const SizeQuery = Type.Object({ size: Type.Optional(Count(1)) });
  app.get<{ Params: Static<typeof EntryParams>; Querystring: Static<typeof SizeQuery> }>(
    '/orgs/:org/record/entries/:seq',
    {
      schema: {
        tags: ['record'],
        summary:
          'An entry with its RFC 9162 inclusion proof in the tree of a checkpoint (default: the latest)',
        params: EntryParams,
        querystring: SizeQuery,
        response: { 200: EntryProof },
      },
    },
    async (request) => {
      const { org, seq } = request.params;
      await mayReadEntries(request, org);
      const size = request.query.size ?? (await latestSize(org));
      const checkpoint = await checkpointOfSize(q, org, size);
      if (!checkpoint) throw new ApiError('not_found', `no checkpoint of size ${size}`);
      if (seq >= size) throw new ApiError('not_found', `entry ${seq} is not in the tree of size ${size}`);
      let entry: { body: string; leafHash: string } | undefined;
      for await (const e of readRawEntries(q, org, seq, 1)) {
        entry = e;
        break;
      }
      if (!entry) throw new ApiError('not_found', 'no such entry');
      const proof = await inclusionProof(dbHashReader(q, org), seq, size);
      return presentEntryProof(seq, entry, size, proof, checkpoint);
    },
  );

  const ConsistencyQuery = Type.Object({
    from: Count(1),
    to: Count(1),
  });
  app.get<{ Params: OrgP; Querystring: Static<typeof ConsistencyQuery> }>(
    '/orgs/:org/record/consistency',
    {
      schema: {
        tags: ['record'],
        summary: 'An RFC 9162 consistency proof between two checkpoint sizes',
        params: OrgParams,
        querystring: ConsistencyQuery,
        response: { 200: ConsistencyProof },
      },
    },
    async (request) => {
      const { org } = request.params;
      const { from, to } = request.query;
      if (from > to) throw invalidRequest('range_from_after_to', 'from', { from, to });
      for (const size of [from, to]) {
        if (!(await checkpointOfSize(q, org, size)))
          throw new ApiError('not_found', `no checkpoint of size ${size}`);
      }
      const proof = await consistencyProof(dbHashReader(q, org), from, to);
      return presentConsistencyProof(from, to, proof);
    },
  );
}
