// The service layer: domain verbs over the ledger (one queue and transaction per organisation) and the account
// store. Routes parse and authorise, call one verb here, and present the result.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { checkPassword } from './password-policy.ts';
import type { Command, Entry } from '../core/index.ts';
import {
  deleteSession,
  emailTaken,
  touchApiToken,
  touchSession,
  findApiToken,
  findInvitationSecret,
  findSession,
  insertAccount,
  insertApiToken,
  insertInvitationSecret,
  insertSession,
  listApiTokens,
  markInvitationUsed,
  revokeApiToken,
} from '../store/account-repository.ts';
import type { Db } from '../store/database.ts';
import {
  foundOrganisation,
  newRandomId,
  OrgLedger,
  systemClock,
  WriteConflict,
  type Clock,
  type SideWrites,
} from '../store/ledger.ts';
import { insertRecordKey } from '../store/record-repository.ts';
import { SchedulerLeases } from '../store/leases.ts';
import { Revocations, type Revoked } from './revocations.ts';
import type { Database } from '../store/schema.ts';
import { listOrgIds } from '../store/log-repository.ts';
import type { Electorates } from '../store/read-votes.ts';
import { withIssuerKeys } from './credential-issuer.ts';
import type { BallotCrypto, MixList } from '../ballot/index.ts';
import { nodeBallotCrypto } from '../node/ballot-crypto.ts';
import { PasswordHasher, type PasswordHashCost } from './password-hash.ts';
import type { BallotQueue } from './ballot-queue.ts';
import type { ReadReplica } from './read-replica.ts';
import { BallotChecks, type RestartLimits } from '../node/ballot-checks.ts';
import { MixChecks } from './mix-checks.ts';
import { spendKeyWith } from './idempotency.ts';
import { ApiError, fromRejection, invalidRequest } from './errors.ts';
import { RecordKeeper } from '../node/record-keeper.ts';
import type { CheckpointSchedule } from '../record/index.ts';
import type { MailSettings } from './mail/mailer.ts';
import { defaultWebhookSettings, type WebhookSettings } from './webhooks/settings.ts';
import { queueMessage, type Message } from './mail/outbox.ts';

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
    crypto: BallotCrypto,
  ) {
    super(db, orgId, clock, undefined, crypto);
  }

  override async execute(command: Command, actor: string | null, sides?: SideWrites) {
    // An organisation that does not exist has no key to miss: the rules refuse its commands (404 not_found).
    if (this.knownOrganisation || (await this.current()).org) {
      const held = await this.record.hold(this.orgId);
      if (held && !(await this.rotatesLogKey(command))) throw new ApiError(held.code, held.message);
    }
    return super.execute(command, actor, sides);
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
export { minPasswordLength } from './password-policy.ts';

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

export function normaliseEmail(email: string): string {
  const e = email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(e) || e.length > 254) {
    throw invalidRequest('email_address', 'email');
  }
  return e;
}

type Q = Kysely<Database> | Transaction<Database>;

export interface FounderInvitation {
  invitationId: string;
  name: string;
  councilId: string;
  token: string;
}

export interface FoundingJournal {
  /** The new organisation's id, before anything is written for it. */
  started(orgId: string): void;
  /** Inside the founding's transaction, before it commits: the founders' tokens. */
  committing(founded: { orgId: string; invitations: FounderInvitation[] }): void;
}

export interface Principal {
  memberId: string;
  orgId: string;
  via: 'session' | 'token';
  csrfToken?: string;
  /** The session's public id (via 'session'): "this device" in the list of sessions. */
  sessionId?: string;
}

/** What the server knows of the client making a request: recorded with sessions, used by the throttle. */
export interface Client {
  address: string;
  userAgent: string | null;
}

/** How last use is recorded: at most once a minute per session or token (it costs a write). */
const touchEveryMs = 60_000;

