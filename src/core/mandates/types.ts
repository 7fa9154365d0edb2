// The mandates' part of the model: a deputy's seat in a parent council, from election to its end. Types only;
// src/core/model.ts joins them with the other features'.
export type MandateEnd = 'recalled' | 'resigned' | 'expired';

export interface Mandate {
  id: string;
  memberId: string;
  councilId: string;
  fromCouncilId: string;
  startedAt: string;
  termEnds: string;
  motionId: string | null;
  endedAt: string | null;
  endReason: MandateEnd | null;
}

export interface MandatePayloads {
  mandate_started: {
    mandateId: string;
    memberId: string;
    councilId: string;
    fromCouncilId: string;
    termEnds: string;
    motionId: string | null;
  };
  mandate_ended: { mandateId: string; reason: MandateEnd; motionId: string | null };
}

export type MandateCommand = { type: 'resign_mandate'; mandateId: string } | { type: 'expire_mandates' };
