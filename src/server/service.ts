// The service layer: domain verbs over the ledger (one queue and transaction per organisation) and the account
// store. Routes parse and authorise, call one verb here, and present the result.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import type { Command, Entry } from '../core/index.ts';
import {
  deleteAccount,
  deleteSession,
  emailTaken,
  findAccountByEmail,
  findApiToken,
  findInvitationSecret,
  findSession,
  insertAccount,
  insertApiToken,
  insertInvitationSecret,
  insertSession,
  listApiTokens,
  markInvitationUsed,
  reopenInvitation,
  revokeApiToken,
} from '../store/account-repository.ts';
import type { Db } from '../store/database.ts';
import { foundOrganisation, newRandomId, OrgLedger, systemClock, type Clock } from '../store/ledger.ts';
import { listOrgIds } from '../store/log-repository.ts';
import { withIssuerKeys } from './credential-issuer.ts';
import { installNativeRsaPss } from '../node/rsa-pss-native.ts';
import { ApiError, fromRejection } from './errors.ts';
import { RecordKeeper } from '../node/record-keeper.ts';

/**
 * An organisation's ledger that first asks the record keeper whether its record can be signed: while it cannot
 * (log key lost, database restored from an older state), every write is refused with the reason, except the acts
 * that rotate the log key, which are how the record continues (docs/OPERATIONS.md).
 */
class HeldLedger extends OrgLedger {
  constructor(
    db: Db,
    orgId: string,
    clock: Clock,
    private readonly record: RecordKeeper,
  ) {
    super(db, orgId, clock);
  }

  override async execute(command: Command, actor: string | null) {
    const held = await this.record.hold(this.orgId);
    if (held && !(await this.rotatesLogKey(command))) throw new ApiError(held.code, held.message);
    return super.execute(command, actor);
  }

  private async rotatesLogKey(c: Command): Promise<boolean> {
    if (c.type === 'register_key') return true;
    if (c.type === 'request_act') return c.kind === 'rotate_log_key';
    if (c.type !== 'approve_request' && c.type !== 'withdraw_approval') return false;
    return (await this.current()).power.requests.get(c.requestId)?.kind === 'rotate_log_key';
  }
}

export const sessionDays = 14;
export const invitationDays = 14;
export const minPasswordLength = 10;

export function secretToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecret(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function normaliseEmail(email: string): string {
  const e = email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(e) || e.length > 254) {
    throw new ApiError('invalid_request', 'email must be an e-mail address', 'email');
  }
  return e;
}

export interface Principal {
  memberId: string;
  orgId: string;
  via: 'session' | 'token';
  csrfToken?: string;
}

export interface ServiceOptions {
  /** Where the organisations' log keys are kept (default $COUNCILS_KEY_DIR, else ./data/keys). */
  keyDir?: string;
}

export class CouncilsService {
  private readonly ledgers = new Map<string, OrgLedger>();
  readonly record: RecordKeeper;

  constructor(
    readonly db: Db,
    readonly clock: Clock = systemClock,
    options: ServiceOptions = {},
  ) {
    installNativeRsaPss(); // credential lists are checked signature by signature when they are frozen
    this.record = new RecordKeeper(db, {
      keyDir: options.keyDir ?? process.env.COUNCILS_KEY_DIR ?? './data/keys',
      now: () => clock.now(),
    });
  }

  now(): string {
    return this.clock.now().toISOString();
  }

  ledger(orgId: string): OrgLedger {
    let l = this.ledgers.get(orgId);
    if (!l) {
      l = new HeldLedger(this.db, orgId, this.clock, this.record);
      this.ledgers.set(orgId, l);
    }
    return l;
  }

  async orgIds(): Promise<string[]> {
    return listOrgIds(this.db.kysely);
  }

  /** Runs a command for an actor; a rejection becomes an ApiError. */
  async run(orgId: string, actor: string | null, command: Command): Promise<Entry[]> {
    // A secret vote opens with fresh credential-issuing keys (docs/BALLOT-PROTOCOL.md §4.1)
    const state = command.type === 'open_vote' ? await this.ledger(orgId).current() : undefined;
    const prepared = state
      ? await withIssuerKeys(this.db, orgId, state, command, this.now())
      : { command, discard: async () => {} };
    let outcome;
    try {
      outcome = await this.ledger(orgId).execute(prepared.command, actor);
    } catch (e) {
      await prepared.discard();
      throw e;
    }
    if (!outcome.ok) {
      await prepared.discard();
      throw fromRejection(outcome);
    }
    return outcome.entries;
  }