export interface ServiceOptions {
  /** Where the organisations' log keys are kept (default ./data/keys; the CLI passes $COUNCILS_KEY_DIR's). */
  keyDir?: string;
  /** When checkpoints are issued (default: every 1,000 entries or 10 seconds). */
  checkpoint?: CheckpointSchedule;
  /** How secret ballots are checked (default: libsodium's group and node:crypto's RSA, src/node/ballot-crypto.ts). */
  crypto?: BallotCrypto;
  /** The SMTP relay and the app's address for e-mail (docs/NOTIFICATIONS.md); without it e-mail is off. */
  mail?: MailSettings;
  /** Where webhooks may go and how long a receiver has (docs/NOTIFICATIONS.md "Webhooks"). */
  webhooks?: Partial<WebhookSettings>;
  /**
   * Worker threads that check cast secret ballots' proofs before the organisation's queue (src/node/ballot-checks.ts;
   * `councils serve` uses every core). 0 or absent: every check runs in the queue.
   */
  ballotWorkers?: number;
  /** How far those threads are restarted when they end (RestartLimits; tests shorten them). */
  ballotRestartLimits?: Partial<RestartLimits>;
  /** The argon2id cost of new password hashes (default OWASP's m = 19 MiB, t = 2, p = 1; src/server/password-hash.ts). */
  passwordHash?: PasswordHashCost;
}

export class CouncilsService {
  private readonly ledgers = new Map<string, OrgLedger>();
  readonly record: RecordKeeper;
  readonly crypto: BallotCrypto;
  readonly mail: MailSettings | null;
  readonly webhooks: WebhookSettings;
  /** The organisations this process's scheduler acts for (all of them on SQLite; src/store/leases.ts). */
  readonly leases: SchedulerLeases;
  /** Sessions and tokens ended in any process, heard here (src/server/revocations.ts). */
  readonly revocations: Revocations;
  /** The proof checks before the queue, when ballotWorkers > 0. */
  readonly ballotChecks: BallotChecks | null;
  /** Mixed votes' shuffle and decryption proofs checked on the ballot-check threads before the queue. */
  readonly mixChecks: MixChecks;
  /** The proof checks on the job queue every process shares (PostgreSQL, `councils serve --ballot-queue`). */
  ballotQueue: BallotQueue | null = null;
  /** A streaming replica of the primary for the organisations' reads (`councils serve --read-replica`). */
  readReplica: ReadReplica | null = null;
  /** Members' passwords hashed and checked (argon2id at the operator's cost). */
  readonly passwords: PasswordHasher;

  constructor(
    readonly db: Db,
    readonly clock: Clock = systemClock,
    options: ServiceOptions = {},
  ) {
    // credential lists are checked signature by signature when they are frozen: node:crypto's RSA, not bigint
    const crypto = options.crypto ?? nodeBallotCrypto;
    this.ballotChecks = options.ballotWorkers
      ? new BallotChecks(options.ballotWorkers, options.ballotRestartLimits)
      : null;
    // the core checks only the id and the time of a ballot whose proofs passed on these threads or through the
    // queue (BallotCrypto.preverified)
    this.mixChecks = new MixChecks(this.ballotChecks);
    const preverified = {
      has: (b: object) => (this.ballotChecks?.has(b) ?? false) || (this.ballotQueue?.has(b) ?? false),
      // mixed votes' shuffles and decryptions verified on the same threads (src/server/mix-checks.ts)
      shuffle: (b: object, input: MixList) => this.mixChecks.passedFor(b, input),
      mixDecryption: (b: object, list: MixList) => this.mixChecks.passedFor(b, list),
    };
    this.crypto = { ...crypto, preverified };
    this.mail = options.mail ?? null;
    this.passwords = new PasswordHasher(options.passwordHash);
    this.webhooks = { ...defaultWebhookSettings, ...options.webhooks };
    this.leases = new SchedulerLeases(db);
    this.revocations = new Revocations(
      db,
      (r) => this.dropPrincipals(r),
      () => this.principals.clear(),
    );
    this.record = new RecordKeeper(db, {
      keyDir: options.keyDir ?? './data/keys',
      ...(options.checkpoint ? { schedule: options.checkpoint } : {}),
      now: () => clock.now(),
    });
  }

  now(): string {
    return this.clock.now().toISOString();
  }

  ledger(orgId: string): OrgLedger {
    let l = this.ledgers.get(orgId);
    if (!l) {
      const made = new HeldLedger(this.db, orgId, this.clock, this.record, this.crypto);
      this.ledgers.set(orgId, made);
      // Anyone may name any organisation in a URL: a ledger whose log holds no organisation (or could not be
      // read) is not kept, so made-up ids cannot fill the memory. Its callers still hold it for their request.
      const forget = () => void (this.ledgers.get(orgId) === made && this.ledgers.delete(orgId));
      made.current().then((state) => state.org || forget(), forget);
      l = made;
    }
    return l;
  }

  /**
   * The electorates of an organisation's votes, from its state caught up with the log (docs/SCALE.md "Opening a
   * vote": no table holds them). Each call catches up, so a vote whose row a read has seen is in the state.
   */
  electorates(orgId: string): Electorates {
    return async (voteId) => (await this.ledger(orgId).current()).votes.get(voteId)?.electorate;
  }

