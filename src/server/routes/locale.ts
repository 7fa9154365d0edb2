// A member's language (docs/WEB.md "Languages"): chosen in the web app's switcher, kept for every device they sign
// in from and for the e-mail they are sent. GET /me says it (`locale`).
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { locales } from '../../i18n/index.ts';
import { saveMemberLocale } from '../../store/locale-repository.ts';
import { requirePrincipal } from '../auth.ts';
import { NoContent } from '../responses/common.ts';
import type { CouncilsService } from '../service.ts';

export const LocaleBody = Type.Object(
  { locale: Type.Union(locales.map((l) => Type.Literal(l))) },
  { additionalProperties: false },
);

export function localeRoutes(app: FastifyInstance, service: CouncilsService): void {
  app.put<{ Body: Static<typeof LocaleBody> }>(
    '/me/locale',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Choose the language the app and e-mail speak to me in',
        body: LocaleBody,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      const p = requirePrincipal(request);
      await saveMemberLocale(service.db.kysely, p.orgId, p.memberId, request.body.locale, service.now());
      return reply.status(204).send();
    },
  );
}
