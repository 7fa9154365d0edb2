// The pay decisions' part of the model: schemes adopted by councils and the commitments of workforce imports
// (docs/PAY.md "Decisions"). Types only; src/core/model.ts joins them with the other features'.
import type { MethodId } from '../../count/index.ts';
import type { MajorityChoice } from '../motions/types.ts';
import type { SecretRequest } from '../secret/types.ts';
import type { SchemeDocument } from './index.ts';

export interface PayPayloads {
  pay_scheme_adopted: {
    councilId: string;
    motionId: string;
    alternativeId: string;
    /** The council's revision number of its scheme: 1 for the first adopted, +1 for each change. */
    version: number;
    scheme: SchemeDocument;
  };
  workforce_imported: {
    councilId: string;
    /** SHA-256 (hex) of the imported CSV file's bytes; the rows themselves are in a private table. */
    sha256: string;
    workers: number;
  };
}

export type PayCommand =
  | {
      type: 'move_pay_motion';
      councilId: string;
      title: string;
      text: string;
      /** The proposed scheme document (docs/PAY.md "The scheme model"). */
      scheme: unknown;
      /** The alternative's title (default: the scheme's name). */
      schemeTitle?: string;
      majority?: MajorityChoice;
      method?: MethodId;
      maxScore?: number;
      draft?: boolean;
      secret?: SecretRequest;
    }
  | { type: 'record_workforce'; councilId: string; sha256: string; workers: number };

export interface AdoptedScheme {
  version: number;
  scheme: SchemeDocument;
  motionId: string;
  alternativeId: string;
  adoptedAt: string;
}

export interface WorkforceImport {
  seq: number;
  sha256: string;
  workers: number;
  importedBy: string | null;
  importedAt: string;
}

export interface CouncilPay {
  /** Oldest first; the last is the current scheme. */
  schemes: AdoptedScheme[];
  /** Oldest first; the last is the current workforce. */
  imports: WorkforceImport[];
}
