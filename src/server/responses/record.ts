// Response schemas of the public record (src/server/routes/record.ts, cosignatures.ts, sealed.ts; docs/RECORD.md).
import { Type, type Static } from '@sinclair/typebox';
import { Count, Nullable, Obj, Time } from './common.ts';

/** A reply in text, not JSON: its media type and what it holds. */
export const TextBody = (mediaType: string, description: string) => ({
  description,
  content: { [mediaType]: { schema: Type.String() } },
});

export const KeyHistory = Obj({
  origin: Type.String(),
  keys: Type.Array(
    Obj({
      verifierKey: Type.String(),
      fromSize: Count,
      requestSeq: Type.Optional(Count),
      rotationSeq: Type.Optional(Count),
    }),
  ),
});
export type KeyHistory = Static<typeof KeyHistory>;

export const EntryProof = Obj({
  seq: Count,
  entry: Type.String({ description: "the entry's canonical JSON, exactly the leaf's bytes" }),
  leafHash: Type.String({ description: 'base64' }),
  size: Count,
  proof: Type.Array(Type.String(), { description: 'RFC 9162 inclusion proof, base64 hashes' }),
  checkpoint: Type.String({ description: 'the signed checkpoint of that size' }),
});
export type EntryProof = Static<typeof EntryProof>;

export const ConsistencyProof = Obj({
  from: Count,
  to: Count,
  proof: Type.Array(Type.String(), { description: 'RFC 9162 consistency proof, base64 hashes' }),
});
export type ConsistencyProof = Static<typeof ConsistencyProof>;

export const Cosigned = Obj({ size: Count, cosigned: Type.Array(Type.String()) });
export type Cosigned = Static<typeof Cosigned>;

export const WitnessPolicyReply = Obj({
  witnesses: Type.Array(Type.String(), { description: 'witness verifier keys (C2SP tlog-cosignature)' }),
  required: Count,
});
export type WitnessPolicyReply = Static<typeof WitnessPolicyReply>;

export const SealedRecord = Obj({
  seq: Count,
  councilId: Nullable(Type.String()),
  label: Nullable(Type.String()),
  commitment: Nullable(Type.String()),
  releaseAt: Nullable(Time),
  releaseCondition: Nullable(Type.String()),
  sealedBy: Nullable(Type.String()),
  sealedAt: Nullable(Time),
  revealedAt: Nullable(Time),
  content: Nullable(Type.String()),
});
export type SealedRecord = Static<typeof SealedRecord>;
export const SealedRecords = Obj({ sealed: Count, revealed: Count, records: Type.Array(SealedRecord) });
export const Sealed = Obj({ seq: Count });
