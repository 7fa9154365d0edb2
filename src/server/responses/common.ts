// Building blocks of the response schemas (docs/API.md "Response schemas"). Every object is closed
// (additionalProperties: false): Fastify serialises a reply with fast-json-stringify from its schema, which drops
// whatever the schema does not name, so a schema must name every field a presenter returns. The few open values
// (an entry's payload, a pay scheme, a board message, a count's method-specific details) are named as open.
// This file and its neighbours import nothing but TypeBox, so the web app may `import type` from them.
import { Type, type ObjectOptions, type Static, type TProperties, type TSchema } from '@sinclair/typebox';

/** A closed object: exactly these properties. */
export const Obj = <T extends TProperties>(properties: T, options: ObjectOptions = {}) =>
  Type.Object(properties, { additionalProperties: false, ...options });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** A JSON object whose shape is described elsewhere (the description says where). */
export const Open = (description: string) => Type.Record(Type.String(), Type.Unknown(), { description });

/** An ISO 8601 UTC timestamp, as the log writes them. */
export const Time = Type.String({ format: 'date-time' });

export const Count = Type.Integer({ minimum: 0 });

/** An entry of the log: {seq, act, actor, time, payload} (docs/RECORD.md). */
export const LogEntry = Obj({
  seq: Count,
  act: Type.String(),
  actor: Nullable(Type.String()),
  time: Time,
  payload: Open("the act's payload (src/core/model.ts Payloads; each feature's types.ts declares its acts')"),
});
export type LogEntry = Static<typeof LogEntry>;

/** What a write through the core returns: the first seq, the acts, and the entries appended. */
export const Written = Obj(
  { seq: Nullable(Count), acts: Type.Array(Type.String()), entries: Type.Array(LogEntry) },
  { description: 'the entries the command appended to the log' },
);
export type Written = Static<typeof Written>;

/** A motion moved (a motion, an election, a recall): its id and the seq of its first entry. */
export const Moved = Obj({ motionId: Type.String(), seq: Count });
export type Moved = Static<typeof Moved>;

/** A 204 reply: no body. */
export const NoContent = Type.Null({ description: 'no content' });

/** A cursor to the next page of a list, or null on the last page (docs/API.md "Paging"). */
export const Next = Nullable(
  Type.String({ description: 'pass as ?after= for the next page; null at the end' }),
);
