// The organisation, its council tree, councils, and what is started in a council (motions, elections, invitations).
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { MethodId } from '../../count/index.ts';
import {
  getCouncilMembers,
  getCouncilTree,
  getOrg,
  listMandates,
  listMotions,
} from '../../store/read-repository.ts';
import { requireOrgMember } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { CouncilParams, InvitationBody, NewElection, NewMotion, OrgParams } from '../schemas.ts';
import type { CouncilsService } from '../service.ts';
import { Moved } from '../responses/common.ts';
import { Council, Invited, Org } from '../responses/organisation.ts';
import { presentCouncil, presentMoved, presentOrg } from '../presenters/organisation.ts';

type CouncilP = Static<typeof CouncilParams>;

export function orgRoutes(app: FastifyInstance, service: CouncilsService, publicUrl: string): void {
  const q = service.db.kysely;

  app.get<{ Params: Static<typeof OrgParams> }>(
    '/orgs/:org',
    {
      schema: {
        tags: ['organisation'],
        summary: 'The organisation, its constitution and council tree',
        params: OrgParams,
        response: { 200: Org },
      },
    },
    async (request) => {
      requireOrgMember(request, request.params.org);
      const org = await getOrg(q, request.params.org);
      if (!org) throw new ApiError('not_found', 'no such organisation');
      return presentOrg(org, await getCouncilTree(q, org.id, service.now()));
    },
  );

  app.get<{ Params: CouncilP }>(
    '/orgs/:org/councils/:council',
    {
      schema: {
        tags: ['councils'],
        summary: 'A council: members, deputies, motions',
        params: CouncilParams,
        response: { 200: Council },
      },
    },
    async (request) => {
      const { org, council } = request.params;
      requireOrgMember(request, org);
      const tree = await getCouncilTree(q, org, service.now());
      const c = tree.find((x) => x.id === council);
      if (!c) throw new ApiError('not_found', 'no such council');
      return presentCouncil(
        c,
        c.kind === 'base' ? await getCouncilMembers(q, org, council) : null,
        await listMandates(q, org, { councilId: council }),
        await listMotions(q, org, council),
      );
    },
  );

  app.post<{ Params: CouncilP; Body: Static<typeof InvitationBody> }>(
    '/orgs/:org/councils/:council/invitations',
    {
      schema: {
        tags: ['councils'],
        summary: 'Invite a person to this base council; returns the invitation link (shown once)',
        params: CouncilParams,
        body: InvitationBody,
        response: { 201: Invited },
      },
    },
    async (request, reply) => {
      const { org, council } = request.params;
      const p = requireOrgMember(request, org);
      const r = await service.inviteInto(org, p.memberId, council, request.body.name);
      return reply.status(201).send({ ...r, link: `${publicUrl}/invite/${r.token}` });
    },
  );

  app.post<{ Params: CouncilP; Body: NewMotion }>(
    '/orgs/:org/councils/:council/motions',
    {
      schema: {
        tags: ['motions'],
        summary: 'Move a motion with one or more alternatives',
        params: CouncilParams,
        body: NewMotion,
        response: { 201: Moved },
      },
    },
    async (request, reply) => {
      const { org, council } = request.params;
      const p = requireOrgMember(request, org);
      const b = request.body;
      const entries = await service.run(org, p.memberId, {
        type: 'move_motion',
        councilId: council,
        title: b.title,
        text: b.text,
        ...(b.alternatives ? { alternatives: b.alternatives } : {}),
        ...(b.majority ? { majority: b.majority } : {}),
        ...(b.draft !== undefined ? { draft: b.draft } : {}),
        ...(b.method !== undefined ? { method: b.method as MethodId } : {}),
        ...(b.maxScore !== undefined ? { maxScore: b.maxScore } : {}),
        ...(b.secret !== undefined ? { secret: b.secret } : {}),
      });
      return reply.status(201).send(presentMoved(entries));
    },
  );

  app.post<{ Params: CouncilP; Body: Static<typeof NewElection> }>(
    '/orgs/:org/councils/:council/elections',
    {
      schema: {
        tags: ['mandates'],
        summary:
          "Call an election of a deputy to this council's parent (candidates are then proposed as alternatives)",
        params: CouncilParams,
        body: NewElection,
        response: { 201: Moved },
      },
    },
    async (request, reply) => {
      const { org, council } = request.params;
      const p = requireOrgMember(request, org);
      const { method, ...rest } = request.body;
      const entries = await service.run(org, p.memberId, {
        type: 'call_election',
        councilId: council,
        ...rest,
        ...(method !== undefined ? { method: method as MethodId } : {}),
      });
      return reply.status(201).send(presentMoved(entries));
    },
  );
}
