// Which entries make which webhook events, for which endpoints, with what body (docs/NOTIFICATIONS.md "Webhooks").
// The body carries the entry as the record shows it to every member of the organisation (GET …/record/entries/N)
// and nothing else: an endpoint learns nothing a member may not read. Secret ballots never appear: no event is
// made from a ballot, and a secret vote's entries hold only what its board publishes.
import type { Entry, OrgState } from '../model.ts';
import { webhookEventActs, type WebhookEndpoint, type WebhookEventType } from './types.ts';

const eventOfAct = new Map<string, WebhookEventType>(
  Object.entries(webhookEventActs).map(([type, act]) => [act, type as WebhookEventType]),
);

/** The acts that make a webhook event: the store writes deliveries only for these. */
export const webhookActs: ReadonlySet<string> = new Set(eventOfAct.keys());

export interface WebhookEvent {
  type: WebhookEventType;
  /** The council the entry concerns (for an endpoint of one council); null when it concerns no one council. */
  councilId: string | null;
}

const str = (p: Record<string, unknown>, k: string) => (typeof p[k] === 'string' ? (p[k] as string) : '');

/** The council an entry concerns, from its payload and the state after it. */
function councilOf(state: OrgState, entry: Entry): string | null {
  const p = entry.payload as unknown as Record<string, unknown>;
  if (typeof p.councilId === 'string') return p.councilId;
  if (p.motionId) return state.motions.get(str(p, 'motionId'))?.councilId ?? null;
  if (p.voteId) return state.votes.get(str(p, 'voteId'))?.councilId ?? null;
  if (p.mandateId) return state.mandates.get(str(p, 'mandateId'))?.councilId ?? null;
  if (p.petitionId) return state.power.petitions.get(str(p, 'petitionId'))?.councilId ?? null;
  if (p.requestId) return state.power.requests.get(str(p, 'requestId'))?.councilId ?? null;
  return null;
}

/** The event an entry makes, or null. A draft motion is not announced until it is put to debate. */
export function webhookEventOf(state: OrgState, entry: Entry): WebhookEvent | null {
  const type = eventOfAct.get(entry.act);
  if (!type) return null;
  if (entry.act === 'motion_moved' && (entry.payload as { draft?: boolean }).draft === true) return null;
  return { type, councilId: councilOf(state, entry) };
}

/** Whether `councilId` is `scope` or a council below it. */
function within(state: OrgState, councilId: string | null, scope: string): boolean {
  for (let c = councilId; c !== null; c = state.councils.get(c)?.parentId ?? null)
    if (c === scope) return true;
  return false;
}

/** The endpoints in force that asked for the event: of the whole organisation, or of its council or one above. */
export function endpointsFor(state: OrgState, event: WebhookEvent): WebhookEndpoint[] {
  return [...state.power.webhooks.values()].filter(
    (e) =>
      e.removedAt === null &&
      e.events.includes(event.type) &&
      (e.councilId === null || within(state, event.councilId, e.councilId)),
  );
}

/**
 * The JSON body of an event (Standard Webhooks' recommended shape: type, timestamp, data). `data` is the entry
 * itself — seq, act, actor, time and payload — with the organisation and the council it concerns.
 */
export function webhookBody(orgId: string, entry: Entry, event: WebhookEvent): string {
  return JSON.stringify({
    type: event.type,
    timestamp: entry.time,
    data: {
      organisation: orgId,
      council: event.councilId,
      seq: entry.seq,
      act: entry.act,
      actor: entry.actor,
      time: entry.time,
      payload: entry.payload,
    },
  });
}
