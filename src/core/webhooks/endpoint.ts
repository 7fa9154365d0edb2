// The content of the webhook acts (register_webhook, rotate_webhook_secret, remove_webhook), checked when they are
// requested and again when the last approval arrives (docs/NOTIFICATIONS.md "Registering an endpoint").
import { InvalidCommand, reject, type Rejection } from '../kernel/errors.ts';
import type { OrgState } from '../model.ts';
import { webhookEventTypes, type WebhookEndpoint, type WebhookEventType } from './types.ts';

/** Endpoints an organisation may have at once (removed ones do not count). */
export const maxWebhookEndpoints = 20;
const maxUrlLength = 2048;
const idPattern = /^[A-Za-z0-9_-]{1,64}$/;

export interface WebhookContent {
  content: Record<string, unknown>;
  /** The council whose members authorise it: the endpoint's council, or the root for the whole organisation. */
  subject: string;
}

function fieldOf(content: unknown, name: string): unknown {
  if (typeof content !== 'object' || content === null || Array.isArray(content))
    throw new InvalidCommand('not_an_object', 'content');
  return (content as Record<string, unknown>)[name];
}

function endpointIdOf(content: unknown): string {
  const v = fieldOf(content, 'endpointId');
  if (typeof v !== 'string' || !idPattern.test(v))
    throw new InvalidCommand('not_an_id', 'content.endpointId');
  return v;
}

/**
 * An endpoint's URL: http or https, a host, no user or password in it (the URL is in the record for every member
 * to read, so it must carry no credential; the signature is what authenticates a delivery). Whether its host is
 * a private address is the server's question (it resolves names; this layer does no I/O).
 */
export function checkWebhookUrl(v: unknown): string {
  const field = 'content.url';
  if (typeof v !== 'string' || v.length > maxUrlLength)
    throw new InvalidCommand('url_too_long', field, { max: maxUrlLength });
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new InvalidCommand('url_absolute', field);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidCommand('url_http', field);
  if (url.username !== '' || url.password !== '') throw new InvalidCommand('url_credentials', field);
  if (url.hash !== '') throw new InvalidCommand('url_fragment', field);
  return url.href;
}

function eventsOf(v: unknown): WebhookEventType[] {
  const field = 'content.events';
  const known = new Set<string>(webhookEventTypes);
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string' && known.has(x)))
    throw new InvalidCommand('event_types', field, { types: webhookEventTypes.join(', ') });
  if (new Set(v).size !== v.length) throw new InvalidCommand('event_type_twice', field);
  return v as WebhookEventType[];
}

/** An endpoint in force (registered, not removed). */
export function liveEndpoint(state: OrgState, id: string): WebhookEndpoint | undefined {
  const e = state.power.webhooks.get(id);
  return e && e.removedAt === null ? e : undefined;
}

export function checkRegisterWebhook(state: OrgState, content: unknown): WebhookContent | Rejection {
  const endpointId = endpointIdOf(content);
  const url = checkWebhookUrl(fieldOf(content, 'url'));
  const events = eventsOf(fieldOf(content, 'events'));
  const council = fieldOf(content, 'councilId') ?? null;
  if (council !== null && (typeof council !== 'string' || !idPattern.test(council)))
    throw new InvalidCommand('council_id_or_null', 'content.councilId');
  if (council !== null && !state.councils.has(council)) return reject('not_found', 'no_such_council');
  if (state.power.webhooks.has(endpointId)) return reject('already_exists', 'webhook_id_taken');
  const live = [...state.power.webhooks.values()].filter((e) => e.removedAt === null).length;
  if (live >= maxWebhookEndpoints)
    return reject('not_allowed', 'webhook_limit', { max: maxWebhookEndpoints });
  return {
    content: { endpointId, url, events, councilId: council },
    subject: council ?? state.org!.rootCouncilId,
  };
}

/** rotate_webhook_secret and remove_webhook: an endpoint in force, authorised by the council that registered it. */
export function checkEndpointAct(state: OrgState, content: unknown): WebhookContent | Rejection {
  const endpointId = endpointIdOf(content);
  const e = liveEndpoint(state, endpointId);
  if (!e) return reject('not_found', 'no_such_webhook');
  return { content: { endpointId }, subject: e.councilId ?? state.org!.rootCouncilId };
}
