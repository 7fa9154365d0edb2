// A motion and everything done to it: debate, alternatives, amendments, withdrawal, voting, minority statements;
// votes and ballots; mandates (recall, resignation); the log.
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { BallotContent, Command, Entry } from '../../core/index.ts';
import type { Kysely } from 'kysely';
import { readEntries } from '../../store/log-repository.ts';
import type { Database } from '../../store/schema.ts';
import { getComments, getMandate, getMotion, getVote } from '../../store/read-repository.ts';
import { getBallots, getElectorate, voteExists } from '../../store/read-votes.ts';
import { mandateHolder, petitionOfMotion } from '../../store/read-power.ts';
import { requireOrgMember } from '../auth.ts';
import { ApiError } from '../errors.ts';
import {
  Ballot,
  LogQuery,
  MandateParams,
  MotionParams,
  NewAlternative,
  NewComment,
  OpenVote,
  OrgParams,
  PageQuery,
  RecallBody,
  StatementBody,
  VoteParams,
} from '../schemas.ts';
import type { CouncilsService } from '../service.ts';
import { Moved, Written } from '../responses/common.ts';
import { Ballots, Comments, Electorate, LogPage, Mandate, Motion, Vote } from '../responses/organisation.ts';
import { MotionTimeline } from '../responses/timeline.ts';
import { motionTimeline } from '../../core/index.ts';
import {
  presentEntry,
  presentMandate,
  presentMotion,
  presentMoved,
  presentVote,
  presentWritten,
} from '../presenters/organisation.ts';

type MotionP = Static<typeof MotionParams>;

