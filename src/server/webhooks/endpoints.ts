// Webhook endpoints as the API offers them (docs/NOTIFICATIONS.md "Webhooks"). Registering, rotating a secret and
// removing are privileged acts, requested here and approved like any other (POST …/requests/:id/approvals): a
// registration or rotation makes its secret now, keeps it in the request's own transaction, and shows it to the
// requester this once. Reading an endpoint's deliveries, replaying one, and disabling or enabling it are for the
// members who may approve its acts (they decide where it goes; the log may hold what a receiver answered).
import type { Static } from '@sinclair/typebox';
import {
  liveEndpoint,
  powerRules,
  requestApprovers,
  webhookEventTypes,
  type OrgState,
  type WebhookEndpoint,
} from '../../core/index.ts';
import { newRandomId } from '../../store/ledger.ts';
import {
  attemptsOf,
  findWebhookDelivery,
  insertWebhookSecret,
  listWebhookDeliveries,
  setWebhookStatus,
  webhookStatuses,
} from '../../store/webhook-repository.ts';
import { ApiError, invalidRequest } from '../errors.ts';
import { presentWritten } from '../presenters/organisation.ts';
import type {
  WebhookDeliveries,
  WebhookDeliveryDetail,
  WebhookEndpoints as EndpointList,
  WebhookReplayed,
  WebhookRequested,
} from '../responses/webhooks.ts';
import type { CouncilsService, Principal } from '../service.ts';
import { makeAttempts } from './sender.ts';
import { newWebhookSecret } from './signing.ts';
import { checkTarget } from './target.ts';

/** Members who may manage an endpoint: those who may approve its acts now. */
export function mayManage(state: OrgState, e: WebhookEndpoint, memberId: string, now: string): boolean {
  const council = e.councilId ?? state.org!.rootCouncilId;
  const authority = powerRules(state).acts.register_webhook;
  const approvers = requestApprovers(
    state,
    authority,
    authority.council === 'root' ? state.org!.rootCouncilId : council,
    [],
    now,
  );
  return approvers.includes(memberId);
}

export class WebhookService {
  constructor(private readonly service: CouncilsService) {}

  private get q() {
    return this.service.db.kysely;
  }

  async list(p: Principal): Promise<Static<typeof EndpointList>> {
    const state = await this.service.ledger(p.orgId).current();
    const health = await webhookStatuses(this.q, p.orgId);
    const now = this.service.now();
    return {
      endpoints: [...state.power.webhooks.values()]
        .filter((e) => e.removedAt === null)
        .map((e) => {
          const h = health.get(e.id);
          return {
            id: e.id,
            url: e.url,
            events: e.events,
            councilId: e.councilId,
            requestId: e.requestId,
            registeredAt: e.registeredAt,
            rotatedAt: e.rotatedAt,
            mayManage: mayManage(state, e, p.memberId, now),
            disabledAt: h?.disabled_at ?? null,
            disabledReason: h?.disabled_reason ?? null,
            lastSuccessAt: h?.last_success_at ?? null,
          };
        }),
      eventTypes: webhookEventTypes,
      allowPrivateTargets: this.service.webhooks.allowPrivate,
    };
  }

  /** Asks for a new endpoint; the secret made for it is returned this once. */
  async requestRegistration(
    p: Principal,
    input: { url: string; events: string[]; councilId?: string | null },
  ): Promise<Static<typeof WebhookRequested>> {
    try {
      await checkTarget(input.url, this.service.webhooks.allowPrivate);
    } catch (e) {
      if (e instanceof TypeError) throw invalidRequest('url_absolute', 'url');
      throw new ApiError('webhook_target_refused', (e as Error).message, 'url');
    }
    const endpointId = newRandomId('webhook');
    const content = { endpointId, url: input.url, events: input.events, councilId: input.councilId ?? null };
    return this.requestWithSecret(p, 'register_webhook', content, endpointId);
  }

  /** Asks for a new secret for an endpoint; it signs once the request is approved, returned this once. */
  async requestRotation(p: Principal, endpointId: string): Promise<Static<typeof WebhookRequested>> {
    return this.requestWithSecret(p, 'rotate_webhook_secret', { endpointId }, endpointId);
  }

  async requestRemoval(p: Principal, endpointId: string): Promise<Static<typeof WebhookRequested>> {
    const entries = await this.service.run(p.orgId, p.memberId, {
      type: 'request_act',
      kind: 'remove_webhook',
      content: { endpointId },
    });
    return { requestId: requestIdOf(entries), endpointId, secret: null, ...presentWritten(entries) };
  }

