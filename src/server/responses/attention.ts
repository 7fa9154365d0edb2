// Response schemas of the attention inbox (docs/NOTIFICATIONS.md). TypeBox only (see common.ts).
import { Type, type Static } from '@sinclair/typebox';
import { Count, Nullable, Obj, Time } from './common.ts';

export const AttentionKind = Type.Union(
  [
    Type.Literal('vote_open'),
    Type.Literal('motion_debate'),
    Type.Literal('petition'),
    Type.Literal('recall_petition'),
    Type.Literal('recall_motion'),
    Type.Literal('approval'),
    Type.Literal('trustee_keys'),
    Type.Literal('trustee_decryption'),
    Type.Literal('sealed_released'),
    Type.Literal('vote_result'),
  ],
  { description: 'what the item is about (docs/NOTIFICATIONS.md "Events")' },
);

export const AttentionItem = Obj({
  id: Type.String({ description: 'stable: the kind and what it is about' }),
  kind: AttentionKind,
  at: Time,
  councilId: Type.String(),
  title: Type.String(),
  motionId: Nullable(Type.String()),
  voteId: Nullable(Type.String()),
  petitionId: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
  sealedSeq: Nullable(Count),
  closesAt: Nullable(Time),
  signatures: Nullable(Count),
  required: Nullable(Count),
  outcome: Nullable(Type.String()),
  read: Type.Boolean(),
});
export type AttentionItem = Static<typeof AttentionItem>;

export const Attention = Obj(
  { items: Type.Array(AttentionItem), unread: Count },
  { description: "the member's inbox, newest first, and how many of its items are unread" },
);
export type Attention = Static<typeof Attention>;

export const AttentionCount = Obj({ unread: Count });
export type AttentionCount = Static<typeof AttentionCount>;

export const Delivery = Type.Union(
  [Type.Literal('immediately'), Type.Literal('digest'), Type.Literal('never')],
  { description: 'when e-mail of this kind is sent: at once, in the daily digest, or never' },
);

const kinds = [
  'vote_open',
  'motion_debate',
  'petition',
  'recall_petition',
  'recall_motion',
  'approval',
  'trustee_keys',
  'trustee_decryption',
  'motion_lapsed',
  'petition_expired',
  'request_expired',
  'sealed_released',
  'vote_result',
] as const;

export const MailDeliveries = Obj(
  Object.fromEntries(kinds.map((k) => [k, Delivery])) as Record<(typeof kinds)[number], typeof Delivery>,
);

export const MailSettings = Obj(
  {
    enabled: Type.Boolean({ description: 'false: this server has no SMTP relay, and sends no e-mail' }),
    address: Nullable(Type.String({ description: "the member's e-mail address" })),
    deliveries: MailDeliveries,
  },
  { description: "the member's e-mail settings per kind of notice (docs/NOTIFICATIONS.md)" },
);
export type MailSettings = Static<typeof MailSettings>;