export function motionRoutes(app: FastifyInstance, service: CouncilsService): void {
  app.get<{ Params: MotionP }>(
    '/orgs/:org/motions/:motion',
    {
      schema: {
        tags: ['motions'],
        summary: 'A motion: alternatives, debate, minority statements, vote and result',
        params: MotionParams,
        response: { 200: Motion },
      },
    },
    async (request) => {
      const p = requireOrgMember(request, request.params.org);
      const { org, motion } = request.params;
      const q = await service.reads(org);
      const m = await getMotion(q, org, motion, service.electorates(org), p.memberId);
      if (!m) throw new ApiError('not_found', 'no such motion');
      const petition = m.moverName === null ? await petitionOfMotion(q, request.params.org, m.id) : undefined;
      const deputy =
        m.mandateId === null ? undefined : await mandateHolder(q, request.params.org, m.mandateId);
      return presentMotion(m, petition, deputy);
    },
  );

  app.get<{ Params: MotionP; Querystring: Static<typeof PageQuery> }>(
    '/orgs/:org/motions/:motion/comments',
    {
      schema: {
        tags: ['motions'],
        summary:
          "A page of a motion's debate, oldest first: after the comment ?after= (a page's next), up to ?limit=",
        params: MotionParams,
        querystring: PageQuery,
        response: { 200: Comments },
      },
    },
    async (request) => {
      requireOrgMember(request, request.params.org);
      const { org, motion } = request.params;
      const page = await getComments(await service.reads(org), org, motion, request.query);
      if (page === 'no_motion') throw new ApiError('not_found', 'no such motion');
      if (page === 'bad_cursor')
        throw new ApiError(
          'invalid_request',
          "after must name a comment of this motion (a page's next)",
          'querystring.after',
        );
      return page;
    },
  );

  app.get<{ Params: MotionP }>(
    '/orgs/:org/motions/:motion/timeline',
    {
      schema: {
        tags: ['motions'],
        summary:
          'The motion’s timeline: its phase, what may happen next, who may do it and from when, and what you may do now (docs/PROCEDURE.md)',
        params: MotionParams,
        response: { 200: MotionTimeline },
      },
    },
    async (request) => {
      const p = requireOrgMember(request, request.params.org);
      const state = await service.ledger(p.orgId).current();
      const timeline = motionTimeline(state, request.params.motion, p.memberId, service.now());
      if (!timeline) throw new ApiError('not_found', 'no such motion');
      return timeline;
    },
  );

  // One route per motion action: each is one command of the core.
  const actions: {
    path: string;
    summary: string;
    body?: unknown;
    command: (motionId: string, body: Record<string, unknown>) => Command;
  }[] = [
    {
      path: 'debate',
      summary: 'Put a draft up for debate (the mover)',
      command: (motionId) => ({ type: 'open_debate', motionId }),
    },
    {
      path: 'second',
      summary: 'Second the motion (a member other than its mover), so that it reaches the agenda',
      command: (motionId) => ({ type: 'second_motion', motionId }),
    },
    {
      path: 'closure',
      summary:
        'Support closing the debate: the vote may open early once the constitution’s share supports it',
      command: (motionId) => ({ type: 'support_closure', motionId }),
    },
    {
      path: 'closure/withdraw',
      summary: 'Withdraw your support for closing the debate, until the closure is carried',
      command: (motionId) => ({ type: 'withdraw_closure_support', motionId }),
    },
    {
      path: 'alternatives',
      summary: 'Propose an alternative, an amendment (amends), or a candidate (elections)',
      body: NewAlternative,
      command: (motionId, b) => ({
        type: 'propose_alternative',
        motionId,
        ...(b as Static<typeof NewAlternative>),
      }),
    },
    {
      path: 'comments',
      summary: 'Speak in the debate: for, against or neutral',
      body: NewComment,
      command: (motionId, b) => ({ type: 'post_comment', motionId, ...(b as Static<typeof NewComment>) }),
    },
    {
      path: 'withdraw',
      summary: 'Withdraw the motion (the mover, before voting)',
      command: (motionId) => ({ type: 'withdraw_motion', motionId }),
    },
    {
      path: 'vote',
      summary: 'Open voting; the electorate is frozen now',
      body: OpenVote,
      command: (motionId, b) => ({ type: 'open_vote', motionId, ...(b as Static<typeof OpenVote>) }),
    },
    {
      path: 'statements',
      summary: 'Attach a minority statement to the decision (members who voted against it)',
      body: StatementBody,
      command: (motionId, b) => ({
        type: 'attach_minority_statement',
        motionId,
        text: (b as { text: string }).text,
      }),
    },
  ];
  for (const a of actions) {
    app.post<{ Params: MotionP; Body: Record<string, unknown> | undefined }>(
      `/orgs/:org/motions/:motion/${a.path}`,
      {
        schema: {
          tags: ['motions'],
          summary: a.summary,
          params: MotionParams,
          ...(a.body ? { body: a.body } : {}),
          response: { 201: Written },
        },
      },
      async (request, reply) => {
        const p = requireOrgMember(request, request.params.org);
        const entries = await service.run(
          p.orgId,
          p.memberId,
          a.command(request.params.motion, request.body ?? {}),
        );
        return reply.status(201).send(presentWritten(entries));
      },
    );
  }

  app.get<{ Params: Static<typeof VoteParams> }>(
    '/orgs/:org/votes/:vote',
    {
      schema: {
        tags: ['votes'],
        summary:
          'A vote: how many may vote and have voted, my part, the result (electorate and ballots: paged)',
        params: VoteParams,
        response: { 200: Vote },
      },
    },
    async (request) => {
      const p = requireOrgMember(request, request.params.org);
      const { org, vote } = request.params;
      const q = await service.reads(org);
      const v = await getVote(q, org, vote, service.electorates(org), p.memberId);
      if (!v) throw new ApiError('not_found', 'no such vote');
      return presentVote(v);
    },
  );

  // A vote's lists, a page at a time (docs/API.md "Paging"): the electorate (frozen in the organisation's state, no
  // table holds it: docs/SCALE.md) and the named ballots of a roll call.
  const votePages = [
    {
      path: 'electorate',
      summary: "A page of a vote's electorate, with weights",
      response: Electorate,
      read: async (q: Kysely<Database>, org: string, vote: string, page: Static<typeof PageQuery>) => {
        const electorate = await service.electorates(org)(vote);
        if (!electorate) throw new ApiError('not_found', 'no such vote');
        return getElectorate(q, org, electorate, page);
      },
    },
    {
      path: 'ballots',
      summary: "A page of a vote's named ballots (roll call)",
      response: Ballots,
      read: (q: Kysely<Database>, org: string, vote: string, page: Static<typeof PageQuery>) =>
        getBallots(q, org, vote, page),
    },
  ] as const;
  for (const page of votePages) {
    app.get<{ Params: Static<typeof VoteParams>; Querystring: Static<typeof PageQuery> }>(
      `/orgs/:org/votes/:vote/${page.path}`,
      {
        schema: {
          tags: ['votes'],
          summary: page.summary,
          params: VoteParams,
          querystring: PageQuery,
          response: { 200: page.response },
        },
      },
      async (request) => {
        const { org, vote } = request.params;
        requireOrgMember(request, org);
        const q = await service.reads(org);
        if (!(await voteExists(q, org, vote))) throw new ApiError('not_found', 'no such vote');
        return page.read(q, org, vote, request.query);
      },
    );
  }

  app.post<{ Params: Static<typeof VoteParams>; Body: Static<typeof Ballot> }>(
    '/orgs/:org/votes/:vote/ballots',
    {
      schema: {
        tags: ['votes'],
        summary:
          'Cast an open ballot (once; again until the vote closes, replacing it, where the constitution allows)',
        params: VoteParams,
        body: Ballot,
        response: { 201: Written },
      },
    },
    async (request, reply) => {
      const p = requireOrgMember(request, request.params.org);
      const entries = await service.run(p.orgId, p.memberId, {
        type: 'cast_ballot',
        voteId: request.params.vote,
        ballot: request.body as BallotContent,
      });
      return reply.status(201).send(presentWritten(entries));
    },
  );

  app.post<{ Params: Static<typeof VoteParams> }>(
    '/orgs/:org/votes/:vote/close',
    {
      schema: {
        tags: ['votes'],
        summary: 'Close a vote whose time is up (any member; also done on schedule)',
        params: VoteParams,
        response: { 201: Written },
      },
    },
    async (request, reply) => {
      const p = requireOrgMember(request, request.params.org);
      const entries = await service.run(p.orgId, p.memberId, {
        type: 'close_vote',
        voteId: request.params.vote,
      });
      return reply.status(201).send(presentWritten(entries));
    },
  );

  app.get<{ Params: Static<typeof MandateParams> }>(
    '/orgs/:org/mandates/:mandate',
    {
      schema: { tags: ['mandates'], summary: 'A mandate', params: MandateParams, response: { 200: Mandate } },
    },
    async (request) => {
      requireOrgMember(request, request.params.org);
      const q = await service.reads(request.params.org);
      const m = await getMandate(q, request.params.org, request.params.mandate);
      if (!m) throw new ApiError('not_found', 'no such mandate');
      return presentMandate(m);
    },
  );

  app.post<{ Params: Static<typeof MandateParams>; Body: Static<typeof RecallBody> }>(
    '/orgs/:org/mandates/:mandate/recall',
    {
      schema: {
        tags: ['mandates'],
        summary: 'Move the recall of a deputy (any member of the council that elected them)',
        params: MandateParams,
        body: RecallBody,
        response: { 201: Moved },
      },
    },
    async (request, reply) => {
      const p = requireOrgMember(request, request.params.org);
      const entries = await service.run(p.orgId, p.memberId, {
        type: 'move_recall',
        mandateId: request.params.mandate,
        text: request.body.text,
      });
      return reply.status(201).send(presentMoved(entries));
    },
  );

  app.post<{ Params: Static<typeof MandateParams> }>(
    '/orgs/:org/mandates/:mandate/resign',
    {
      schema: {
        tags: ['mandates'],
        summary: 'Resign my mandate',
        params: MandateParams,
        response: { 201: Written },
      },
    },
    async (request, reply) => {
      const p = requireOrgMember(request, request.params.org);
      const entries = await service.run(p.orgId, p.memberId, {
        type: 'resign_mandate',
        mandateId: request.params.mandate,
      });
      return reply.status(201).send(presentWritten(entries));
    },
  );

  app.get<{ Params: Static<typeof OrgParams>; Querystring: Static<typeof LogQuery> }>(
    '/orgs/:org/log',
    {
      schema: {
        tags: ['record'],
        summary: 'Entries of the log, in order',
        params: OrgParams,
        querystring: LogQuery,
        response: { 200: LogPage },
      },
    },
    async (request) => {
      requireOrgMember(request, request.params.org);
      const q = await service.reads(request.params.org);
      const from = request.query.from ?? 0;
      const limit = request.query.limit ?? 100;
      const entries: Entry[] = [];
      for await (const e of readEntries(q, request.params.org, from, limit)) {
        entries.push(e);
        if (entries.length >= limit) break;
      }
      return { from, entries: entries.map(presentEntry) };
    },
  );
}
