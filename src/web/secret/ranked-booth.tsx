// The booth of a secret ranked vote (docs/MIXNET.md §6–§7): the voter ranks the candidates or alternatives by
// keyboard, buttons or drag (RankList, the ARIA sortable-list pattern), leaving out whom they like; the Web Worker
// encrypts the ranking (encryptRanking) and the voter casts it or challenges it — a challenged ballot is opened by
// its nonce in the worker (spoilRanked, checked with verifySpoiledRanked) and the ranking it held is shown and
// published as spoiled. The ranking itself never leaves the browser: only ciphertexts, and a challenged ballot's
// opening, which never counts.
import { useState } from 'react';
import type { BoardEntry } from '../../ballot/board.ts';
import type { CredentialListSummary } from '../../ballot/election.ts';
import type { RankedBallotBody } from '../../ballot/mixnet/index.ts';
import { ActionForm } from '../components/form.tsx';
import { RankList } from '../components/rank-list.tsx';
import { optionLabel } from '../names.ts';
import { t } from '../strings.ts';
import type { Motion, Vote } from '../types.ts';
import { ballotRequest } from './ballot-client.ts';
import { SealedBallot, useBooth } from './booth.tsx';
import { secretApi } from './secret-api.ts';

/** A ranking as the booth shows it: an ordered list, or "blank". */
function RankingList(p: { ranking: string[][]; label(id: string): string; className?: string }) {
  if (p.ranking.length === 0) return <p className={p.className}>{t('blankRanking')}</p>;
  return (
    <ol className={p.className}>
      {p.ranking.map((group) => (
        <li key={group.join(' ')}>{group.map(p.label).join(' = ')}</li>
      ))}
    </ol>
  );
}

export function RankedBallotForm(p: {
  orgId: string;
  me: string;
  motion: Motion;
  /** The manifest's options, in rank-vector order. */
  candidates: string[];
  credentialSecret: string;
  reloadBoard(): Promise<{ board: BoardEntry[]; list?: CredentialListSummary }>;
  onCast(): void;
}) {
  const vote = p.motion.vote as Vote;
  const label = (id: string) => optionLabel(p.motion, id);
  // Nobody is ranked until the voter ranks them: a ballot in the list's order would be a vote nobody chose.
  const [ranked, setRanked] = useState<string[]>([]);
  const [unranked, setUnranked] = useState<string[]>(p.candidates);
  const booth = useBooth<RankedBallotBody, string[][]>({
    ...p,
    encrypt: async () => {
      const ranking = ranked.map((id) => [id]);
      const r = await ballotRequest({
        op: 'ranked-encrypt',
        ...(await p.reloadBoard()),
        credentialSecret: p.credentialSecret,
        ranking,
      });
      const summary = (
        <>
          <p>{t('yourRanking')}</p>
          <RankingList ranking={ranking} label={label} className="sealed-ranking" />
        </>
      );
      return { ballot: r.ballot, ballotNonce: r.ballotNonce, code: r.code, summary };
    },
    cast: (ballot) => secretApi.castRanked(p.orgId, vote.id, ballot),
    challenge: async (ballot, ballotNonce) => {
      const r = await ballotRequest({ op: 'ranked-spoil', ...(await p.reloadBoard()), ballot, ballotNonce });
      await secretApi.spoil(p.orgId, vote.id, r.spoiled);
      return r.spoiled.ranking;
    },
  });
  if (booth.state.step !== 'fill')
    return (
      <SealedBallot
        booth={{ ...booth, state: booth.state }}
        opened={(ranking) => <RankingList ranking={ranking} label={label} className="opened" />}
      />
    );
  return (
    <ActionForm
      label={t('vote')}
      submit={t('encryptBallot')}
      action={booth.action}
      fields={[]}
      onSubmit={booth.encrypt}
      className="form ballot"
    >
      <p className="hint">{t('rankedBoothHelp')}</p>
      <RankList
        ranked={ranked}
        unranked={unranked}
        label={label}
        onChange={(r, u) => {
          setRanked(r);
          setUnranked(u);
        }}
      />
    </ActionForm>
  );
}