  /**
   * Where a read of the organisation's tables goes: the read replica when it holds every entry the primary held
   * once this process's cache caught up with it, so that no acknowledged write is missing from what the read
   * sees (src/server/read-replica.ts); otherwise, and without a replica, the primary.
   */
  async reads(orgId: string): Promise<Kysely<Database>> {
    if (!this.readReplica) return this.db.kysely;
    const { size } = await this.ledger(orgId).current();
    return (await this.readReplica.upTo(orgId, size)) ?? this.db.kysely;
  }

  /** How many organisations' ledgers this process keeps (organisations it has served since it started). */
  get ledgersKept(): number {
    return this.ledgers.size;
  }

  async orgIds(): Promise<string[]> {
    return listOrgIds(this.db.kysely);
  }

  /**
   * Runs a command for an actor; a rejection becomes an ApiError. `sides` are written in the command's own
   * transaction (an account, an invitation's secret), so a crash leaves the act whole or absent.
   */
  async run(orgId: string, actor: string | null, command: Command, sides?: SideWrites): Promise<Entry[]> {
    // A secret vote opens with fresh credential-issuing keys, kept in its transaction (docs/BALLOT-PROTOCOL.md §4.1)
    const state = command.type === 'open_vote' ? await this.ledger(orgId).current() : undefined;
    const prepared = state ? await withIssuerKeys(orgId, state, command, this.now()) : { command };
    // An Idempotency-Key sent with the request is spent in the same transaction (src/server/idempotency.ts).
    const key = spendKeyWith(orgId, this.clock.now());
    const outcome = await this.ledger(orgId).execute(
      prepared.command,
      actor,
      bothSides(bothSides(prepared.sides, sides), key),
    );
    if (!outcome.ok) throw fromRejection(outcome);
    return outcome.entries;
  }

  /**
   * Founds an organisation. Its log key file is written first; the founding entries, the key's record and
   * `sides` (the founders' invitation secrets) commit in one transaction, so an organisation exists with its key
   * or not at all (a key file left by a crash before the commit belongs to no organisation).
   */
  async found(
    command: Extract<Command, { type: 'found_organisation' }>,
    sides?: (orgId: string) => SideWrites,
  ): Promise<{ orgId: string; entries: Entry[] }> {
    let founding = '';
    const withKey = (orgId: string): SideWrites => {
      founding = orgId;
      const more = sides?.(orgId);
      const verifierKey = this.record.newKeyFile(orgId);
      return {
        write: async (trx, entries) => {
          await insertRecordKey(trx, orgId, { verifierKey, fromSize: 0 }, this.now());
          await more?.write?.(trx, entries);
        },
      };
    };
    let founded;
    try {
      founded = await foundOrganisation(this.db, command, this.clock, undefined, withKey);
    } catch (e) {
      if (founding) this.record.discardKeyFile(founding);
      throw e;
    }
    const { ledger, outcome } = founded;
    if (!outcome.ok) {
      this.record.discardKeyFile(ledger.orgId);
      throw fromRejection(outcome);
    }
    return { orgId: ledger.orgId, entries: outcome.entries };
  }

  /**
   * Founds an organisation whose founders are invited by the founding; returns each founder's token. The
   * invitation secrets commit with the founding. A `journal` hears of the founding before its log key is written
   * and, inside the founding's transaction, of the founders' tokens: `councils init` keeps them on disk there, so
   * a crash after the commit cannot lose them and one before it leaves nothing it cannot clear.
   */
  async foundWithInvitations(
    command: Extract<Command, { type: 'found_organisation' }>,
    journal?: FoundingJournal,
  ): Promise<{ orgId: string; invitations: FounderInvitation[] }> {
    const invitations: FounderInvitation[] = [];
    const { orgId } = await this.found(command, (orgId) => {
      journal?.started(orgId);
      return {
        write: async (trx, entries) => {
          invitations.length = 0; // a retried transaction starts again
          for (const e of entries) {
            if (e.act !== 'invitation_issued') continue;
            const token = await this.storeInvitationToken(trx, orgId, e.payload.invitationId);
            const { invitationId, name, councilId } = e.payload;
            invitations.push({ invitationId, name, councilId, token });
          }
          journal?.committing({ orgId, invitations });
        },
      };
    });
    return { orgId, invitations };
  }

