// E-mail settings and one-click unsubscribe (docs/NOTIFICATIONS.md). A member reads and changes their own settings;
// the unsubscribe URL of a message (RFC 8058) works without signing in: its signed token names the member.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireOrgMember } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { OrgParams } from '../schemas.ts';
import type { CouncilsService } from '../service.ts';
import { MailSettings } from '../responses/attention.ts';
import { Obj } from '../responses/common.ts';
import { addressesOf } from '../../store/mail-repository.ts';
import {
  choosePreferences,
  deliveries,
  mailKinds,
  preferencesOf,
  type MailKind,
} from '../mail/preferences.ts';
import { readUnsubscribeToken } from '../mail/unsubscribe.ts';
import { escapeHtml } from '../mail/messages.ts';

const DeliveryChoice = Type.Union(deliveries.map((d) => Type.Literal(d)));
const SettingsBody = Type.Object(
  {
    deliveries: Type.Object(Object.fromEntries(mailKinds.map((k) => [k, Type.Optional(DeliveryChoice)])), {
      additionalProperties: false,
      minProperties: 1,
    }),
  },
  { additionalProperties: false },
);

const TokenParams = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 1000, pattern: '^[A-Za-z0-9_.-]+$' }),
});
const Unsubscribed = Obj({ unsubscribed: Type.Array(Type.String()) });

async function settingsOf(
  service: CouncilsService,
  orgId: string,
  memberId: string,
): Promise<Static<typeof MailSettings>> {
  const address = (await addressesOf(service.db.kysely, orgId, [memberId])).get(memberId) ?? null;
  return {
    enabled: service.mail !== null,
    address,
    deliveries: await preferencesOf(service.db.kysely, orgId, memberId),
  };
}

export function mailSettingsRoutes(app: FastifyInstance, service: CouncilsService): void {
  app.get<{ Params: Static<typeof OrgParams> }>(
    '/orgs/:org/mail-settings',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Your e-mail settings: whether this server sends e-mail, and when you receive each kind',
        params: OrgParams,
        response: { 200: MailSettings },
      },
    },
    async (request) => {
      const p = requireOrgMember(request, request.params.org);
      return settingsOf(service, p.orgId, p.memberId);
    },
  );

  app.put<{ Params: Static<typeof OrgParams>; Body: Static<typeof SettingsBody> }>(
    '/orgs/:org/mail-settings',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Choose, per kind, immediately, digest or never (kinds not named keep their setting)',
        params: OrgParams,
        body: SettingsBody,
        response: { 200: MailSettings },
      },
    },
    async (request) => {
      const p = requireOrgMember(request, request.params.org);
      await choosePreferences(
        service.db.kysely,
        p.orgId,
        p.memberId,
        request.body.deliveries as Partial<Record<MailKind, (typeof deliveries)[number]>>,
      );
      return settingsOf(service, p.orgId, p.memberId);
    },
  );
}

/** The token is the authority: nobody need be signed in (the page's button posts without the session cookie). */
export function unsubscribeRoutes(app: FastifyInstance, service: CouncilsService): void {
  // RFC 8058 §3.1: the receiver POSTs "List-Unsubscribe=One-Click" as a form; its body says nothing more.
  app.addContentTypeParser(
    ['application/x-www-form-urlencoded', 'multipart/form-data'],
    { parseAs: 'string' },
    (_r, body, done) => done(null, body),
  );

  app.post<{ Params: Static<typeof TokenParams> }>(
    '/unsubscribe/:token',
    {
      schema: {
        tags: ['notifications'],
        summary: 'One-click unsubscribe (RFC 8058): stops the kind of e-mail the signed token names',
        security: [],
        params: TokenParams,
        response: { 200: Unsubscribed },
      },
    },
    async (request) => {
      const target = await readUnsubscribeToken(service.db, request.params.token);
      if (!target) throw new ApiError('not_found', 'this unsubscribe link is not valid');
      const current = await preferencesOf(service.db.kysely, target.orgId, target.memberId);
      const kinds =
        target.kind === 'digest'
          ? mailKinds.filter((k) => current[k] === 'digest')
          : mailKinds.filter((k) => k === target.kind);
      await choosePreferences(
        service.db.kysely,
        target.orgId,
        target.memberId,
        Object.fromEntries(kinds.map((k) => [k, 'never'])),
      );
      return { unsubscribed: kinds };
    },
  );

  // A person following the link in a message's text gets a button (a GET must not unsubscribe: mail scanners
  // follow links).
  app.get<{ Params: Static<typeof TokenParams> }>(
    '/unsubscribe/:token',
    { schema: { hide: true, params: TokenParams } },
    async (request, reply) => {
      const action = escapeHtml(`${request.params.token}`);
      return reply
        .type('text/html; charset=utf-8')
        .send(
          `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Unsubscribe</title></head><body>` +
            `<p><button type="button" id="go">Unsubscribe from these e-mails</button></p><p id="done" role="status"></p>` +
            `<script>document.getElementById('go').onclick=function(){fetch(${JSON.stringify(action)},` +
            `{method:'POST',credentials:'omit',headers:{'content-type':'application/x-www-form-urlencoded'},` +
            `body:'List-Unsubscribe=One-Click'}).then(function(r){document.getElementById('done').textContent=` +
            `r.ok?'Done: you will not receive these e-mails any more.':'This link is not valid.';});};</script>` +
            `</body></html>`,
        );
    },
  );
}
