// Accounts a member manages without any administrator (docs/ACCOUNTS.md): signing in through the throttle
// (sign-in-throttle.ts), changing one's password and e-mail address, listing and revoking one's sessions, and
// password reset by a one-time, short-lived link, sent by e-mail where a relay is configured and otherwise issued
// by the council through the privileged act `reset_password` (k of n, never one person). Only the SHA-256 of a
// link's secret is stored; a link works once, before it expires, and using it ends every session of the account.
import type { Kysely, Transaction } from 'kysely';
import {
  deleteSessionsOf,
  emailTaken,
  findAccount,
  findAccountByEmail,
  listSessions,
  revokeApiTokensOf,
  updateEmail,
  rehashPassword,
  updatePasswordHash,
  type Account,
} from '../store/account-repository.ts';
import {
  addDeviceFailure,
  addSignInFailure,
  clearSignInFailures,
  deviceSignedIn,
  findEmailChange,
  findKnownDevice,
  findPasswordReset,
  findSignInFailures,
  forgetDevice,
  forgetDevicesOf,
  insertEmailChange,
  insertKnownDevice,
  insertPasswordReset,
  markLinkUsed,
  retirePasswordResets,
} from '../store/credential-repository.ts';
import type { Database } from '../store/schema.ts';
import { getMember } from '../store/read-repository.ts';
import { findMemberLocale } from '../store/locale-repository.ts';
import { defaultLocale, isLocale, translator } from '../i18n/index.ts';
import { ApiError } from './errors.ts';
import { checkPassword } from './password-policy.ts';
import {
  accountDelayMs,
  addressFailureBuckets,
  blockedForNewDevices,
  SignInThrottled,
  throttleRules,
} from './sign-in-throttle.ts';
import {
  hashSecret,
  normaliseEmail,
  secretToken,
  type Client,
  type CouncilsService,
  type Principal,
} from './service.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** A reset link sent by e-mail works this long; one issued by the council (handed over in person) longer. */
export const resetMinutes = { email: 30, council: 24 * 60 } as const;
export const emailChangeHours = 24;

/** An e-mail to send, put in the outbox in the caller's transaction (src/server/mail's outbox). */
export interface OutgoingMail {
  orgId: string;
  memberId: string;
  /** What it is: "password_reset" or "email_change". */
  kind: string;
  to: string;
  subject: string;
  text: string;
}

/** Where account e-mail goes: absent when the installation has no mail relay configured. */
export interface AccountMail {
  enqueue(q: Q, mail: OutgoingMail): Promise<void>;
}

export interface AccountOptions {
  /** The app's address, for the links. */
  publicUrl: string;
  mail?: AccountMail | undefined;
}

export class Accounts {
  private readonly addresses;

  constructor(
    private readonly service: CouncilsService,
    private readonly options: AccountOptions,
  ) {
    this.addresses = addressFailureBuckets(service.db, () => service.clock.now().getTime());
  }

  private get q() {
    return this.service.db.kysely;
  }

  private now(): string {
    return this.service.now();
  }

  private later(minutes: number): string {
    return new Date(this.service.clock.now().getTime() + minutes * 60_000).toISOString();
  }

  /** Whether links are sent by e-mail (a relay is configured) or issued by the council. */
  get byEmail(): boolean {
    return this.options.mail !== undefined;
  }