  async found(
    command: Extract<Command, { type: 'found_organisation' }>,
  ): Promise<{ orgId: string; entries: Entry[] }> {
    const { ledger, outcome } = await foundOrganisation(this.db, command, this.clock);
    if (!outcome.ok) throw fromRejection(outcome);
    await this.record.createKey(ledger.orgId);
    return { orgId: ledger.orgId, entries: outcome.entries };
  }

  /** Founds an organisation whose founders are invited by the founding; returns each founder's token. */
  async foundWithInvitations(command: Extract<Command, { type: 'found_organisation' }>) {
    const { orgId, entries } = await this.found(command);
    const invitations = [];
    for (const e of entries) {
      if (e.act !== 'invitation_issued') continue;
      const token = await this.storeInvitationToken(orgId, e.payload.invitationId);
      invitations.push({
        invitationId: e.payload.invitationId,
        name: e.payload.name,
        councilId: e.payload.councilId,
        token,
      });
    }
    return { orgId, invitations };
  }

  /** Records the invitation in the log and keeps only the hash of its secret token. Returns the token. */
  async inviteInto(orgId: string, actor: string | null, councilId: string, name: string) {
    const entries = await this.run(orgId, actor, { type: 'issue_invitation', councilId, name });
    const e = entries[0] as Extract<Entry, { act: 'invitation_issued' }>;
    return {
      invitationId: e.payload.invitationId,
      token: await this.storeInvitationToken(orgId, e.payload.invitationId),
    };
  }

  /** Founding members are invited by the founding itself: each gets a token for an invitation already in the log. */
  async storeInvitationToken(orgId: string, invitationId: string): Promise<string> {
    const token = secretToken();
    const expiresAt = new Date(this.clock.now().getTime() + invitationDays * 86_400_000).toISOString();
    await insertInvitationSecret(this.db.kysely, hashSecret(token), {
      invitationId,
      orgId,
      expiresAt,
      usedAt: null,
    });
    return token;
  }

  async invitationByToken(token: string) {
    const s = await findInvitationSecret(this.db.kysely, hashSecret(token));
    if (!s) throw new ApiError('not_found', 'no such invitation');
    if (s.usedAt !== null) throw new ApiError('invitation_used');
    if (s.expiresAt <= this.now()) throw new ApiError('invitation_expired');
    return s;
  }

  /** Accepts an invitation: the account is created, the member admitted in the log, a session opened. */
  async acceptInvitation(token: string, input: { email: string; password: string; name?: string }) {
    const email = normaliseEmail(input.email);
    checkPassword(input.password);
    const secret = await this.invitationByToken(token);
    if (await emailTaken(this.db.kysely, email)) throw new ApiError('email_taken');
    if (!(await markInvitationUsed(this.db.kysely, secret.orgId, secret.invitationId, this.now()))) {
      throw new ApiError('invitation_used');
    }
    const memberId = newRandomId('member');
    const passwordHash = await argon2Hash(input.password);
    try {
      await insertAccount(this.db.kysely, { memberId, orgId: secret.orgId, email, passwordHash }, this.now());
    } catch (e) {
      await reopenInvitation(this.db.kysely, secret.orgId, secret.invitationId);
      if (await emailTaken(this.db.kysely, email)) throw new ApiError('email_taken');
      throw e;
    }
    try {
      await this.run(secret.orgId, memberId, {
        type: 'accept_invitation',
        invitationId: secret.invitationId,
        memberId,
        ...(input.name !== undefined ? { name: input.name } : {}),
      });
    } catch (e) {
      await deleteAccount(this.db.kysely, secret.orgId, memberId);
      await reopenInvitation(this.db.kysely, secret.orgId, secret.invitationId);
      throw e;
    }
    return { memberId, orgId: secret.orgId, ...(await this.openSession(memberId, secret.orgId)) };
  }

