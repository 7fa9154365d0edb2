// Time-driven acts nobody has to remember: votes close when their time is up, unseconded motions lapse, petitions
// and privileged requests short of support expire, admissions fall due and terms expire. They are the organisation's own acts (actor null) and go through the same rules as everything else.
import {
  decryptionCallDue,
  decryptionFailure,
  dueAdmissions,
  dueExpiries,
  dueLapses,
  duePetitionMotions,
  dueTermEnds,
  dueVotes,
  type Command,
} from '../core/index.ts';
import { every } from './every.ts';
import type { CouncilsService } from './service.ts';
import { runDueSecretActs } from './secret-votes.ts';
import { revealDueRecords } from './sealed-records.ts';
import { sweepIdempotencyKeys } from './idempotency.ts';
import { sweepBuckets } from '../store/rate-buckets.ts';

/** Issues every organisation's checkpoint that is due (every N entries or T seconds). */
export async function issueDueCheckpoints(
  service: CouncilsService,
  force = false,
  orgIds?: readonly string[],
): Promise<number> {
  let issued = 0;
  let failed: unknown;
  // One organisation whose record cannot be signed does not stop the others' checkpoints.
  for (const orgId of orgIds ?? (await service.orgIds())) {
    try {
      if (await service.record.issue(orgId, force)) issued++;
    } catch (e) {
      failed ??= e;
    }
  }
  if (failed) throw failed;
  return issued;
}

export async function runDueActs(service: CouncilsService, orgIds?: readonly string[]): Promise<number> {
  const ids = orgIds ?? (await service.orgIds());
  let acts = await runDueSecretActs(service, ids);
  const now = service.now();
  let failed: unknown;
  // One organisation whose due act cannot be carried out does not stop the others' (as for checkpoints above).
  for (const orgId of ids) {
    try {
      acts += await dueActsOf(service, orgId, now);
    } catch (e) {
      failed ??= e;
    }
  }
  if (failed) throw failed;
  return acts;
}

/** One organisation's due acts (runDueActs): votes closed, decryption called or failed, lapses, petitioned votes,
 * petitions and requests expired, admissions, mandates expired. A step that fails (its transaction refused) does
 * not keep the steps after it from running: the first failure is thrown once all have been tried
 * (test/server/scheduler.test.ts, a database trigger refusing one step). */
async function dueActsOf(service: CouncilsService, orgId: string, now: string): Promise<number> {
  let acts = 0;
  let failed: unknown;
  const ledger = service.ledger(orgId);
  const state = await ledger.current();
  /** Runs one command of the organisation's own; counts its entries (`one`: counts 1 if it was accepted). */
  const run = async (command: Command, one = false): Promise<void> => {
    try {
      const r = await ledger.execute(command, null);
      if (r.ok) acts += one ? 1 : r.entries.length;
    } catch (e) {
      failed ??= e;
    }
  };
  // Each step reads the state's index of what is open by deadline (src/core/schedule): a pass with nothing due
  // costs the same in an organisation with a long history as in a new one (docs/SCALE.md "The scheduler's scans").
  const due = dueVotes(state, now);
  for (const v of due) {
    if (v.secret) continue; // a secret vote closes with its decrypted tally (below)
    await run({ type: 'close_vote', voteId: v.id }, true);
  }
  // Secret votes whose voting is over: the trustees are called to decrypt (the duty's entry), and one whose
  // deadline passed without k partial decryptions ends "not decrypted" (src/core/secret/decryption.ts).
  for (const v of due) {
    if (!v.secret) continue;
    if (decryptionCallDue(v, now)) await run({ type: 'call_for_decryption', voteId: v.id }, true);
    const late = decryptionFailure(v, now);
    if (late) await run({ type: 'abort_secret_vote', voteId: v.id, reason: late.reason }, true);
  }
  // Motions that waited for their seconders longer than the procedure allows lapse (docs/PROCEDURE.md).
  for (const motionId of dueLapses(state, now)) await run({ type: 'lapse_motion', motionId }, true);
  // Petitioned motions whose longest debate has passed: their votes open by themselves (docs/POWER.md).
  if (duePetitionMotions(state, now).length > 0) await run({ type: 'open_due_petition_votes' });
  // Petitions short of signatures at their deadline, requests short of approvals at theirs: their expiry is
  // recorded (at most expiriesPerDecision a pass), and those who made or backed them are told (docs/POWER.md
  // "Expiry").
  const expiring = dueExpiries(state, now);
  if (expiring.petitions.length + expiring.requests.length > 0)
    await run({ type: 'expire_petitions_and_requests' });
  // Admissions whose objection period has passed unopposed (docs/PROCEDURE.md "Admission").
  if (dueAdmissions(state, now).length > 0) await run({ type: 'admit_due_members' });
  if (dueTermEnds(state, now).length > 0) await run({ type: 'expire_mandates' });
  if (failed) throw failed;
  return acts;
}

export function startScheduler(
  service: CouncilsService,
  everyMs = 1_000,
  onError?: (e: unknown) => void,
): () => Promise<void> {
  let swept = 0;
  return every(
    everyMs,
    async () => {
      // One listing of the organisations per tick, shared by every step. With several processes on one
      // PostgreSQL database, each acts only for the organisations whose scheduler lease it holds (taking those
      // nobody holds: a process that died released its leases, src/store/leases.ts).
      const ids = await service.leases.leased(await service.orgIds());
      // An organisation whose record cannot be signed acts on nothing (its writes are refused), but its
      // checkpoint is still tried: a recorded key rotation is what lets it continue.
      const writable = [];
      for (const id of ids) if (!(await service.record.hold(id))) writable.push(id);
      await runDueActs(service, writable);
      await revealDueRecords(service, writable);
      await issueDueCheckpoints(service, false, ids);
      // Expired Idempotency-Keys and their answers go, once a minute (docs/OPERATIONS.md).
      const now = service.clock.now();
      if (now.getTime() - swept >= 60_000) {
        swept = now.getTime();
        await sweepIdempotencyKeys(service.db, now);
        // Shared rate-limit buckets untouched for a day are full again: forgotten (PostgreSQL only).
        if (service.db.dialect === 'postgres')
          await sweepBuckets(service.db.kysely, now.getTime() - 86_400_000);
      }
    },
    onError,
  );
}
