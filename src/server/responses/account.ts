// Response schemas of one's own account (docs/ACCOUNTS.md): sessions, API tokens with their last use, e-mail and
// password changes, reset links. TypeBox only, like its neighbours.
import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Obj, Time, Written } from './common.ts';

export const SessionView = Obj({
  id: Type.String(),
  createdAt: Time,
  lastUsedAt: Nullable(Time),
  expiresAt: Time,
  userAgent: Nullable(Type.String()),
  current: Type.Boolean({ description: 'the session making this request' }),
});
export const Sessions = Obj({ sessions: Type.Array(SessionView) });
export type SessionView = Static<typeof SessionView>;

export const AccountView = Obj({
  email: Type.String(),
  resetBy: Type.Union([Type.Literal('email'), Type.Literal('council')], {
    description: 'how a forgotten password is reset here: a link by e-mail, or a link the council issues',
  }),
});
export type AccountView = Static<typeof AccountView>;

export const EmailChanged = Obj({
  email: Type.String({ description: 'the address the account signs in with now' }),
  confirmed: Type.Boolean({ description: 'false: a link was sent to the new address and waits' }),
});

export const ResetRequested = Obj({
  byEmail: Type.Boolean({
    description: 'true: a link was sent if an account has this address; false: ask your council to issue one',
  }),
});

export const ResetLinkView = Obj({
  expiresAt: Time,
  via: Type.Union([Type.Literal('email'), Type.Literal('council')]),
  name: Nullable(Type.String({ description: 'the member whose password it resets' })),
});
export type ResetLinkView = Static<typeof ResetLinkView>;

/** An approval; the one that carries out a password reset also returns the one-time link, to hand over. */
export const Approved = Obj({
  ...Written.properties,
  resetLink: Type.Optional(Type.String({ description: 'shown once: the reset link the council issued' })),
});
