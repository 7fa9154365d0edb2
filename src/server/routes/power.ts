// Power from below and collective authority over HTTP (docs/POWER.md): petitions and signatures, member keys,
// privileged requests and signed approvals, appeals, committees, the record's settings, the transparency report.
// Every write is one command of the core; there is no route that carries out a privileged act by itself.
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { webhookKinds, type Command } from '../../core/index.ts';
import {
  getPetition,
  getPowerSettings,
  getRequest,
  listCommittees,
  listMemberKeys,
  listPetitions,
  petitionsSignedBy,
  listRequests,
  requestCursor,
  committeeCursor,
  listSignatures,
  petitionCursor,
  petitionExists,
  signatureCursor,
} from '../../store/read-power.ts';
import { requireOrgMember } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { badCursor, cursorAt, pageSize } from '../paging.ts';
import {
  ApprovalBody,
  KeysQuery,
  NewKey,
  NewPetition,
  NewRequest,
  PetitionParams,
  PetitionQuery,
  RequestParams,
  RequestQuery,
  TransparencyQuery,
} from '../power-schemas.ts';
import { OrgParams, PageQuery } from '../schemas.ts';
import type { CouncilsService } from '../service.ts';
import { TransparencyCache } from '../transparency-cache.ts';
import { Written } from '../responses/common.ts';
import { Approved } from '../responses/account.ts';
import type { Accounts } from '../accounts.ts';
import {
  Committees,
  MemberKeys,
  NextKey,
  Petition,
  PetitionOpened,
  Petitions,
  PowerSettings,
  PrivilegedRequests,
  RequestDetail,
  RequestMade,
  Signatures,
  TransparencyReport,
} from '../responses/power.ts';
import { presentWritten } from '../presenters/organisation.ts';
import {
  presentCommittees,
  presentMemberKeys,
  presentPetition,
  presentPetitionOpened,
  presentPetitions,
  presentPowerSettings,
  presentRequest,
  presentRequestMade,
  presentRequests,
  presentTransparency,
} from '../presenters/power.ts';

type OrgP = Static<typeof OrgParams>;
type PetitionP = Static<typeof PetitionParams>;
type RequestP = Static<typeof RequestParams>;

