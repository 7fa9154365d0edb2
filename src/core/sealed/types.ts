// The sealed records' part of the model: a record whose commitment is public at once and whose content is revealed
// later. Types only; src/core/model.ts joins them with the other features'.
import type { RevealPayload, SealedPayload } from '../../record/index.ts';

/**
 * Who keeps a sealed record's key (and content) until its reveal: the service (it sealed the content it was given,
 * and its scheduler reveals the record when due) or the sealer (their client made the commitment and publishes the
 * reveal itself; the scheduler has nothing to reveal). Absent in entries written before it was recorded
 * (2026-12-07): read as `service`, the only way the API sealed then.
 */
export type SealedKeyKeeper = 'service' | 'sealer';

export interface SealedPayloads {
  record_sealed: SealedPayload & { councilId: string; keyKeptBy?: SealedKeyKeeper };
  record_revealed: RevealPayload;
}

export type SealedCommand =
  | {
      type: 'seal_record';
      councilId: string;
      label: string;
      /** base64 of the 32-byte commitment (computed where the content and key are: the service or a client). */
      commitment: string;
      release: { at?: string; condition?: string };
      /** Who keeps the key until the reveal (absent: as before it was recorded, the service if it has it). */
      keyKeptBy?: SealedKeyKeeper;
    }
  | { type: 'reveal_record'; sealedSeq: number; key: string; content: string };

export interface SealedRecord {
  seq: number;
  councilId: string;
  label: string;
  commitment: string;
  release: { at?: string; condition?: string };
  sealedBy: string | null;
  sealedAt: string;
  /** Who keeps the key until the reveal (`service` for an entry that does not say). */
  keyKeptBy: SealedKeyKeeper;
  revealedAt: string | null;
  /** base64 of the content, once revealed. */
  content: string | null;
}
