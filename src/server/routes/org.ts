// The organisation, its council tree, councils, and what is started in a council (motions, elections, invitations).
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { MethodId } from '../../count/index.ts';
import {
  getCouncilName,
  getOrg,
  listPastMotions,
  readPastMotionCursor,
} from '../../store/read-repository.ts';
import {
  councilNamesOf,
  getCouncilMembers,
  getCouncilNodes,
  getOrgMembers,
  memberNamesOf,
} from '../../store/read-councils.ts';
import { getCouncilPage } from '../../store/read-council-page.ts';
import { getLanding } from '../../store/read-landing.ts';
import { requireOrgMember } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { badCursor, cursorAt, pageSize } from '../paging.ts';
import { searchKey } from '../../core/index.ts';
import {
  CouncilMembersQuery,
  CouncilParams,
  CouncilsQuery,
  InvitationBody,
  MembersQuery,
  NamesQuery,
  NewElection,
  NewMotion,
  OrgParams,
  PageQuery,
  TreeQuery,
} from '../schemas.ts';
import {
  readSearchCursor,
  searchCouncilMembers,
  searchCouncils,
  searchMembers,
} from '../../store/read-search.ts';
import { invitationDays, normaliseEmail, type CouncilsService, type Principal } from '../service.ts';
import { invitationMessage } from '../mail/invitation-mail.ts';
import { findMemberLocale } from '../../store/locale-repository.ts';
import { defaultLocale, isLocale, translator } from '../../i18n/index.ts';
import type { Database } from '../../store/schema.ts';
import { TreeCache } from '../tree-cache.ts';
import { Moved } from '../responses/common.ts';
import {
  Council,
  CouncilMatches,
  CouncilMembers,
  CouncilTree,
  Invited,
  Names,
  Org,
  OrgMembers,
  PastMotions,
} from '../responses/organisation.ts';
import { deputiesAsMembers, presentCouncil, presentMoved, presentOrg } from '../presenters/organisation.ts';

/** A search's page: its cursor read (one this search made, or invalid_request) and its size. */
function searchPage(text: string, after: string | undefined, limit: number | undefined) {
  // a text of marks alone ("\u0301") has an empty key, which every name starts with: as empty as ""
  if (searchKey(text) === '')
    throw new ApiError(
      'invalid_request',
      'q must hold a letter or a digit, not only accents',
      'querystring.q',
    );
  const cursor = after === undefined ? undefined : readSearchCursor(text, after);
  if (after !== undefined && cursor === undefined) throw badCursor();
  return { after: cursor, limit: pageSize(limit) };
}

/** Past motions on a council's page; the rest come a page at a time (GET …/motions). */
const pastMotionsOnCouncilPage = 20;

/** A higher council's deputies whose name starts with `text` (or whose id it is, first), in the search's order. */
function deputiesNamed(c: Parameters<typeof deputiesAsMembers>[0], text: string) {
  const prefix = searchKey(text);
  const deputies = deputiesAsMembers(c);
  const found = deputies
    .map((m) => ({ m, key: searchKey(m.name) }))
    .filter((x) => x.key.startsWith(prefix) && x.m.id !== text)
    .sort((a, b) => (a.key === b.key ? compare(a.m.id, b.m.id) : compare(a.key, b.key)))
    .map((x) => x.m);
  return [...deputies.filter((m) => m.id === text), ...found];
}

/** Code point order, as the databases compare name keys (a language's collation would not). */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

type CouncilP = Static<typeof CouncilParams>;