  /**
   * Signs in through the throttle. `deviceToken` is the device cookie's secret, if the browser sent one; the
   * answer carries a device token to set (a new one after the first sign-in from this browser).
   */
  async signIn(emailInput: string, password: string, client: Client, deviceToken?: string) {
    const email = normaliseEmail(emailInput);
    const account = await findAccountByEmail(this.q, email);
    const deviceHash = deviceToken ? hashSecret(deviceToken) : undefined;
    const device = deviceHash ? await findKnownDevice(this.q, deviceHash) : undefined;
    const known =
      device !== undefined &&
      account !== undefined &&
      device.orgId === account.orgId &&
      device.memberId === account.memberId;
    if (!known) await this.throttle(email, client);
    if (!(await this.service.passwords.matches(account?.passwordHash, password))) {
      if (known) {
        if ((await addDeviceFailure(this.q, deviceHash!)) >= throttleRules.deviceFailures)
          await forgetDevice(this.q, deviceHash!);
      } else {
        await this.addresses.take(client.address);
        await addSignInFailure(this.q, email, this.now());
      }
      throw new ApiError('wrong_credentials');
    }
    const a = account!;
    await clearSignInFailures(this.q, email);
    // made at a cost the operator has changed since: hashed again at today's (password-hash.ts `needsRehash`)
    if (this.service.passwords.needsRehash(a.passwordHash))
      await rehashPassword(
        this.q,
        a.orgId,
        a.memberId,
        a.passwordHash,
        await this.service.passwords.hash(password),
      );
    let newDevice: string | undefined;
    if (known) await deviceSignedIn(this.q, deviceHash!, this.now());
    else {
      newDevice = secretToken();
      await insertKnownDevice(this.q, hashSecret(newDevice), a, this.now());
    }
    const session = await this.service.openSession(a.memberId, a.orgId, client);
    return { memberId: a.memberId, orgId: a.orgId, ...session, deviceToken: newDevice };
  }

  /** Refuses an attempt from an unknown device while the e-mail address or the client address must wait. */
  private async throttle(email: string, client: Client): Promise<void> {
    const failures = await findSignInFailures(this.q, email);
    const now = this.service.clock.now();
    if (failures && failures.failures >= throttleRules.hardLimit) throw blockedForNewDevices();
    const accountWait = failures
      ? Math.ceil(
          (Date.parse(failures.lastFailureAt) + accountDelayMs(failures.failures) - now.getTime()) / 1000,
        )
      : 0;
    const addressWait = await this.addresses.wait(client.address);
    if (accountWait > 0 || addressWait > 0)
      throw new SignInThrottled(Math.max(accountWait, addressWait), now, addressWait > accountWait);
  }

  private async account(p: Principal): Promise<Account> {
    const a = await findAccount(this.q, p.orgId, p.memberId);
    if (!a) throw new ApiError('not_found', 'no account for this member');
    return a;
  }

  /** Checks the account's current password (counted by the throttle like a sign-in: a stolen session cannot guess). */
  private async confirmPassword(a: Account, password: string, client: Client, field: string): Promise<void> {
    await this.throttle(a.email, client);
    if (await this.service.passwords.matches(a.passwordHash, password)) return;
    await this.addresses.take(client.address);
    await addSignInFailure(this.q, a.email, this.now());
    throw new ApiError('wrong_password', undefined, field);
  }

  private async memberName(orgId: string, memberId: string): Promise<string | undefined> {
    return (await getMember(this.q, orgId, memberId))?.name;
  }

  /** A new password, given the current one; every other session of the account ends. */
  async changePassword(p: Principal, current: string, next: string, client: Client): Promise<void> {
    const a = await this.account(p);
    const name = await this.memberName(p.orgId, p.memberId);
    checkPassword(next, { email: a.email, ...(name ? { name } : {}) }, 'newPassword');
    await this.confirmPassword(a, current, client, 'currentPassword');
    const hash = await this.service.passwords.hash(next);
    const ended = await this.service.db.kysely.transaction().execute(async (trx) => {
      await updatePasswordHash(trx, p.orgId, p.memberId, hash);
      return deleteSessionsOf(trx, p.orgId, p.memberId, p.sessionId ? { keepId: p.sessionId } : {});
    });
    await this.service.forgetPrincipals(p.orgId, ended);
  }