  /** Records the invitation in the log and, in the same transaction, the hash of its secret token. */
  /**
   * Records the invitation and the hash of its secret token. With `mail` (an address and the message to send it,
   * given the token) and a relay configured, the message is queued in the same transaction, so the invitation
   * and its e-mail commit together (docs/NOTIFICATIONS.md "Invitations by e-mail"); `emailed` says whether it was.
   */
  async inviteInto(
    orgId: string,
    actor: string | null,
    councilId: string,
    name: string,
    mail?: (invitationId: string, token: string) => Omit<Message, 'orgId'>,
  ) {
    let token = '';
    let emailed = false;
    const entries = await this.run(
      orgId,
      actor,
      { type: 'issue_invitation', councilId, name },
      {
        write: async (trx, [e]) => {
          const issued = e as Extract<Entry, { act: 'invitation_issued' }>;
          const invitationId = issued.payload.invitationId;
          token = await this.storeInvitationToken(trx, orgId, invitationId);
          const message = mail?.(invitationId, token);
          emailed = message ? await queueMessage(this.mail, trx, { ...message, orgId }, this.now()) : false;
        },
      },
    );
    const e = entries[0] as Extract<Entry, { act: 'invitation_issued' }>;
    return { invitationId: e.payload.invitationId, token, emailed };
  }

  /** Keeps the hash of a fresh secret token for an invitation in the log; returns the token. */
  private async storeInvitationToken(q: Q, orgId: string, invitationId: string): Promise<string> {
    const token = secretToken();
    const expiresAt = new Date(this.clock.now().getTime() + invitationDays * 86_400_000).toISOString();
    await insertInvitationSecret(q, hashSecret(token), { invitationId, orgId, expiresAt, usedAt: null });
    return token;
  }

  async invitationByToken(token: string, q: Q = this.db.kysely) {
    const s = await findInvitationSecret(q, hashSecret(token));
    if (!s) throw new ApiError('not_found', 'no such invitation');
    if (s.usedAt !== null) throw new ApiError('invitation_used');
    if (s.expiresAt <= this.now()) throw new ApiError('invitation_expired');
    return s;
  }

  /**
   * Accepts an invitation: the member admitted in the log, the invitation marked used and the account created in
   * one transaction (the password is hashed before), then a session opened. Two acceptances of one invitation:
   * the log admits one (the other is `invitation_used`); two of one e-mail address: one account (`email_taken`).
   */
  async acceptInvitation(
    token: string,
    input: { email: string; password: string; name?: string },
    client: Client = noClient,
  ) {
    const email = normaliseEmail(input.email);
    checkPassword(input.password, { email, ...(input.name !== undefined ? { name: input.name } : {}) });
    const secret = await this.invitationByToken(token);
    if (await emailTaken(this.db.kysely, email)) throw new ApiError('email_taken');
    const passwordHash = await this.passwords.hash(input.password);
    const memberId = newRandomId('member');
    const { orgId, invitationId } = secret;
    const claim = `email:${email}`;
    await this.run(
      orgId,
      memberId,
      {
        type: 'accept_invitation',
        invitationId,
        memberId,
        ...(input.name !== undefined ? { name: input.name } : {}),
      },
      {
        claims: [claim],
        check: async (q, claimed) => {
          try {
            await this.invitationByToken(token, q);
          } catch (e) {
            return e;
          }
          if (claimed.has(claim) || (await emailTaken(q, email))) return new ApiError('email_taken');
          return undefined;
        },
        write: async (trx) => {
          if (!(await markInvitationUsed(trx, orgId, invitationId, this.now()))) throw new WriteConflict();
          await insertAccount(trx, { memberId, orgId, email, passwordHash }, this.now());
        },
      },
    );
    return { memberId, orgId, ...(await this.openSession(memberId, orgId, client)) };
  }

  /** Opens a session for a member whose credentials were checked (sign-in, joining). */
  async openSession(memberId: string, orgId: string, client: Client) {
    const sessionToken = secretToken();
    const csrfToken = secretToken();
    const expiresAt = new Date(this.clock.now().getTime() + sessionDays * 86_400_000).toISOString();
    const id = newRandomId('session');
    const userAgent = client.userAgent?.slice(0, 500) ?? null;
    await insertSession(
      this.db.kysely,
      hashSecret(sessionToken),
      { id, memberId, orgId, csrfToken, expiresAt, userAgent },
      this.now(),
    );
    return { sessionToken, csrfToken, expiresAt, sessionId: id };
  }

