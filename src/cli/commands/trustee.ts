// `councils trustee STEP`: a trustee's part of a secret vote, run on the trustee's own machine. The trustee secret
// (polynomial and communication key) and the key share stay in a 0600 file; only public messages are posted.
import { randomBytes } from 'node:crypto';
import * as ballot from '../../ballot/index.ts';
import { nativeRsaPssVerify } from '../../node/rsa-pss-native.ts';
import { UsageError, type Command } from '../command.ts';
import { verifiedMixList, type MixedNote } from './mixer.ts';
import {
  api,
  bodies,
  connection,
  connectionOptions,
  connectionUsage,
  parseArgs,
  readSecret,
  readView,
  votePath,
  writeSecret,
  type Connection,
  type SecretViewJson,
} from './secret-client.ts';

export const trusteeUsage = `usage: councils trustee commit|shares|check|decrypt [options]
  commit    make my polynomial and communication key (kept in a 0600 file), post the commitment hash
  shares    after every trustee has committed: post my coefficient commitments and encrypted shares
  check     after every trustee has dealt: decrypt and check my shares, post an accusation for each bad one
  decrypt   after voting closes: post my partial decryption of the tally, with its proof; in a ranked vote,
            once mixing is over, my decryption of every mixed ballot (the list checked here first)
${connectionUsage}`;

const rnd = (n: number) => new Uint8Array(randomBytes(n));

interface Saved {
  trustee: number;
  secret: ballot.TrusteeSecret;
  received?: Record<number, string>;
}

async function whoAmI(c: Connection, view: SecretViewJson): Promise<number> {
  const me = await api<{ member: { id: string } }>(c, 'GET', '/me');
  const t = view.trustees.find((x) => x.memberId === me.member.id);
  if (!t) throw new Error('you are not a trustee of this vote');
  return t.trustee;
}

const post = (c: Connection, kind: string, body: unknown) =>
  api(c, 'POST', `${votePath(c)}/trustee`, { kind, body });

export const trusteeCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: connectionOptions });
  const step = positionals[0];
  if (!step || !['commit', 'shares', 'check', 'decrypt'].includes(step)) throw new UsageError('give a step');
  const c = connection(values);
  const g = await ballot.sodiumGroup();
  const view = await readView(c);
  const setup = bodies(view, 'setup')[0]!;
  const saved = readSecret<Saved>(c, 'trustee');
  if (step === 'commit') {
    if (saved) throw new Error('already committed: the trustee secret exists');
    const i = await whoAmI(c, view);
    // a ranked vote made without the signed-shuffle rule would let the operator fill a mixer's slot (MIXNET §12)
    if (setup.manifest.ballot === 'ranked' && setup.manifest.shuffles !== 'signed')
      throw new Error(
        'this ranked vote does not require each shuffle to be signed by its mixer: nothing was made',
      );
    const { secret, message } = ballot.dkgCommit(g, setup, i, rnd);
    const file = writeSecret(c, 'trustee', { trustee: i, secret });
    await post(c, 'dkg-commit', message);
    io.out(`trustee ${i}: committed; secret kept in ${file}\n`);
    return 0;
  }
  if (!saved) throw new Error('no trustee secret here: run "councils trustee commit" first');
  const shares = bodies(view, 'dkg-shares');
  if (step === 'shares') {
    await post(c, 'dkg-shares', ballot.dkgShares(g, setup, saved.secret, bodies(view, 'dkg-commit'), rnd));
    io.out(`trustee ${saved.trustee}: shares dealt\n`);
    return 0;
  }
  if (step === 'check') {
    if (shares.length < setup.n) throw new Error(`${shares.length} of ${setup.n} trustees have dealt shares`);
    const { received, accusations } = ballot.dkgReceive(g, setup, saved.secret, shares, rnd);
    for (const a of accusations) await post(c, 'dkg-accusation', a);
    writeSecret(c, 'trustee', { ...saved, received });
    io.out(
      `trustee ${saved.trustee}: ${Object.keys(received).length} good shares` +
        (accusations.length ? `; accused ${accusations.map((a) => a.accused).join(', ')}` : '') +
        '\n',
    );
    return 0;
  }
  const key = ballot.dkgResult(g, setup, bodies(view, 'dkg-commit'), shares, bodies(view, 'dkg-accusation'));
  const received = saved.received ?? ballot.dkgReceive(g, setup, saved.secret, shares, rnd).received;
  if (view.ballotKind === 'ranked') {
    // a mixed vote: the last shuffle's output as this machine verifies the board, whatever the server says
    if (view.phase !== 'decryption') throw new Error(`nothing to decrypt yet (phase ${view.phase})`);
    const server = await api<{ stage: string; ciphertexts: ballot.MixList }>(
      c,
      'GET',
      `${votePath(c)}/mix/list`,
    );
    const { election, list, shuffles, waiting, shuffled } = await verifiedMixList(c, g);
    // this machine shuffled in its slot: the board must show that shuffle (signed by this trustee, which
    // verifiedMixList checked), not a skip or nothing (docs/MIXNET.md §12)
    const note = readSecret<MixedNote>(c, 'mixer');
    if (note && !shuffled.includes(note.slot))
      throw new Error(
        `you shuffled in slot ${note.slot} (${note.seqs.length > 0 ? `entries ${note.seqs.join(', ')}` : 'sent; the server never acknowledged it'}), but the board shows no shuffle of yours ` +
          'there: the list may not be the one you mixed, so nothing was decrypted. Compare the board with your ' +
          'note and tell the other trustees before anyone decrypts',
      );
    // an unmixed or partly mixed list may still link ballots to voters: decrypt only once every mixer has shuffled
    // or been skipped, and one at least has shuffled, as this machine reads the board (the web app does the same)
    if (shuffles === 0 || waiting.length > 0)
      throw new Error(
        shuffles === 0
          ? 'no mixer has shuffled: nothing was decrypted'
          : `mixers ${waiting.join(', ')} have not shuffled yet: nothing was decrypted`,
      );
    if (server.stage !== 'decrypt' || JSON.stringify(server.ciphertexts) !== JSON.stringify(list))
      throw new Error('the server’s list is not the last verified shuffle’s output: nothing was decrypted');
    const share = ballot.trusteeShare(g, saved.secret, received, key);
    const r = await post(c, 'mix-decryption', ballot.mixPartialDecrypt(g, election, share, list, rnd));
    io.out(
      `trustee ${saved.trustee}: decryption of ${list.length} mixed ballots posted (${(r as { acts: string[] }).acts.join(', ')})\n`,
    );
    return 0;
  }
  // decrypt: only the sum of the board's checked ballots, computed here, whatever the server calls the tally
  if (!view.aggregate) throw new Error(`nothing to decrypt yet (phase ${view.phase})`);
  const board = view.board.map(({ kind, at, body }) => ({ kind, at, body }) as ballot.BoardEntry);
  const { election, aggregate } = ballot.boardAggregate(g, board, nativeRsaPssVerify);
  if (JSON.stringify(aggregate.ciphertexts) !== JSON.stringify(view.aggregate.ciphertexts))
    throw new Error('the server’s tally is not the sum of the ballots on the board: nothing was decrypted');
  const share = ballot.trusteeShare(g, saved.secret, received, key);
  const pd = ballot.partialDecrypt(g, election, share, aggregate, rnd);
  const r = await post(c, 'partial-decryption', pd);
  io.out(
    `trustee ${saved.trustee}: partial decryption posted (${(r as { acts: string[] }).acts.join(', ')})\n`,
  );
  return 0;
};
