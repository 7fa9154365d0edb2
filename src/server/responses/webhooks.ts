// Response schemas of webhooks (docs/API.md "Webhooks").
import { Type, type Static } from '@sinclair/typebox';
import { Count, Nullable, Obj, Time, Written } from './common.ts';

export const WebhookEndpoint = Obj({
  id: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  councilId: Nullable(Type.String()),
  requestId: Type.String(),
  registeredAt: Time,
  rotatedAt: Nullable(Time),
  /** Whether the current member may read its deliveries, replay them, disable and enable it. */
  mayManage: Type.Boolean(),
  disabledAt: Nullable(Time),
  disabledReason: Nullable(
    Type.String({ description: 'failing, gone (the receiver answered 410), or manual' }),
  ),
  lastSuccessAt: Nullable(Time),
});

export const WebhookEndpoints = Obj({
  endpoints: Type.Array(WebhookEndpoint),
  eventTypes: Type.Array(Type.String()),
  allowPrivateTargets: Type.Boolean(),
});

export const WebhookRequested = Obj({
  requestId: Type.String(),
  endpointId: Type.String(),
  secret: Nullable(
    Type.String({
      description: 'whsec_…: shown this once; it signs deliveries once the request is approved',
    }),
  ),
  ...Written.properties,
});

export const WebhookDeliverySummary = Obj({
  id: Type.String({ description: 'the webhook-id, the same on every attempt and replay' }),
  seq: Count,
  eventType: Type.String(),
  createdAt: Time,
  attempts: Count,
  nextAttemptAt: Nullable(Time),
  deliveredAt: Nullable(Time),
  failedAt: Nullable(Time),
  lastStatus: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
});

export const WebhookDeliveries = Obj({
  deliveries: Type.Array(WebhookDeliverySummary),
  next: Nullable(Type.String({ description: 'the cursor of the next page (?after=), or null on the last' })),
});

export const WebhookAttempt = Obj({
  attempt: Count,
  startedAt: Time,
  status: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  durationMs: Count,
  replayedBy: Nullable(Type.String()),
});

export const WebhookDeliveryDetail = Obj({
  ...WebhookDeliverySummary.properties,
  body: Type.String({ description: 'the JSON body sent, exactly' }),
  attemptLog: Type.Array(WebhookAttempt),
});

export const WebhookReplayed = Obj({
  delivered: Type.Boolean(),
  status: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
});

export type WebhookEndpointT = Static<typeof WebhookEndpoint>;
export type WebhookEndpointsT = Static<typeof WebhookEndpoints>;
export type WebhookRequestedT = Static<typeof WebhookRequested>;
export type WebhookDeliveriesT = Static<typeof WebhookDeliveries>;
