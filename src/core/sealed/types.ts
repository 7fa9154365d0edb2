// The sealed records' part of the model: a record whose commitment is public at once and whose content is revealed
// later. Types only; src/core/model.ts joins them with the other features'.
import type { RevealPayload, SealedPayload } from '../../record/index.ts';

export interface SealedPayloads {
  record_sealed: SealedPayload & { councilId: string };
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
  revealedAt: string | null;
  /** base64 of the content, once revealed. */
  content: string | null;
}
