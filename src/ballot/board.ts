// The board: an ordered list of election artefacts (docs/BALLOT-PROTOCOL.md §7). In Councils each is an entry of
// the organisation's log; `at` is the entry's time in milliseconds.
import type { SetupBody } from './manifest.ts';
import type { DkgAccusationBody, DkgCommitBody, DkgSharesBody } from './dkg.ts';
import type { CredentialsBody } from './election.ts';
import type { BallotBody } from './ballot.ts';
import type { SpoiledBody } from './challenge.ts';
import type { PartialDecryptionBody, ResultBody } from './tally.ts';

export type BoardEntry =
  | { kind: 'setup'; at: number; body: SetupBody }
  | { kind: 'dkg-commit'; at: number; body: DkgCommitBody }
  | { kind: 'dkg-shares'; at: number; body: DkgSharesBody }
  | { kind: 'dkg-accusation'; at: number; body: DkgAccusationBody }
  | { kind: 'credentials'; at: number; body: CredentialsBody }
  | { kind: 'ballot'; at: number; body: BallotBody }
  | { kind: 'spoiled'; at: number; body: SpoiledBody }
  | { kind: 'partial-decryption'; at: number; body: PartialDecryptionBody }
  | { kind: 'result'; at: number; body: ResultBody };

export type Board = readonly BoardEntry[];

/** The phase of each kind; kinds must appear in non-decreasing phase order (check 1). */
export const PHASE: Record<BoardEntry['kind'], number> = {
  setup: 0,
  'dkg-commit': 1,
  'dkg-shares': 2,
  'dkg-accusation': 3,
  credentials: 4,
  ballot: 5,
  spoiled: 5,
  'partial-decryption': 6,
  result: 7,
};

interface BodyOf {
  setup: SetupBody;
  'dkg-commit': DkgCommitBody;
  'dkg-shares': DkgSharesBody;
  'dkg-accusation': DkgAccusationBody;
  credentials: CredentialsBody;
  ballot: BallotBody;
  spoiled: SpoiledBody;
  'partial-decryption': PartialDecryptionBody;
  result: ResultBody;
}

export function bodiesOf<K extends keyof BodyOf>(board: Board, kind: K): BodyOf[K][] {
  return board.filter((e) => e.kind === kind).map((e) => e.body as BodyOf[K]);
}