  async signOut(sessionToken: string): Promise<void> {
    const hash = hashSecret(sessionToken);
    this.principals.delete(hash);
    const p = await findSession(this.db.kysely, hash, this.now());
    await deleteSession(this.db.kysely, hash);
    if (p) await this.forgetPrincipals(p.orgId, [hash]);
  }

  /**
   * Principals by the hash of their secret, kept for a short while so that authenticating a request does not
   * wait for the database (on SQLite, reads queue behind the writer). Signing out and revoking take effect at
   * once in this process, and in every other process on the same PostgreSQL database as soon as they hear it
   * (src/server/revocations.ts); a process that cannot hear them caches nothing.
   */
  private readonly principals = new Map<string, { principal: Principal; tokenId?: string; until: number }>();
  /** When each session or token (by hash) was last recorded as used. */
  private readonly touched = new Map<string, number>();
  static principalTtlMs = 30_000;

  private async cachedPrincipal(
    hash: string,
    load: () => Promise<{ principal: Principal; tokenId?: string; expiresAt?: string } | undefined>,
  ): Promise<Principal | undefined> {
    const now = this.clock.now().getTime();
    const caching = this.revocations.caching;
    const hit = caching ? this.principals.get(hash) : undefined;
    if (hit && hit.until > now) return hit.principal;
    const epoch = this.revocations.epoch;
    const found = await load();
    if (!found) {
      this.principals.delete(hash);
      return undefined;
    }
    // Read before a revocation was heard (or while not listening): used for this request, not kept.
    if (!caching || epoch !== this.revocations.epoch) return found.principal;
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
    const p = await this.cachedPrincipal(hash, async () => {
      const s = await findSession(this.db.kysely, hash, this.now());
      return (
        s && {
          principal: {
            memberId: s.memberId,
            orgId: s.orgId,
            via: 'session' as const,
            csrfToken: s.csrfToken,
            sessionId: s.id,
          },
          expiresAt: s.expiresAt,
        }
      );
    });
    if (p && this.due(hash)) await touchSession(this.db.kysely, hash, this.now());
    return p;
  }

  async principalFromApiToken(
    token: string,
    userAgent: string | null = null,
  ): Promise<Principal | undefined> {
    const hash = hashSecret(token);
    const p = await this.cachedPrincipal(hash, async () => {
      const t = await findApiToken(this.db.kysely, hash);
      return (
        t && { principal: { memberId: t.memberId, orgId: t.orgId, via: 'token' as const }, tokenId: t.id }
      );
    });
    const id = this.principals.get(hash)?.tokenId;
    if (p && id && this.due(hash))
      await touchApiToken(this.db.kysely, id, this.now(), userAgent?.slice(0, 500) ?? null);
    return p;
  }

  /** Whether the last use of `hash` should be written now (once a minute at most), and notes it. */
  private due(hash: string): boolean {
    const now = this.clock.now().getTime();
    const last = this.touched.get(hash);
    if (last !== undefined && now - last < touchEveryMs) return false;
    if (this.touched.size > 100_000) this.touched.clear();
    this.touched.set(hash, now);
    return true;
  }

  /**
   * Forgets ended sessions (by hash) and tokens (by id) of one organisation, here and, once the caller has
   * committed their end, in every other process on the database.
   */
  async forgetPrincipals(orgId: string, sessionHashes: string[], tokenIds: string[] = []): Promise<void> {
    const revoked = { orgId, sessions: sessionHashes, tokens: tokenIds };
    this.dropPrincipals(revoked);
    await this.revocations.announce(revoked);
  }

  private dropPrincipals({ orgId, sessions, tokens }: Revoked): void {
    for (const h of sessions) this.principals.delete(h);
    const ids = new Set(tokens);
    for (const [hash, c] of this.principals)
      if (c.tokenId !== undefined && ids.has(c.tokenId) && c.principal.orgId === orgId)
        this.principals.delete(hash);
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
    await this.forgetPrincipals(p.orgId, [], [id]);
  }
}

/** Side writes of two sources (a secret vote's issuing keys and the caller's), checked and written in turn. */
function bothSides(a: SideWrites | undefined, b: SideWrites | undefined): SideWrites | undefined {
  if (!a || !b) return a ?? b;
  return {
    check: async (q, claimed) => (await a.check?.(q, claimed)) ?? (await b.check?.(q, claimed)),
    claims: [...(a.claims ?? []), ...(b.claims ?? [])],
    write: async (trx, entries) => {
      await a.write?.(trx, entries);
      await b.write?.(trx, entries);
    },
  };
}

const noClient: Client = { address: 'unknown', userAgent: null };