export function powerRoutes(app: FastifyInstance, service: CouncilsService, accounts: Accounts): void {
  // The pages read where service.reads() says (the replica when it has caught up). The transparency tally reads
  // only the entries appended since its last request, on the primary: nothing there worth sending to a replica.
  const transparency = new TransparencyCache(service.db.kysely);
  const write = (org: string, memberId: string, command: Command) => service.run(org, memberId, command);

  app.get<{ Params: OrgP; Querystring: Static<typeof PetitionQuery> }>(
    '/orgs/:org/petitions',
    {
      schema: {
        tags: ['petitions'],
        summary:
          'Petitions, newest first, a page at a time (?after=, ?limit=): of one council with ?council= (those its members sign and those for its agenda)',
        params: OrgParams,
        querystring: PetitionQuery,
        response: { 200: Petitions },
      },
    },
    async (request) => {
      const p = requireOrgMember(request, request.params.org);
      const { council, after, limit } = request.query;
      const q = await service.reads(p.orgId);
      const cursor = await cursorAt(after, (id) => petitionCursor(q, p.orgId, id, council));
      const page = await listPetitions(q, p.orgId, council, { after: cursor, limit: pageSize(limit) });
      const ids = page.petitions.map((x) => x.id);
      return presentPetitions(page, await petitionsSignedBy(q, p.orgId, p.memberId, ids));
    },
  );

  app.get<{ Params: PetitionP }>(
    '/orgs/:org/petitions/:petition',
    {
      schema: {
        tags: ['petitions'],
        summary:
          'A petition, its signatures counted by council, and the first page of its signatures (signaturesNext: GET …/signatures?after=)',
        params: PetitionParams,
        response: { 200: Petition },
      },
    },
    async (request) => {
      const me = requireOrgMember(request, request.params.org);
      const q = await service.reads(me.orgId);
      const p = await getPetition(q, me.orgId, request.params.petition);
      if (!p) throw new ApiError('not_found', 'no such petition');
      const signed = await petitionsSignedBy(q, me.orgId, me.memberId, [p.id]);
      return presentPetition(p, signed.has(p.id));
    },
  );

  app.get<{ Params: PetitionP; Querystring: Static<typeof PageQuery> }>(
    '/orgs/:org/petitions/:petition/signatures',
    {
      schema: {
        tags: ['petitions'],
        summary:
          "A page of a petition's signatures in the order they were made, with the names of the page's signers",
        params: PetitionParams,
        querystring: PageQuery,
        response: { 200: Signatures },
      },
    },
    async (request) => {
      const me = requireOrgMember(request, request.params.org);
      const { petition } = request.params;
      const { after, limit } = request.query;
      const q = await service.reads(me.orgId);
      if (!(await petitionExists(q, me.orgId, petition))) throw new ApiError('not_found', 'no such petition');
      const cursor = await cursorAt(after, (id) => signatureCursor(q, me.orgId, petition, id));
      return listSignatures(q, me.orgId, petition, { after: cursor, limit: pageSize(limit) });
    },
  );

  app.post<{ Params: OrgP; Body: Static<typeof NewPetition> }>(
    '/orgs/:org/petitions',
    {
      schema: {
        tags: ['petitions'],
        summary:
          'Open a petition (it counts as your signature): agenda, recall of a deputy, extraordinary election',
        params: OrgParams,
        body: NewPetition,
        response: { 201: PetitionOpened },
      },
    },
    async (request, reply) => {
      const p = requireOrgMember(request, request.params.org);
      const entries = await write(p.orgId, p.memberId, { type: 'open_petition', ...request.body });
      return reply.status(201).send(presentPetitionOpened(entries));
    },
  );

  app.post<{ Params: PetitionP }>(
    '/orgs/:org/petitions/:petition/signatures',
    {
      schema: {
        tags: ['petitions'],
        summary: 'Sign a petition; the last signature needed opens its item at once',
        params: PetitionParams,
        response: { 201: Written },
      },
    },
    async (request, reply) => {
      const p = requireOrgMember(request, request.params.org);
      const entries = await write(p.orgId, p.memberId, {
        type: 'sign_petition',
        petitionId: request.params.petition,
      });
      return reply.status(201).send(presentWritten(entries));
    },
  );

  app.get<{ Params: OrgP; Querystring: Static<typeof KeysQuery> }>(
    '/orgs/:org/keys',
    {
      schema: {
        tags: ['approvals'],
        summary: "Members' registered approval keys; with ?member= one member's",
        params: OrgParams,
        querystring: KeysQuery,
        response: { 200: MemberKeys },
      },
    },
    async (request) => {
      requireOrgMember(request, request.params.org);
      const q = await service.reads(request.params.org);
      return presentMemberKeys(await listMemberKeys(q, request.params.org, request.query.member));
    },
  );

  app.post<{ Params: OrgP; Body: Static<typeof NewKey> }>(
    '/orgs/:org/keys',
    {
      schema: {
        tags: ['approvals'],
        summary: 'Register my Ed25519 approval key (replaces my previous one)',
        params: OrgParams,
        body: NewKey,
        response: { 201: Written },
      },
    },
    async (request, reply) => {
      const p = requireOrgMember(request, request.params.org);
      const entries = await write(p.orgId, p.memberId, { type: 'register_key', ...request.body });
      return reply.status(201).send(presentWritten(entries));
    },
  );

  app.get<{ Params: OrgP; Querystring: Static<typeof RequestQuery> }>(
    '/orgs/:org/requests',
    {
      schema: {
        tags: ['approvals'],
        summary:
          'Privileged requests, newest first, a page at a time (?after=, ?limit=): of one state, or (by=committee) the acts committees carried out',
        params: OrgParams,
        querystring: RequestQuery,
        response: { 200: PrivilegedRequests },
      },
    },
    async (request) => {
      const { org } = request.params;
      requireOrgMember(request, org);
      const { state, by, after, limit } = request.query;
      if (by !== undefined && state !== undefined)
        throw new ApiError(
          'invalid_request',
          'by=committee lists done and reversed acts together: leave out state',
          'querystring.state',
        );
      const filter = { state, byCommittee: by === 'committee' };
      const q = await service.reads(org);
      const cursor = await cursorAt(after, (id) => requestCursor(q, org, id, filter));
      return presentRequests(await listRequests(q, org, filter, { after: cursor, limit: pageSize(limit) }));
    },
  );

  app.get<{ Params: RequestP }>(
    '/orgs/:org/requests/:request',
    {
      schema: {
        tags: ['approvals'],
        summary: 'A privileged request, its approvals, and the exact message I would sign to approve it',
        params: RequestParams,
        response: { 200: RequestDetail },
      },
    },
    async (request) => {
      const p = requireOrgMember(request, request.params.org);
      const q = await service.reads(p.orgId);
      const r = await getRequest(q, request.params.org, request.params.request);
      if (!r) throw new ApiError('not_found', 'no such request');
      return presentRequest(r, p.orgId, p.memberId);
    },
  );

  app.post<{ Params: OrgP; Body: Static<typeof NewRequest> }>(
    '/orgs/:org/requests',
    {
      schema: {
        tags: ['approvals'],
        summary: 'Request a privileged act; it waits until the body the constitution names approves it',
        params: OrgParams,
        body: NewRequest,
        response: { 201: RequestMade },
      },
    },
    async (request, reply) => {
      const p = requireOrgMember(request, request.params.org);
      // A webhook's acts make a signing secret in the request's transaction: they are asked for at /webhooks.
      if ((webhookKinds as readonly string[]).includes(request.body.kind))
        throw new ApiError(
          'invalid_request',
          'webhook endpoints are requested at /orgs/{org}/webhooks',
          'kind',
        );
      const entries = await write(p.orgId, p.memberId, {
        type: 'request_act',
        kind: request.body.kind as Extract<Command, { type: 'request_act' }>['kind'],
        content: request.body.content,
      });
      return reply.status(201).send(presentRequestMade(entries));
    },
  );

  app.post<{ Params: RequestP; Body: Static<typeof ApprovalBody> }>(
    '/orgs/:org/requests/:request/approvals',
    {
      schema: {
        tags: ['approvals'],
        summary: 'Approve a request with a signature of my registered key; the k-th approval carries it out',
        params: RequestParams,
        body: ApprovalBody,
        response: { 201: Approved },
      },
    },
    async (request, reply) => {
      const p = requireOrgMember(request, request.params.org);
      const r = await accounts.approve(p, request.params.request, request.body.signature);
      return reply
        .status(201)
        .send({ ...presentWritten(r.entries), ...(r.resetLink ? { resetLink: r.resetLink } : {}) });
    },
  );

  const simple: { path: string; summary: string; command: (requestId: string) => Command }[] = [
    {
      path: 'withdraw',
      summary: 'Withdraw my approval (it then counts for nothing)',
      command: (requestId) => ({ type: 'withdraw_approval', requestId }),
    },
    {
      path: 'appeal',
      summary: 'Appeal my expulsion to the council above',
      command: (requestId) => ({ type: 'appeal_expulsion', requestId }),
    },
  ];
  for (const s of simple) {
    app.post<{ Params: RequestP }>(
      `/orgs/:org/requests/:request/${s.path}`,
      {
        schema: {
          tags: ['approvals'],
          summary: s.summary,
          params: RequestParams,
          response: { 201: Written },
        },
      },
      async (request, reply) => {
        const p = requireOrgMember(request, request.params.org);
        const entries = await write(p.orgId, p.memberId, s.command(request.params.request));
        return reply.status(201).send(presentWritten(entries));
      },
    );
  }

  app.get<{ Params: OrgP; Querystring: Static<typeof PageQuery> }>(
    '/orgs/:org/committees',
    {
      schema: {
        tags: ['approvals'],
        summary: "Councils' committees and their terms, a page at a time in the order of their councils' ids",
        params: OrgParams,
        querystring: PageQuery,
        response: { 200: Committees },
      },
    },
    async (request) => {
      const { org } = request.params;
      requireOrgMember(request, org);
      const { after, limit } = request.query;
      const q = await service.reads(org);
      const cursor = await cursorAt(after, (id) => committeeCursor(q, org, id));
      return presentCommittees(await listCommittees(q, org, { after: cursor, limit: pageSize(limit) }));
    },
  );

  app.get<{ Params: OrgP }>(
    '/orgs/:org/power',
    {
      schema: {
        tags: ['approvals'],
        summary:
          "The record's settings set by privileged acts: log key, witnesses, trustees, unsealed entries",
        params: OrgParams,
        response: { 200: PowerSettings },
      },
    },
    async (request) => {
      requireOrgMember(request, request.params.org);
      const q = await service.reads(request.params.org);
      return presentPowerSettings(await getPowerSettings(q, request.params.org));
    },
  );

  app.post<{ Params: OrgP }>(
    '/orgs/:org/record/next-key',
    {
      schema: {
        tags: ['record'],
        summary:
          'Make a candidate log key and return its verifier key, to name in a rotate_log_key request (no effect until approved)',
        params: OrgParams,
        response: { 201: NextKey },
      },
    },
    async (request, reply) => {
      requireOrgMember(request, request.params.org);
      return reply
        .status(201)
        .send({ verifierKey: await service.record.prepareKeyRotation(request.params.org) });
    },
  );

  app.get<{ Params: OrgP; Querystring: Static<typeof TransparencyQuery> }>(
    '/orgs/:org/transparency',
    {
      schema: {
        tags: ['organisation'],
        summary:
          'Transparency report: petitions, recalls, privileged acts, sealed entries, by month, for the organisation (whole) and a page of its councils (?after=next&limit=, or ?council=)',
        params: OrgParams,
        querystring: TransparencyQuery,
        response: { 200: TransparencyReport },
      },
    },
    async (request) => {
      requireOrgMember(request, request.params.org);
      const { after, limit, council } = request.query;
      const page = await transparency.page(request.params.org, {
        after,
        council,
        limit: pageSize(limit),
      });
      if (!page) throw badCursor();
      return presentTransparency(page);
    },
  );
}
