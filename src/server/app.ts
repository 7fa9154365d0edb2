// The HTTP API: Fastify, JSON under /api/v1, every request validated by a schema, the OpenAPI 3.1 document
// generated from the same schemas. Routes are thin: parse → authorise → one service call → present.
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { authenticate } from './auth.ts';
import { idempotentWrites } from './idempotency.ts';
import { ApiError, errorHandler } from './errors.ts';
import { clientErrorHandler, frameworkErrors, parseQuery, strictInput } from './strict-input.ts';
import { ErrorReply } from './schemas.ts';
import { Health } from './responses/organisation.ts';
import type { CouncilsService } from './service.ts';
import { orgRoutes } from './routes/org.ts';
import { motionRoutes } from './routes/motions.ts';
import { localeRoutes } from './routes/locale.ts';
import { sessionRoutes } from './routes/session.ts';
import { accountRoutes } from './routes/account.ts';
import { Accounts, type AccountMail } from './accounts.ts';
import { queueMessage } from './mail/outbox.ts';
import { recordRoutes } from './routes/record.ts';
import { sealedRoutes } from './routes/sealed.ts';
import { cosignatureRoutes } from './routes/cosignatures.ts';
import { powerRoutes } from './routes/power.ts';
import { admissionRoutes } from './routes/admission.ts';
import { secretRoutes } from './routes/secret.ts';
import { DEFAULT_ANONYMOUS_RATE, type RateLimit } from './rate-limit.ts';
import type { TrustProxy } from './trust-proxy.ts';
import { payRoutes } from './routes/pay.ts';
import { attentionRoutes } from './routes/attention.ts';
import { mailSettingsRoutes, unsubscribeRoutes } from './routes/notifications.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { liveRoutes } from './routes/live.ts';
import { LiveHub, type LiveOptions } from './live/live-hub.ts';
import { sharedSerializers } from './shared-serializers.ts';

export interface AppOptions {
  service: CouncilsService;
  /** The address people reach the app at, for invitation links. */
  publicUrl: string;
  /** Mark cookies Secure (set when served over HTTPS). */
  secureCookies?: boolean;
  logger?: boolean;
  /**
   * Token bucket per client address on the anonymous secret-ballot writes (cast, challenge); default
   * DEFAULT_ANONYMOUS_RATE, false for none.
   */
  anonymousRate?: RateLimit | false;
  /**
   * The reverse proxies whose X-Forwarded-For gives the client's address (for that limit); default false: none,
   * the address is the socket's peer (trust-proxy.ts).
   */
  trustProxy?: TrustProxy;
  /** Where account e-mail (reset and confirmation links) goes; without it resets are issued by the council. */
  mail?: AccountMail;
  /** Extra plugins (the web app, the record routes) registered at the root. */
  extend?: (app: FastifyInstance) => Promise<void> | void;
  /**
   * Called with every API reply's payload before it is serialised (tests check it against the route's response
   * schema, test/support/response-check.ts).
   */
  inspectReply?: (request: FastifyRequest, reply: FastifyReply, payload: unknown) => void;
  /** Live pages' limits and timings (src/server/live/live-hub.ts; the defaults if not given). */
  live?: Partial<LiveOptions>;
}

/** Account e-mail through the service's outbox when a relay is configured (docs/NOTIFICATIONS.md); else none. */
function outboxMail(service: CouncilsService): AccountMail | undefined {
  const relay = service.mail;
  if (!relay) return undefined;
  return {
    enqueue: async (q, message) => {
      await queueMessage(relay, q, message, service.now());
    },
  };
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { service } = options;
  const app = Fastify({
    logger: options.logger ? { level: 'info' } : false,
    bodyLimit: 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    // No coercion: a body's "123" is not a number, nor its 123 a string. Query strings and paths are read by
    // strict-input.ts, which turns only their declared integers into numbers.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    // Path segments up to this long reach the schemas (400 naming the field); longer ones are 414.
    routerOptions: { querystringParser: parseQuery, maxParamLength: 1024 },
    frameworkErrors,
    clientErrorHandler,
    return503OnClosing: false,
    // the reply serializers compiled once per response schema in this process (shared-serializers.ts)
    schemaController: sharedSerializers,
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request) => {
    throw new ApiError('not_found', `no route ${request.method} ${request.url}`);
  });
  strictInput(app);
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Councils API',
        version: '1',
        description:
          'Self-government: nested councils, recallable deputies, motions and votes. Authenticate with the session ' +
          'cookie (writes need the x-csrf-token header) or a bearer API token.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'councils_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
  });
  app.addSchema(ErrorReply);
  app.decorateRequest('principal', null);
  // Live pages' streams end before the server closes, or closing would wait for them (docs/NOTIFICATIONS.md).
  const live = new LiveHub(service, options.live);
  app.addHook('preClose', async () => live.close());
  const accounts = new Accounts(service, {
    publicUrl: options.publicUrl,
    mail: options.mail ?? outboxMail(service),
  });

  await app.register(
    async (api) => {
      api.addHook('onRequest', authenticate(service));
      const inspect = options.inspectReply;
      if (inspect) {
        api.addHook('preSerialization', async (request, reply, payload) => {
          inspect(request, reply, payload);
          return payload;
        });
      }
      idempotentWrites(api, service.db, () => service.clock.now());
      api.addHook('onRoute', (route) => {
        route.schema ??= {};
        const s = route.schema as { response?: Record<string, unknown> };
        s.response ??= {};
        s.response['4xx'] ??= { $ref: 'Error#' };
      });
      api.get(
        '/health',
        {
          schema: {
            tags: ['meta'],
            summary: 'Liveness and the database in use',
            response: { 200: Health },
          },
        },
        async () => ({
          ok: true,
          database: service.db.dialect,
          ...(service.ballotQueue ? { ballotQueue: { ...service.ballotQueue.counts } } : {}),
          ...(service.readReplica ? { readReplica: { ...service.readReplica.counts } } : {}),
        }),
      );
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
      sessionRoutes(api, service, accounts, options.secureCookies ?? false);
      accountRoutes(api, accounts);
      localeRoutes(api, service);
      orgRoutes(api, service, options.publicUrl);
      motionRoutes(api, service);
      recordRoutes(api, service);
      sealedRoutes(api, service);
      cosignatureRoutes(api, service);
      powerRoutes(api, service, accounts);
      admissionRoutes(api, service);
      secretRoutes(api, service, options.anonymousRate ?? DEFAULT_ANONYMOUS_RATE);
      payRoutes(api, service);
      attentionRoutes(api, service);
      mailSettingsRoutes(api, service);
      webhookRoutes(api, service);
      liveRoutes(api, service, live);
      // Its own plugin: the form body of a one-click unsubscribe is parsed there only.
      await api.register(async (child) => unsubscribeRoutes(child, service));
    },
    { prefix: '/api/v1' },
  );
  await options.extend?.(app);
  return app;
}

export { ApiError };