  async signIn(emailInput: string, password: string) {
    const email = normaliseEmail(emailInput);
    const account = await findAccountByEmail(this.db.kysely, email);
    // Verify against a dummy hash when there is no account, so timing does not reveal which e-mails exist.
    const ok = await argon2Verify(account?.passwordHash ?? dummyHash, password).catch(() => false);
    if (!account || !ok) throw new ApiError('wrong_credentials');
    return {
      memberId: account.memberId,
      orgId: account.orgId,
      ...(await this.openSession(account.memberId, account.orgId)),
    };
  }

  private async openSession(memberId: string, orgId: string) {
    const sessionToken = secretToken();
    const csrfToken = secretToken();
    const expiresAt = new Date(this.clock.now().getTime() + sessionDays * 86_400_000).toISOString();
    await insertSession(
      this.db.kysely,
      hashSecret(sessionToken),
      { memberId, orgId, csrfToken, expiresAt },
      this.now(),
    );
    return { sessionToken, csrfToken, expiresAt };
  }

  async signOut(sessionToken: string): Promise<void> {
    const hash = hashSecret(sessionToken);
    this.principals.delete(hash);
    await deleteSession(this.db.kysely, hash);
  }

  /**
   * Principals by the hash of their secret, kept for a short while so that authenticating a request does not
   * wait for the database (on SQLite, reads queue behind the writer). Signing out and revoking take effect at
   * once in this process; another process sharing the database sees a revocation within `principalTtlMs`.
   */
  private readonly principals = new Map<string, { principal: Principal; tokenId?: string; until: number }>();
  static principalTtlMs = 30_000;

  private async cachedPrincipal(
    hash: string,
    load: () => Promise<{ principal: Principal; tokenId?: string; expiresAt?: string } | undefined>,
  ): Promise<Principal | undefined> {
    const now = this.clock.now().getTime();
    const hit = this.principals.get(hash);
    if (hit && hit.until > now) return hit.principal;
    const found = await load();
    if (!found) {
      this.principals.delete(hash);
      return undefined;
    }
    const expires = found.expiresAt ? Date.parse(found.expiresAt) : Infinity;
    const until = Math.min(now + CouncilsService.principalTtlMs, expires);
    if (this.principals.size > 100_000) this.principals.clear();
    this.principals.set(hash, {
      principal: found.principal,
      ...(found.tokenId ? { tokenId: found.tokenId } : {}),
      until,
    });
    return found.principal;
  }

  async principalFromSession(sessionToken: string): Promise<Principal | undefined> {
    const hash = hashSecret(sessionToken);
    return this.cachedPrincipal(hash, async () => {
      const s = await findSession(this.db.kysely, hash, this.now());
      return (
        s && {
          principal: {
            memberId: s.memberId,
            orgId: s.orgId,
            via: 'session' as const,
            csrfToken: s.csrfToken,
          },
          expiresAt: s.expiresAt,
        }
      );
    });
  }

  async principalFromApiToken(token: string): Promise<Principal | undefined> {
    const hash = hashSecret(token);
    return this.cachedPrincipal(hash, async () => {
      const t = await findApiToken(this.db.kysely, hash);
      return (
        t && { principal: { memberId: t.memberId, orgId: t.orgId, via: 'token' as const }, tokenId: t.id }
      );
    });
  }

  async createApiToken(p: Principal, name: string) {
    const token = `cnl_${secretToken()}`;
    const record = {
      id: newRandomId('token'),
      memberId: p.memberId,
      orgId: p.orgId,
      name,
      createdAt: this.now(),
    };
    await insertApiToken(this.db.kysely, hashSecret(token), record);
    return { ...record, token };
  }

  listApiTokens(p: Principal) {
    return listApiTokens(this.db.kysely, p.orgId, p.memberId);
  }

  async revokeApiToken(p: Principal, id: string): Promise<void> {
    if (!(await revokeApiToken(this.db.kysely, p.orgId, p.memberId, id, this.now())))
      throw new ApiError('not_found', 'no such token');
    for (const [hash, c] of this.principals)
      if (c.tokenId === id && c.principal.orgId === p.orgId) this.principals.delete(hash);
  }
}

function checkPassword(password: string): void {
  if (typeof password !== 'string' || password.length < minPasswordLength || password.length > 1024) {
    throw new ApiError(
      'invalid_request',
      `password must have ${minPasswordLength} to 1024 characters`,
      'password',
    );
  }
}

// An argon2id hash of a random string, computed once: signing in as an unknown e-mail costs the same.
const dummyHash = await argon2Hash(randomBytes(16).toString('hex'));
