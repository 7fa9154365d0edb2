// A secret vote over the in-process API with the trustees' devices as library calls (docs/BALLOT-PROTOCOL.md §10):
// move a secret motion and open its vote, then run the key generation (every trustee commits, then deals shares).
import { randomBytes } from 'node:crypto';
import * as ballot from '../../src/ballot/index.ts';
import type { ApiClient } from './api-client.ts';
import type { CouncilsService } from '../../src/server/service.ts';
import { freezeWhenReady, issueCredential, listSignedCredential } from '../../src/server/secret-votes.ts';

const rnd = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

export interface OpenedSecretVote {
  motionId: string;
  voteId: string;
  /** `/orgs/:org/votes/:vote/secret` */
  path: string;
  setup: ballot.SetupBody;
}

/** `mover` moves a secret motion in `council` with `trustees` (k of them decrypt) and opens its vote. */
export async function openSecretVote(
  mover: ApiClient,
  org: string,
  council: string,
  trustees: ApiClient[],
  k: number,
  times: { registrationMinutes: number; minutes: number },
): Promise<OpenedSecretVote> {
  const { motionId } = await mover.ok<{ motionId: string }>(
    'POST',
    `/orgs/${org}/councils/${council}/motions`,
    {
      title: 'Secret',
      text: '',
      secret: {
        trustees: trustees.map((t) => t.memberId!),
        threshold: k,
        registrationMinutes: times.registrationMinutes,
      },
    },
  );
  await mover.ok('POST', `/orgs/${org}/motions/${motionId}/vote`, { minutes: times.minutes });
  const { voteId } = await mover.ok<{ voteId: string }>('GET', `/orgs/${org}/motions/${motionId}`);
  const path = `/orgs/${org}/votes/${voteId}/secret`;
  const view = await mover.ok<{ board: ballot.BoardEntry[] }>('GET', path);
  return { motionId, voteId, path, setup: view.board[0]!.body as ballot.SetupBody };
}

/**
 * The key generation, every trustee honest: each commits, then each deals shares. Returns each trustee's secret
 * (its polynomial and communication key) and the commit messages, which its partial decryption needs later.
 */
export async function runKeyGeneration(
  g: ballot.Group,
  vote: OpenedSecretVote,
  trustees: ApiClient[],
): Promise<{ secrets: ballot.TrusteeSecret[] }> {
  const round1 = trustees.map((_, i) => ballot.dkgCommit(g, vote.setup, i + 1, rnd));
  for (const [i, r] of round1.entries())
    await trustees[i]!.ok('POST', `${vote.path}/trustee`, { kind: 'dkg-commit', body: r.message });
  const commits = round1.map((r) => r.message);
  for (const [i, r] of round1.entries()) {
    const body = ballot.dkgShares(g, vote.setup, r.secret, commits, rnd);
    await trustees[i]!.ok('POST', `${vote.path}/trustee`, { kind: 'dkg-shares', body });
  }
  return { secrets: round1.map((r) => r.secret) };
}

/**
 * A secret vote of council `all` ready for casting, through the service's commands (no HTTP), in an organisation
 * founded with test/support/factory.ts's instant procedure: moved and opened by members[0],
 * DKG by members[0..4] (3 decrypt), every member issued a credential by blind signature and listed, the list frozen.
 * Returns the credentials' secrets in members' order.
 */
export async function readySecretVote(
  service: CouncilsService,
  orgId: string,
  members: string[],
  title: string,
): Promise<{ voteId: string; election: ballot.Election; secrets: string[] }> {
  const g = await ballot.sodiumGroup();
  const run = (actor: string | null, c: Parameters<CouncilsService['run']>[2]) =>
    service.run(orgId, actor, c);
  const moved = await run(members[0]!, {
    type: 'move_motion',
    councilId: 'all',
    title,
    text: '',
    secret: { trustees: members.slice(0, 5), threshold: 3, registrationMinutes: 30 },
  });
  const motionId = (moved[0]!.payload as { motionId: string }).motionId;
  const opened = await run(members[0]!, { type: 'open_vote', motionId, minutes: 60 });
  const voteId = (opened[0]!.payload as { voteId: string }).voteId;
  const sv = () =>
    service
      .ledger(orgId)
      .current()
      .then((s) => s.votes.get(voteId)!.secret!);
  const setup = (await sv()).setup;
  const r1 = members.slice(0, 5).map((_, i) => ballot.dkgCommit(g, setup, i + 1, rnd));
  for (const [i, r] of r1.entries())
    await run(members[i]!, {
      type: 'post_trustee_message',
      voteId,
      message: { kind: 'dkg-commit', body: r.message },
    });
  for (const [i, r] of r1.entries()) {
    const body = ballot.dkgShares(
      g,
      setup,
      r.secret,
      r1.map((x) => x.message),
      rnd,
    );
    await run(members[i]!, { type: 'post_trustee_message', voteId, message: { kind: 'dkg-shares', body } });
  }
  // every member is issued a credential by blind signature and lists it (docs/BALLOT-PROTOCOL.md §4.1)
  const creds = members.map(() => ballot.makeCredential(g, rnd));
  const key = setup.issuers![0]!;
  for (const [i, c] of creds.entries()) {
    const req = ballot.requestToken(key, setup.setupHash, c.public, rnd);
    const { blindSignature } = await issueCredential(service, orgId, voteId, members[i]!, req.blindedMessage);
    const signed = ballot.finishToken(key, setup.setupHash, c.public, blindSignature, req.inv)!;
    await listSignedCredential(service, orgId, voteId, signed);
  }
  await freezeWhenReady(service, orgId, voteId);
  const election = (await sv()).election;
  if (!election) throw new Error('the list did not freeze');
  return { voteId, election, secrets: creds.map((c) => c.secret) };
}
