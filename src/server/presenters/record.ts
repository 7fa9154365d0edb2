// Presenters of the public record (see organisation.ts): the log's key history, an entry with its inclusion proof,
// a consistency proof, the witness policy and a cosignature added, in the shapes of src/server/responses/record.ts
// (docs/RECORD.md). Hashes go out in base64, as C2SP and RFC 9162's tools print them.
import { toBase64 } from '../../record/index.ts';
import type { recordKeyHistory } from '../../store/record-repository.ts';
import type {
  ConsistencyProof,
  Cosigned,
  EntryProof,
  KeyHistory,
  WitnessPolicyReply,
} from '../responses/record.ts';

export const presentKeyHistory = (
  origin: string,
  keys: Awaited<ReturnType<typeof recordKeyHistory>>,
): KeyHistory => ({ origin, keys });

/** An entry's canonical JSON (the leaf's bytes), its leaf hash (hex in the store) and its proof in a checkpoint. */
export function presentEntryProof(
  seq: number,
  entry: { body: string; leafHash: string },
  size: number,
  proof: readonly Uint8Array[],
  checkpoint: string,
): EntryProof {
  return {
    seq,
    entry: entry.body,
    leafHash: Buffer.from(entry.leafHash, 'hex').toString('base64'),
    size,
    proof: proof.map(toBase64),
    checkpoint,
  };
}

export const presentConsistencyProof = (
  from: number,
  to: number,
  proof: readonly Uint8Array[],
): ConsistencyProof => ({ from, to, proof: proof.map(toBase64) });

/** The listed witnesses and how many cosignatures a verifier should require (at most the number listed). */
export const presentWitnessPolicy = (witnesses: readonly string[], required: number): WitnessPolicyReply => ({
  witnesses: [...witnesses],
  required: Math.min(required, witnesses.length),
});

export const presentCosigned = (size: number, cosigned: string[]): Cosigned => ({ size, cosigned });
