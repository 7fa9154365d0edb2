// Pay and pensions over HTTP (docs/PAY.md "Over the API"): a council's scheme and history, proposing a change
// (a pay motion), the projected effect of a pay motion, workforce import (text/csv), and the payroll of a period.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Entry } from '../../core/index.ts';
import type { MethodId } from '../../count/index.ts';
import { requireOrgMember } from '../auth.ts';
import { invalidRequest } from '../errors.ts';
import { importWorkforce, payEffect, payOverview, payrollRun, type CsvFile } from '../pay.ts';
import { presentPayMotionMoved } from '../presenters/pay.ts';
import { CouncilParams, MotionParams, Text, Title } from '../schemas.ts';
import type { CouncilsService } from '../service.ts';
import {
  JsonOrCsv,
  PayEffect,
  PayMotionMoved,
  PayOverview,
  Payroll,
  WorkforceImported,
} from '../responses/pay.ts';

export const PayMotionBody = Type.Object(
  {
    title: Title,
    text: Text,
    scheme: Type.Object({}, { additionalProperties: true, description: 'the proposed scheme (docs/PAY.md)' }),
    schemeTitle: Type.Optional(Title),
    majority: Type.Optional(
      Type.Union([Type.Literal('ordinary'), Type.Literal('absolute'), Type.Literal('supermajority')]),
    ),
    method: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'a counting method id' })),
    draft: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const Period = Type.String({ minLength: 1, maxLength: 32, description: 'the pay period, e.g. 2026-11' });
const Format = Type.Union([Type.Literal('json'), Type.Literal('csv')]);

export const PayrollQuery = Type.Object(
  {
    period: Type.Optional(Period),
    format: Type.Optional(Format),
    part: Type.Optional(Type.Union([Type.Literal('payslips'), Type.Literal('report')])),
    after: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description:
          "JSON: the payslips after this cursor (a page's payslipsNext: the workforce file and its last worker; refused 409 wrong_state once the workforce is imported again); individuals only",
      }),
    ),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 500,
        description: 'JSON: payslips a page, at most 500; 100 if not given',
      }),
    ),
  },
  { additionalProperties: false },
);

export const EffectQuery = Type.Object(
  {
    period: Type.Optional(Period),
    format: Type.Optional(Format),
    alternative: Type.Optional(Type.String({ minLength: 1, maxLength: 16 })),
    biggest: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  },
  { additionalProperties: false },
);

/** Workforce files may be larger than the API's 1 MiB default: about 1.5 million workers fit in 64 MiB. */
const workforceLimit = 64 * 1024 * 1024;

function send(reply: FastifyReply, r: { type: 'json'; body: PayEffect | Payroll } | CsvFile) {
  if (r.type === 'json') return reply.send(r.body);
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${r.name}"`)
    .send(r.body);
}

export function payRoutes(app: FastifyInstance, service: CouncilsService): void {
  // A file in UTF-8: bytes that are not are refused, never read as U+FFFD (docs/API.md).
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  // No bodyLimit here: a parser's limit would be every route's that sets none, so an anonymous POST of any route sent
  // as text/csv was read up to 64 MiB before its schema refused it (review finding); the workforce route sets its own.
  app.addContentTypeParser('text/csv', { parseAs: 'buffer' }, (_req, body, done) => {
    try {
      done(null, utf8.decode(body as Buffer));
    } catch {
      done(invalidRequest('file_not_utf8', 'body'), undefined);
    }
  });

  app.get<{ Params: Static<typeof CouncilParams> }>(
    '/orgs/:org/councils/:council/pay',
    {
      schema: {
        tags: ['pay'],
        summary: "A council's pay: the current scheme, every adopted version, workforce imports, pay motions",
        params: CouncilParams,
        response: { 200: PayOverview },
      },
    },
    async (request) => {
      const { org, council } = request.params;
      requireOrgMember(request, org);
      return payOverview(service, org, council);
    },
  );

  app.post<{ Params: Static<typeof CouncilParams>; Body: Static<typeof PayMotionBody> }>(
    '/orgs/:org/councils/:council/pay/motions',
    {
      schema: {
        tags: ['pay'],
        summary: 'Propose a new pay scheme: moves a pay motion against the current scheme',
        params: CouncilParams,
        body: PayMotionBody,
        response: { 201: PayMotionMoved },
      },
    },
    async (request, reply) => {
      const { org, council } = request.params;
      const p = requireOrgMember(request, org);
      const b = request.body;
      const entries: Entry[] = await service.run(org, p.memberId, {
        type: 'move_pay_motion',
        councilId: council,
        title: b.title,
        text: b.text,
        scheme: b.scheme,
        ...(b.schemeTitle !== undefined ? { schemeTitle: b.schemeTitle } : {}),
        ...(b.majority ? { majority: b.majority } : {}),
        ...(b.method !== undefined ? { method: b.method as MethodId } : {}),
        ...(b.draft !== undefined ? { draft: b.draft } : {}),
      });
      return reply.status(201).send(presentPayMotionMoved(entries));
    },
  );

  app.get<{ Params: Static<typeof MotionParams>; Querystring: Static<typeof EffectQuery> }>(
    '/orgs/:org/motions/:motion/pay-effect',
    {
      schema: {
        tags: ['pay'],
        summary:
          "The projected effect of a pay motion's alternatives against the current scheme on the council's workforce",
        params: MotionParams,
        querystring: EffectQuery,
        response: { 200: JsonOrCsv(PayEffect) },
      },
    },
    async (request, reply) => {
      const { org, motion } = request.params;
      requireOrgMember(request, org);
      return send(reply, await payEffect(service, org, motion, request.query));
    },
  );

  app.post<{ Params: Static<typeof CouncilParams>; Body: string }>(
    '/orgs/:org/councils/:council/pay/workforce',
    {
      bodyLimit: workforceLimit,
      // the member is checked before a body of up to workforceLimit is read, not after (an outsider's or an
      // anonymous upload held the server reading 64 MiB before its 401/403)
      onRequest: async (request) => {
        requireOrgMember(request, request.params.org);
      },
      schema: {
        tags: ['pay'],
        summary:
          'Import the workforce (text/csv: id, grade, hours, output): kept private, its SHA-256 goes into the log',
        params: CouncilParams,
        consumes: ['text/csv'],
        body: Type.String({ minLength: 1 }),
        response: { 201: WorkforceImported },
      },
    },
    async (request, reply) => {
      const { org, council } = request.params;
      const p = requireOrgMember(request, org);
      return reply.status(201).send(await importWorkforce(service, org, p.memberId, council, request.body));
    },
  );

  app.get<{ Params: Static<typeof CouncilParams>; Querystring: Static<typeof PayrollQuery> }>(
    '/orgs/:org/councils/:council/pay/payroll',
    {
      schema: {
        tags: ['pay'],
        summary:
          'Run the payroll of a period: the inequality report (whole), and when the constitution shows individuals a page of the payslips (?after=payslipsNext&limit=; every payslip until 2026-12-07; the CSV is every one)',
        params: CouncilParams,
        querystring: PayrollQuery,
        response: { 200: JsonOrCsv(Payroll) },
      },
    },
    async (request, reply) => {
      const { org, council } = request.params;
      requireOrgMember(request, org);
      return send(reply, await payrollRun(service, org, council, request.query));
    },
  );
}