  private async requestWithSecret(
    p: Principal,
    kind: 'register_webhook' | 'rotate_webhook_secret',
    content: Record<string, unknown>,
    endpointId: string,
  ): Promise<Static<typeof WebhookRequested>> {
    const secret = newWebhookSecret();
    const entries = await this.service.run(
      p.orgId,
      p.memberId,
      { type: 'request_act', kind, content },
      {
        write: async (trx, written) => {
          await insertWebhookSecret(trx, {
            orgId: p.orgId,
            requestId: requestIdOf(written),
            endpointId,
            secret,
            createdAt: this.service.now(),
          });
        },
      },
    );
    return { requestId: requestIdOf(entries), endpointId, secret, ...presentWritten(entries) };
  }

  /** The endpoint, if the member may manage it (else not_found or forbidden). */
  private async managed(p: Principal, endpointId: string): Promise<WebhookEndpoint> {
    const state = await this.service.ledger(p.orgId).current();
    const e = liveEndpoint(state, endpointId);
    if (!e) throw new ApiError('not_found', 'no such webhook endpoint');
    if (!mayManage(state, e, p.memberId, this.service.now()))
      throw new ApiError('forbidden', "only those who may approve this endpoint's acts may manage it");
    return e;
  }

  async deliveries(
    p: Principal,
    endpointId: string,
    before: number | undefined,
    limit: number,
  ): Promise<Static<typeof WebhookDeliveries>> {
    await this.managed(p, endpointId);
    const rows = await listWebhookDeliveries(this.q, p.orgId, endpointId, before, limit + 1);
    const page = rows.slice(0, limit);
    return {
      deliveries: page.map(summaryOf),
      next: rows.length > limit ? String(page.at(-1)!.seq) : null,
    };
  }

  async delivery(
    p: Principal,
    endpointId: string,
    id: string,
  ): Promise<Static<typeof WebhookDeliveryDetail>> {
    await this.managed(p, endpointId);
    const d = await findWebhookDelivery(this.q, p.orgId, id);
    if (!d || d.endpoint_id !== endpointId) throw new ApiError('not_found', 'no such delivery');
    const attempts = await attemptsOf(this.q, id);
    return {
      ...summaryOf(d),
      body: d.body,
      attemptLog: attempts.map((a) => ({
        attempt: Number(a.attempt),
        startedAt: a.started_at,
        status: a.status === null ? null : Number(a.status),
        error: a.error,
        durationMs: Number(a.duration_ms),
        replayedBy: a.replayed_by,
      })),
    };
  }

  /** Sends a delivery again now (same webhook-id and body, a new timestamp and signature); the answer is returned. */
  async replay(p: Principal, endpointId: string, id: string): Promise<Static<typeof WebhookReplayed>> {
    await this.managed(p, endpointId);
    const d = await findWebhookDelivery(this.q, p.orgId, id);
    if (!d || d.endpoint_id !== endpointId) throw new ApiError('not_found', 'no such delivery');
    const [r] = await makeAttempts(this.service, [{ d, attempt: 0, replayedBy: p.memberId }]);
    if (!r) throw new ApiError('not_found', 'no such webhook endpoint');
    return { delivered: r.delivered, status: r.status, error: r.error };
  }

  /** Disables or enables an endpoint (enabling one disabled as failing sends what waited meanwhile). */
  async setEnabled(p: Principal, endpointId: string, enabled: boolean): Promise<void> {
    await this.managed(p, endpointId);
    await setWebhookStatus(
      this.q,
      p.orgId,
      endpointId,
      enabled
        ? { disabled_at: null, disabled_reason: null, changed_by: p.memberId }
        : { disabled_at: this.service.now(), disabled_reason: 'manual', changed_by: p.memberId },
    );
  }
}

function requestIdOf(entries: readonly { act: string; payload: unknown }[]): string {
  const e = entries.find((x) => x.act === 'privileged_act_requested');
  return (e!.payload as { requestId: string }).requestId;
}

function summaryOf(d: {
  id: string;
  seq: number;
  event_type: string;
  created_at: string;
  attempts: number;
  next_attempt_at: string;
  delivered_at: string | null;
  failed_at: string | null;
  last_status: number | null;
  last_error: string | null;
}) {
  const settled = d.delivered_at !== null || d.failed_at !== null;
  return {
    id: d.id,
    seq: Number(d.seq),
    eventType: d.event_type,
    createdAt: d.created_at,
    attempts: Number(d.attempts),
    nextAttemptAt: settled ? null : d.next_attempt_at,
    deliveredAt: d.delivered_at,
    failedAt: d.failed_at,
    lastStatus: d.last_status === null ? null : Number(d.last_status),
    lastError: d.last_error,
  };
}
