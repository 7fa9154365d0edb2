// Sealing and revealing records: the service keeps the content and key off the log (src/store/sealed-secrets.ts)
// and the scheduler reveals each record when it is due — on its date, or once `unseal_entry` is approved.
import { randomBytes } from 'node:crypto';
import { InvalidCommand } from '../core/index.ts';
import { dueSealedRecords, maxSealedContentBytes, setAsideSealedRecord } from '../core/sealed/records.ts';
import { seal } from '../record/index.ts';
import { dropSealedSecret, keepSealedSecret, sealedSecret } from '../store/sealed-secrets.ts';
import type { CouncilsService } from './service.ts';

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
    });
    return entries[0]!.seq;
  } catch (e) {
    await dropSealedSecret(db, orgId, sealed.commitment);
    throw e;
  }
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
    for (const seq of dueSealedRecords(state, now)) {
      const record = state.sealed.get(seq)!;
      const secret = await sealedSecret(service.db.kysely, orgId, record.commitment);
      // Deposited by a client that keeps its own key: it publishes the reveal itself. Set aside, so that the passes
      // after this one do not read it again (the key is never deposited later: the service keeps it before the
      // seal is written).
      if (!secret) {
        setAsideSealedRecord(state, seq);
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