  /**
   * A new e-mail address, given the password. With a mail relay the change waits for the link sent to the new
   * address (proof that the member reads it); without one the password alone confirms it.
   */
  async changeEmail(p: Principal, newEmail: string, password: string, client: Client) {
    const a = await this.account(p);
    const email = normaliseEmail(newEmail);
    await this.confirmPassword(a, password, client, 'password');
    if (email === a.email) return { email, confirmed: true };
    if (await emailTaken(this.q, email)) throw new ApiError('email_taken', undefined, 'email');
    const mail = this.options.mail;
    if (!mail) {
      await updateEmail(this.q, p.orgId, p.memberId, email).catch(async (e) => {
        if (await emailTaken(this.q, email)) throw new ApiError('email_taken', undefined, 'email');
        throw e;
      });
      return { email, confirmed: true };
    }
    const token = secretToken();
    const tr = await this.words(p.orgId, p.memberId); // read before the transaction (SQLite: one connection)
    await this.q.transaction().execute(async (trx) => {
      const change = { orgId: p.orgId, memberId: p.memberId, newEmail: email, usedAt: null };
      await insertEmailChange(
        trx,
        hashSecret(token),
        { ...change, expiresAt: this.later(emailChangeHours * 60) },
        this.now(),
      );
      await mail.enqueue(trx, {
        orgId: p.orgId,
        memberId: p.memberId,
        kind: 'email_change',
        to: email,
        subject: tr.t('mailEmailSubject'),
        text: tr.t('mailEmailText', { hours: emailChangeHours, link: this.link('confirm-email', token) }),
      });
    });
    return { email: a.email, confirmed: false };
  }

  async confirmEmail(token: string): Promise<{ email: string }> {
    const hash = hashSecret(token);
    const c = await findEmailChange(this.q, hash);
    if (!c) throw new ApiError('not_found', 'no such link');
    if (c.usedAt !== null) throw new ApiError('link_used');
    if (c.expiresAt <= this.now()) throw new ApiError('link_expired');
    await this.q.transaction().execute(async (trx) => {
      if (await emailTaken(trx, c.newEmail)) throw new ApiError('email_taken', undefined, 'email');
      if (!(await markLinkUsed(trx, 'email_changes', hash, this.now()))) throw new ApiError('link_used');
      await updateEmail(trx, c.orgId, c.memberId, c.newEmail);
    });
    return { email: c.newEmail };
  }

  async email(p: Principal): Promise<string> {
    return (await this.account(p)).email;
  }

  async sessions(p: Principal) {
    const list = await listSessions(this.q, p.orgId, p.memberId, this.now());
    return list.map((s) => ({
      id: s.id,
      createdAt: s.createdAt,
      lastUsedAt: s.lastUsedAt,
      expiresAt: s.expiresAt,
      userAgent: s.userAgent,
      current: s.id === p.sessionId,
    }));
  }

  async revokeSession(p: Principal, id: string): Promise<void> {
    const ended = await deleteSessionsOf(this.q, p.orgId, p.memberId, { onlyId: id });
    if (ended.length === 0) throw new ApiError('not_found', 'no such session');
    await this.service.forgetPrincipals(p.orgId, ended);
  }

  /** The member's language for their e-mail (their preference; English without one). */
  private async words(orgId: string, memberId: string) {
    const kept = await findMemberLocale(this.q, orgId, memberId);
    return translator(isLocale(kept) ? kept : defaultLocale);
  }

  private link(path: string, token: string): string {
    return `${this.options.publicUrl.replace(/\/$/, '')}/${path}/${token}`;
  }

  /**
   * "I forgot my password": with a relay, a link is e-mailed to the account's address if there is one (the answer
   * is the same either way, so it tells nobody which addresses have accounts). Without a relay nothing is sent:
   * the answer says to ask one's council.
   */
  async requestReset(emailInput: string, client: Client): Promise<{ byEmail: boolean }> {
    const mail = this.options.mail;
    if (!mail) return { byEmail: false };
    const email = normaliseEmail(emailInput);
    const wait = await this.addresses.take(client.address);
    if (wait > 0) throw new SignInThrottled(wait, this.service.clock.now(), true);
    const account = await findAccountByEmail(this.q, email);
    if (!account) return { byEmail: true };
    const token = secretToken();
    const tr = await this.words(account.orgId, account.memberId);
    await this.q.transaction().execute(async (trx) => {
      await this.storeReset(trx, token, account, 'email', null);
      await mail.enqueue(trx, {
        orgId: account.orgId,
        memberId: account.memberId,
        kind: 'password_reset',
        to: account.email,
        subject: tr.t('mailResetSubject'),
        text: tr.t('mailResetText', { minutes: resetMinutes.email, link: this.link('reset', token) }),
      });
    });
    return { byEmail: true };
  }

