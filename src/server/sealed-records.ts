// Sealing and revealing records: the service keeps the content and key off the log (src/store/sealed-secrets.ts)
// and the scheduler reveals each record when it is due — on its date, or once `unseal_entry` is approved. A record
// whose sealer keeps the key (`keyKeptBy: 'sealer'` in its entry) is not the scheduler's: the state's index of due
// records never holds it (docs/SCALE.md "The scheduler's scans").
import { randomBytes } from 'node:crypto';
import { InvalidCommand } from '../core/index.ts';
import { dueSealedRecords, maxSealedContentBytes } from '../core/sealed/records.ts';
import { seal } from '../record/index.ts';
import { dropSealedSecret, keepSealedSecret, sealedSecret } from '../store/sealed-secrets.ts';
import type { CouncilsService } from './service.ts';
import { perService } from './per-service.ts';

const utf8 = new TextEncoder();

export async function sealRecord(
  service: CouncilsService,
  orgId: string,
  actor: string,
  input: { councilId: string; label: string; content: string; releaseAt?: string; releaseCondition?: string },
): Promise<number> {
  const release = {
    ...(input.releaseAt !== undefined ? { at: input.releaseAt } : {}),
    ...(input.releaseCondition !== undefined ? { condition: input.releaseCondition } : {}),
  };
  if (release.at === undefined && release.condition === undefined) {
    throw new InvalidCommand('release_date_or_condition', 'releaseAt');
  }
  const content = utf8.encode(input.content);
  if (content.length > maxSealedContentBytes) {
    throw new InvalidCommand('sealed_too_large', 'content', {
      bytes: content.length,
      max: maxSealedContentBytes,
    });
  }
  const { sealed, key } = seal(content, input.label.trim(), release, (n) => new Uint8Array(randomBytes(n)));
  const db = service.db.kysely;
  await keepSealedSecret(
    db,
    orgId,
    sealed.commitment,
    Buffer.from(key).toString('base64'),
    Buffer.from(content).toString('base64'),
  );
  try {
    const entries = await service.run(orgId, actor, {
      type: 'seal_record',
      councilId: input.councilId,
      label: input.label,
      commitment: sealed.commitment,
      release,
      keyKeptBy: 'service',
    });
    return entries[0]!.seq;
  } catch (e) {
    await dropSealedSecret(db, orgId, sealed.commitment);
    throw e;
  }
}

/**
 * Due records of entries that do not say who keeps the key (written before `keyKeptBy`, read as the service's) whose
 * key the service was found not to hold, by organisation, one set a service: not asked for again by later passes
 * (the key is never deposited later: the service keeps it before the seal is written). The process's knowledge, not
 * the state's: a restart asks once more. Records sealed since say who keeps the key and never come here.
 */
const keyless = perService(() => new Map<string, Set<number>>());

function keylessOf(service: CouncilsService, orgId: string): Set<number> {
  const orgs = keyless(service);
  let seqs = orgs.get(orgId);
  if (!seqs) orgs.set(orgId, (seqs = new Set()));
  return seqs;
}

/** Reveals every record that is due, in every organisation. Returns how many were revealed. */
export async function revealDueRecords(
  service: CouncilsService,
  orgIds?: readonly string[],
): Promise<number> {
  let revealed = 0;
  const now = service.now();
  for (const orgId of orgIds ?? (await service.orgIds())) {
    const ledger = service.ledger(orgId);
    const state = await ledger.current();
    const due = dueSealedRecords(state, now);
    if (due.length === 0) continue;
    const skipped = keylessOf(service, orgId);
    for (const seq of due) {
      if (skipped.has(seq)) continue;
      const record = state.sealed.get(seq)!;
      const secret = await sealedSecret(service.db.kysely, orgId, record.commitment);
      // An older entry's record whose key a client kept (it publishes the reveal itself).
      if (!secret) {
        skipped.add(seq);
        continue;
      }
      const r = await ledger.execute(
        { type: 'reveal_record', sealedSeq: seq, key: secret.key, content: secret.content },
        null,
      );
      if (r.ok) {
        await dropSealedSecret(service.db.kysely, orgId, record.commitment);
        revealed++;
      }
    }
  }
  return revealed;
}
