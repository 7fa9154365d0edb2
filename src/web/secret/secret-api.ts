// The secret-ballot routes of the API, in one place (docs/WEB.md "Secret votes"): the board of a vote (the log's
// board_posted entries of it), registering a public credential, casting an encrypted ballot, publishing a
// challenged (spoiled) one. Ballots are sent with the session like any write; the ballot itself names only the
// public credential.
import { api } from '../api.ts';
import type { BallotBody } from '../../ballot/ballot.ts';
import type { BoardEntry } from '../../ballot/board.ts';
import type { SpoiledBody } from '../../ballot/challenge.ts';

const votePath = (orgId: string, voteId: string) =>
  `/orgs/${encodeURIComponent(orgId)}/votes/${encodeURIComponent(voteId)}`;

export interface BoardView {
  board: BoardEntry[];
  registrationEnds?: string;
}

export const secretApi = {
  board: (orgId: string, voteId: string) => api.get<BoardView>(`${votePath(orgId, voteId)}/board`),
  register: (orgId: string, voteId: string, credential: string) =>
    api.post(`${votePath(orgId, voteId)}/credentials`, { credential }),
  cast: (orgId: string, voteId: string, ballot: BallotBody) =>
    api.post(`${votePath(orgId, voteId)}/secret-ballots`, { ballot }),
  spoil: (orgId: string, voteId: string, spoiled: SpoiledBody) =>
    api.post(`${votePath(orgId, voteId)}/spoiled`, { spoiled }),
};