  private async storeReset(
    q: Q,
    token: string,
    a: { orgId: string; memberId: string },
    via: 'email' | 'council',
    requestId: string | null,
  ): Promise<void> {
    await retirePasswordResets(q, a.orgId, a.memberId, this.now());
    await insertPasswordReset(q, hashSecret(token), {
      orgId: a.orgId,
      memberId: a.memberId,
      via,
      requestId,
      createdAt: this.now(),
      expiresAt: this.later(resetMinutes[via]),
      usedAt: null,
    });
  }

  /**
   * Approves a request; when the approval carries out a `reset_password` act, a link is issued in the same
   * transaction and returned to the approver whose approval completed it, to hand over in person.
   */
  async approve(p: Principal, requestId: string, signature: string) {
    const pending = (await this.service.ledger(p.orgId).current()).power.requests.get(requestId);
    const resets = pending?.kind === 'reset_password' ? (pending.content.memberId as string) : undefined;
    let token: string | undefined;
    const entries = await this.service.run(
      p.orgId,
      p.memberId,
      { type: 'approve_request', requestId, signature },
      {
        write: async (trx, written) => {
          token = undefined;
          if (!resets || !written.some((e) => e.act === 'privileged_act_done')) return;
          token = secretToken();
          await this.storeReset(trx, token, { orgId: p.orgId, memberId: resets }, 'council', requestId);
        },
      },
    );
    return { entries, resetLink: token && this.link('reset', token) };
  }

  /** What a reset link is for (the page shows whose account before asking for the new password). */
  async resetInfo(token: string) {
    const r = await this.liveReset(hashSecret(token));
    return { expiresAt: r.expiresAt, via: r.via, name: (await this.memberName(r.orgId, r.memberId)) ?? null };
  }

  private async liveReset(hash: string) {
    const r = await findPasswordReset(this.q, hash);
    if (!r) throw new ApiError('not_found', 'no such link');
    if (r.usedAt !== null) throw new ApiError('link_used');
    if (r.expiresAt <= this.now()) throw new ApiError('link_expired');
    return r;
  }

  /**
   * Sets a new password by a reset link, once. Every session, API token and known device of the account ends
   * (whoever had the account may have made them), and the throttle forgets the address's failures.
   */
  async resetPassword(token: string, password: string): Promise<void> {
    const hash = hashSecret(token);
    const r = await this.liveReset(hash);
    const a = await findAccount(this.q, r.orgId, r.memberId);
    if (!a) throw new ApiError('not_found', 'no such link');
    const name = await this.memberName(r.orgId, r.memberId);
    checkPassword(password, { email: a.email, ...(name ? { name } : {}) });
    const passwordHash = await this.service.passwords.hash(password);
    const ended = await this.q.transaction().execute(async (trx) => {
      if (!(await markLinkUsed(trx, 'password_resets', hash, this.now()))) throw new ApiError('link_used');
      await updatePasswordHash(trx, r.orgId, r.memberId, passwordHash);
      await forgetDevicesOf(trx, r.orgId, r.memberId);
      await clearSignInFailures(trx, a.email);
      return {
        sessions: await deleteSessionsOf(trx, r.orgId, r.memberId),
        tokens: await revokeApiTokensOf(trx, r.orgId, r.memberId, this.now()),
      };
    });
    await this.service.forgetPrincipals(r.orgId, ended.sessions, ended.tokens);
  }
}
