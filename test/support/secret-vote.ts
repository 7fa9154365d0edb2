// A secret vote over the in-process API with the trustees' devices as library calls (docs/BALLOT-PROTOCOL.md §10):
// move a secret motion and open its vote, then run the key generation (every trustee commits, then deals shares).
import { randomBytes } from 'node:crypto';
import * as ballot from '../../src/ballot/index.ts';
import type { ApiClient } from './api-client.ts';

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
