// A voter's device registering for a secret vote over the API (docs/BALLOT-PROTOCOL.md §4.1): make a credential,
// blind it, be issued a signature with the member's session, unblind, and list it with NO session.
import { randomBytes } from 'node:crypto';
import * as ballot from '../../src/ballot/index.ts';
import type { ApiClient } from './api-client.ts';

const rnd = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

export async function registerOverApi(
  g: ballot.Group,
  member: ApiClient,
  anonymous: ApiClient,
  path: string,
): Promise<{ credential: { secret: string; public: string }; signed: ballot.SignedCredential }> {
  const view = await member.ok<{ board: ballot.BoardEntry[]; viewerWeight: number | null }>('GET', path);
  const setup = view.board[0]!.body as ballot.SetupBody;
  const weight = view.viewerWeight ?? 1;
  const key = setup.issuers!.find((k) => k.weight === weight)!;
  const credential = ballot.makeCredential(g, rnd);
  const req = ballot.requestToken(key, setup.setupHash, credential.public, rnd);
  const { blindSignature } = await member.ok<{ blindSignature: string }>('POST', `${path}/issuance`, {
    blindedMessage: req.blindedMessage,
  });
  const signed = ballot.finishToken(key, setup.setupHash, credential.public, blindSignature, req.inv);
  if (!signed) throw new Error('the issuer’s blind signature does not finalize');
  await anonymous.ok('POST', `${path}/credentials`, signed);
  return { credential, signed };
}
