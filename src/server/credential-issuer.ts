// The organisation's credential issuer for secret votes (docs/BALLOT-PROTOCOL.md §4.1): makes the RSA issuing
// keys when a secret vote opens (one per weight class; the public halves go into the setup entry, the private
// halves into a private table, never into the log) and performs RFC 9474 §4.3 BlindSign with node:crypto's raw
// private-key operation (OpenSSL's RSA blinding guards it against timing attacks), checked before it is returned.
import { constants, generateKeyPair, privateDecrypt } from 'node:crypto';
import { promisify } from 'node:util';
import * as ballot from '../ballot/index.ts';
import type { Command, OrgState } from '../core/index.ts';
import { weightClasses } from '../core/secret/decide.ts';
import { electorateAt } from '../core/votes/decide.ts';
import {
  dropIssuerKey,
  dropListings,
  issuanceSpent,
  issuerKeyId,
  issuerKeyIds,
  issuerPrivateKey,
  keepIssuerKey,
  orgsWithIssuance,
  votesWithListings,
} from '../store/secret-credentials.ts';
import type { Db } from '../store/database.ts';
import type { SideWrites } from '../store/ledger.ts';
import { ApiError, invalidRequest } from './errors.ts';

const generate = promisify(generateKeyPair);
export const ISSUER_MODULUS_BITS = 2048;

async function makeIssuerKey(weight: number): Promise<{ key: ballot.IssuerKey; pem: string }> {
  const { publicKey, privateKey } = await generate('rsa', {
    modulusLength: ISSUER_MODULUS_BITS,
    publicExponent: 65537,
  });
  const jwk = publicKey.export({ format: 'jwk' });
  const hex = (s: string | undefined): string => Buffer.from(s!, 'base64url').toString('hex');
  const key = { weight, n: hex(jwk.n), e: hex(jwk.e) };
  return { key, pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
}

/**
 * An open_vote on a secret motion gets fresh issuing keys, one per weight class of the electorate it will freeze.
 * Returns the command to run and the side write that keeps the private halves in the transaction that opens the
 * vote: a crash leaves a vote with its keys or neither (no private key of a vote that never opened).
 */
export async function withIssuerKeys(
  orgId: string,
  state: { motions: Map<string, { councilId: string; decision: { secret?: unknown } }> },
  command: Command,
  now: string,
): Promise<{ command: Command; sides?: SideWrites }> {
  if (command.type !== 'open_vote' || command.issuers !== undefined) return { command };
  const motion = state.motions.get(command.motionId);
  if (!motion?.decision.secret) return { command };
  const weights = weightClasses(electorateAt(state as never, motion.councilId, now));
  const made: { key: ballot.IssuerKey; pem: string }[] = [];
  for (const w of weights) made.push(await makeIssuerKey(w));
  return {
    command: { ...command, issuers: made.map((m) => m.key) },
    sides: {
      write: async (trx) => {
        for (const m of made)
          await keepIssuerKey(trx, { keyId: issuerKeyId(m.key), orgId, privateKey: m.pem });
      },
    },
  };
}

/** RFC 9474 §4.3 BlindSign of a blinded message under the issuing key of this weight. */
export async function blindSign(
  db: Db,
  orgId: string,
  key: ballot.IssuerKey,
  blindedMessage: string,
): Promise<string> {
  const pk = ballot.issuerPublicKey(key);
  const len = Math.ceil(pk.n.toString(2).length / 8);
  if (!/^[0-9a-f]*$/.test(blindedMessage) || blindedMessage.length !== 2 * len) {
    throw invalidRequest('blinded_message_length', 'blindedMessage', { bytes: len });
  }
  const m = Buffer.from(blindedMessage, 'hex');
  if (BigInt('0x' + blindedMessage) >= pk.n) {
    throw invalidRequest('blinded_message_modulus', 'blindedMessage');
  }
  const pem = await issuerPrivateKey(db.kysely, orgId, issuerKeyId(key));
  if (pem === undefined) {
    // destroyed with the freeze or the end of the vote (or lost): nothing can be issued with it any more
    throw new ApiError(
      'wrong_state',
      'this vote’s issuing key has been destroyed: no credential can be issued',
    );
  }
  const s = new Uint8Array(privateDecrypt({ key: pem, padding: constants.RSA_NO_PADDING }, m));
  // §4.3 step 4: never hand out a faulty signature (it could reveal the key)
  if (!ballot.checkBlindSignature(pk, new Uint8Array(m), s))
    throw new Error('blind signature self-check failed');
  return ballot.toHex(s);
}

/**
 * Run once at start, before the routes and the scheduler: destroys what an earlier run left behind. The ledger
 * destroys a vote's issuing keys and listed credentials in the transaction that freezes its list or ends it; this
 * catches votes frozen or ended by a version that did not. A key that belongs to no vote yet is kept: with several
 * server processes on one PostgreSQL database it may be another process's, made for an `open_vote` not yet
 * committed. Returns how many keys and listed votes it destroyed.
 */
/** What destroySpentIssuance needs of the service (CouncilsService has it; typed here so neither imports the other). */
export interface IssuanceOwner {
  db: Db;
  ledger(orgId: string): { current(): Promise<OrgState> };
}

export async function destroySpentIssuance(service: IssuanceOwner): Promise<number> {
  let destroyed = 0;
  const db = service.db.kysely;
  for (const orgId of await orgsWithIssuance(db)) {
    const state = await service.ledger(orgId).current();
    const spent = new Set<string>();
    for (const v of state.votes.values())
      if (v.secret && issuanceSpent(v))
        for (const k of v.secret.setup.issuers ?? []) spent.add(issuerKeyId(k));
    for (const keyId of await issuerKeyIds(db, orgId)) {
      if (!spent.has(keyId)) continue;
      await dropIssuerKey(db, orgId, keyId);
      destroyed++;
    }
    for (const voteId of await votesWithListings(db, orgId)) {
      const vote = state.votes.get(voteId);
      if (!vote || !issuanceSpent(vote)) continue;
      await dropListings(db, orgId, voteId);
      destroyed++;
    }
  }
  return destroyed;
}
