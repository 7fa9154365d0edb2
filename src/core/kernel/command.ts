// Commands: what an actor asks for. decide() turns a command into entries or a rejection. Ids of new things come
// from ctx.newId, so the core stays deterministic given its inputs. The commands themselves are declared by the
// features and joined in src/core/model.ts.

export interface DecideContext {
  /** The member acting, or null for the organisation itself (founding, scheduled closing) and newcomers. */
  actor: string | null;
  /** ISO 8601 UTC. */
  now: string;
  /** A fresh, unique id; `kind` is a short prefix such as "motion". */
  newId: (kind: string) => string;
}