export function orgRoutes(app: FastifyInstance, service: CouncilsService, publicUrl: string): void {
  // Every read below of the organisation's tables goes where service.reads() says: the read replica when it holds
  // every entry the primary held, else the primary (src/server/read-replica.ts). A new read route does the same.
  const trees = new TreeCache();

  // What every page load fetches: it reads the member's own councils and those above them, never the whole tree,
  // so it costs the same in an organisation of a hundred members and of a million (docs/SCALE.md).
  app.get<{ Params: Static<typeof OrgParams> }>(
    '/orgs/:org',
    {
      schema: {
        tags: ['organisation'],
        summary:
          "The organisation, its constitution, and the signed-in member's councils with those above them",
        params: OrgParams,
        response: { 200: Org },
      },
    },
    async (request) => {
      const p = requireOrgMember(request, request.params.org);
      const orgId = request.params.org;
      const q = await service.reads(orgId);
      // One statement (src/store/read-landing.ts): the organisation's row with its counts (no catching up with
      // the log to count), and the member's councils with those above them.
      const { org, mine, councils } = await getLanding(q, orgId, p.memberId, service.now());
      if (!org) throw new ApiError('not_found', 'no such organisation');
      return presentOrg(org, {
        councilCount: org.councilCount,
        memberCount: org.memberCount,
        myCouncilIds: mine,
        councils,
      });
    },
  );

  app.get<{ Params: Static<typeof OrgParams>; Querystring: Static<typeof TreeQuery> }>(
    '/orgs/:org/tree',
    {
      schema: {
        tags: ['organisation'],
        summary:
          'The council tree, top-down, a page at a time (?limit=, ?after=) or whole: each council, its seats and its sitting deputies',
        params: OrgParams,
        querystring: TreeQuery,
        response: { 200: CouncilTree },
      },
    },
    async (request) => {
      requireOrgMember(request, request.params.org);
      const q = await service.reads(request.params.org);
      const org = await getOrg(q, request.params.org);
      if (!org) throw new ApiError('not_found', 'no such organisation');
      const { after, limit } = request.query;
      const page = await trees.page(
        q,
        org.id,
        org.entries,
        service.now(),
        after,
        limit ?? (after === undefined ? Infinity : 100),
      );
      if (!page) throw badCursor();
      return page;
    },
  );

  app.get<{ Params: Static<typeof OrgParams>; Querystring: Static<typeof NamesQuery> }>(
    '/orgs/:org/names',
    {
      schema: {
        tags: ['organisation'],
        summary: 'The names of up to 200 members and 200 councils, by id (for the rows a page shows)',
        params: OrgParams,
        querystring: NamesQuery,
        response: { 200: Names },
      },
    },
    async (request) => {
      const { org } = request.params;
      requireOrgMember(request, org);
      const q = await service.reads(org);
      const ids = (list: string | undefined) => (list ? list.split(',') : []);
      return {
        members: Object.fromEntries(await memberNamesOf(q, org, ids(request.query.members))),
        councils: Object.fromEntries(await councilNamesOf(q, org, ids(request.query.councils))),
      };
    },
  );

  // The people directory, a page at a time in id order; with ?q= the pickers' search, a page of the members whose
  // name starts with the text (docs/SCALE.md, "Searching for a member or a council"). Names for the rows shown only.
  app.get<{ Params: Static<typeof OrgParams>; Querystring: Static<typeof MembersQuery> }>(
    '/orgs/:org/members',
    {
      schema: {
        tags: ['organisation'],
        summary:
          "A page of the organisation's members with their base councils: in the order of their ids, or with ?q= those whose name starts with it (any case and accents) in the order of their names, the member whose id it is first",
        params: OrgParams,
        querystring: MembersQuery,
        response: { 200: OrgMembers },
      },
    },
    async (request) => {
      const { org } = request.params;
      requireOrgMember(request, org);
      const q = await service.reads(org);
      const { q: text, after, limit } = request.query;
      const page =
        text === undefined
          ? await directoryPage(q, org, after, limit)
          : await searchMembers(q, org, text, searchPage(text, after, limit));
      const named = page.members.flatMap((m) => (m.councilId === null ? [] : [m.councilId]));
      return { ...page, councilNames: Object.fromEntries(await councilNamesOf(q, org, named)) };
    },
  );

  async function directoryPage(
    q: Kysely<Database>,
    org: string,
    after: string | undefined,
    limit: number | undefined,
  ) {
    if (after !== undefined && (await memberNamesOf(q, org, [after])).size === 0) throw badCursor();
    return getOrgMembers(q, org, { after, limit });
  }

  // The pickers' search of councils (docs/SCALE.md, "Searching for a member or a council").
  app.get<{ Params: Static<typeof OrgParams>; Querystring: Static<typeof CouncilsQuery> }>(
    '/orgs/:org/councils',
    {
      schema: {
        tags: ['councils'],
        summary:
          'A page of the councils whose name starts with ?q= (any case and accents), of the ?kind= asked, in the order of their names, the council whose id it is first',
        params: OrgParams,
        querystring: CouncilsQuery,
        response: { 200: CouncilMatches },
      },
    },
    async (request) => {
      const { org } = request.params;
      requireOrgMember(request, org);
      const q = await service.reads(org);
      const { q: text, kind, after, limit } = request.query;
      return searchCouncils(q, org, text, searchPage(text, after, limit), kind);
    },
  );

  app.get<{ Params: CouncilP }>(
    '/orgs/:org/councils/:council',
    {
      schema: {
        tags: ['councils'],
        summary: 'A council: its first page of members, deputies, motions',
        params: CouncilParams,
        response: { 200: Council },
      },
    },
    async (request) => {
      const { org, council } = request.params;
      requireOrgMember(request, org);
      const q = await service.reads(org);
      // Its reads in one statement, which is all a council that is not there costs; a higher council's members
      // read finds no row and is not shown.
      const page = await getCouncilPage(q, org, council, service.now(), pastMotionsOnCouncilPage);
      if (!page) throw new ApiError('not_found', 'no such council');
      const { council: c, mandates } = page;
      const named = [
        ...(c.parentId === null ? [] : [c.parentId]),
        ...c.childIds,
        ...[...c.deputies, ...c.sentDeputies, ...mandates].flatMap((m) => [m.councilId, m.fromCouncilId]),
      ];
      return presentCouncil(
        c,
        c.kind === 'base' ? page.members : null,
        await councilNamesOf(q, org, named),
        mandates,
        page.motions,
        page.past,
      );
    },
  );

  app.get<{ Params: CouncilP; Querystring: Static<typeof PageQuery> }>(
    '/orgs/:org/councils/:council/motions',
    {
      schema: {
        tags: ['councils'],
        summary: "A page of a council's past motions (decided, failed, withdrawn, lapsed), newest first",
        params: CouncilParams,
        querystring: PageQuery,
        response: { 200: PastMotions },
      },
    },
    async (request) => {
      const { org, council } = request.params;
      requireOrgMember(request, org);
      const { after, limit } = request.query;
      const cursor = await cursorAt(after, readPastMotionCursor);
      const q = await service.reads(org);
      if (!(await getCouncilName(q, org, council))) throw new ApiError('not_found', 'no such council');
      return listPastMotions(q, org, council, { after: cursor, limit: pageSize(limit) });
    },
  );

  // With ?q= the trustee and committee pickers' search within the council (docs/SCALE.md, "Searching for a member
  // or a council"): a base council's members by an index range of its own memberships; a higher council's deputies
  // (its seats, a handful) filtered here.
  app.get<{ Params: CouncilP; Querystring: Static<typeof CouncilMembersQuery> }>(
    '/orgs/:org/councils/:council/members',
    {
      schema: {
        tags: ['councils'],
        summary:
          "A page of a council's members (a higher council's: its deputies), in the order of their ids, or with ?q= those whose name starts with it (any case and accents) in the order of their names, the member whose id it is first",
        params: CouncilParams,
        querystring: CouncilMembersQuery,
        response: { 200: CouncilMembers },
      },
    },
    async (request) => {
      const { org, council } = request.params;
      requireOrgMember(request, org);
      const { q: text, after, limit } = request.query;
      const search = text === undefined ? undefined : { text, page: searchPage(text, after, limit) };
      const q = await service.reads(org);
      const [c] = await getCouncilNodes(q, org, [council], service.now());
      if (!c) throw new ApiError('not_found', 'no such council');
      if (c.kind === 'higher')
        return { members: search ? deputiesNamed(c, search.text) : deputiesAsMembers(c), next: null };
      if (search) return searchCouncilMembers(q, org, council, search.text, search.page);
      return getCouncilMembers(q, org, council, { after, limit });
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
      const { name, email } = request.body;
      const link = (token: string) => `${publicUrl}/invite/${token}`;
      // With an address (and a relay), the link is also sent there, in the inviter's language.
      const to = email === undefined ? undefined : normaliseEmail(email);
      const words = to === undefined ? undefined : await invitationWords(service, p, council);
      const r = await service.inviteInto(
        org,
        p.memberId,
        council,
        name,
        words && to
          ? (invitationId, token) =>
              invitationMessage(words.tr, org, invitationId, {
                ...words.names,
                to,
                name,
                days: invitationDays,
                link: link(token),
              })
          : undefined,
      );
      return reply.status(201).send({ ...r, link: link(r.token) });
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
        ...(b.emergency !== undefined ? { emergency: b.emergency } : {}),
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

/** The names an invitation e-mail shows (organisation, council, inviter) and the inviter's language. */
async function invitationWords(service: CouncilsService, p: Principal, councilId: string) {
  const state = await service.ledger(p.orgId).current();
  const kept = await findMemberLocale(service.db.kysely, p.orgId, p.memberId);
  return {
    tr: translator(isLocale(kept) ? kept : defaultLocale),
    names: {
      org: state.org?.name ?? p.orgId,
      council: state.councils.get(councilId)?.name ?? councilId,
      inviter: state.members.get(p.memberId)?.name ?? p.memberId,
    },
  };
}
