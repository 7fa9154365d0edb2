// Electors of a secret vote played in node, for browser tests whose subject is elsewhere (the trustees, the booth):
// a credential issued with the member's session and listed anonymously, and a ballot cast anonymously, over HTTP.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { finishToken, requestToken, type BallotBody, type SetupBody } from '../../src/ballot/index.ts';
import type { Api, WebFixture } from './harness.ts';

const rnd = (n: number) => new Uint8Array(randomBytes(n));

async function anonymousPost(f: WebFixture, path: string, body: unknown): Promise<any> {
  const res = await fetch(`${f.url}/api/v1/orgs/${f.orgId}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return res.json();
}

/** `who` is issued a blind signature on `credential` (the public part) and lists it without a session. */
export async function registerInNode(
  f: WebFixture,
  who: Api,
  secret: string,
  setup: SetupBody,
  credential: string,
): Promise<{ frozen: boolean }> {
  const key = setup.issuers![0]!;
  const req = requestToken(key, setup.setupHash, credential, rnd);
  const { blindSignature } = await who.post(`${secret}/issuance`, { blindedMessage: req.blindedMessage });
  const signed = finishToken(key, setup.setupHash, credential, blindSignature, req.inv);
  return anonymousPost(f, `${secret}/credentials`, signed);
}

/** Casts a ballot without a session. */
export const castInNode = (f: WebFixture, secret: string, ballot: BallotBody) =>
  anonymousPost(f, `${secret}/ballots`, { ballot });
