// `councils ballot STEP`: a voter's part of a secret vote. The credential secret is made here and kept in a 0600
// file; only its public half is registered. Ballots are encrypted here and sent with no token, so the server
// cannot tie them to the member; the confirmation code is kept to check later that the ballot was counted.
import { randomBytes } from 'node:crypto';
import * as ballot from '../../ballot/index.ts';
import { UsageError, type Command } from '../command.ts';
import {
  api,
  boardOf,
  connection,
  connectionOptions,
  connectionUsage,
  parseArgs,
  readSecret,
  readView,
  votePath,
  writeSecret,
} from './secret-client.ts';

export const ballotUsage = `usage: councils ballot register|cast|check [options]
  register               make my credential on this machine (0600 file) and register its public half
  cast --choice OPTION   encrypt and cast (single choice: an option id, "against" or "abstain")
       --approve A,B     approval: the options approved
       --score A=3,B=1   score: a score per option
       --challenge       first challenge a ballot (it is opened and published as spoiled), then cast a new one
  check [--code CODE]    is my ballot (default: the last one cast here) on the board and counted?
${connectionUsage}`;

const rnd = (n: number) => new Uint8Array(randomBytes(n));

function choicesOf(options: string[], optionMax: number, v: Record<string, unknown>): number[][] {
  const row = options.map(() => 0);
  const index = (o: string) => {
    const i = options.indexOf(o);
    if (i < 0) throw new UsageError(`unknown option "${o}": one of ${options.join(', ')}`);
    return i;
  };
  if (typeof v.choice === 'string') row[index(v.choice)] = 1;
  else if (typeof v.approve === 'string')
    for (const o of v.approve.split(',').filter(Boolean)) row[index(o)] = 1;
  else if (typeof v.score === 'string') {
    for (const pair of v.score.split(',').filter(Boolean)) {
      const [o, s] = pair.split('=');
      const n = Number(s);
      if (!Number.isInteger(n) || n < 0 || n > optionMax)
        throw new UsageError(`score must be 0..${optionMax}`);
      row[index(o!)] = n;
    }
  } else throw new UsageError('give --choice, --approve or --score');
  return [row];
}

export const ballotCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...connectionOptions,
      choice: { type: 'string' },
      approve: { type: 'string' },
      score: { type: 'string' },
      challenge: { type: 'boolean' },
      code: { type: 'string' },
    },
  });
  const step = positionals[0];
  if (!step || !['register', 'cast', 'check'].includes(step)) throw new UsageError('give a step');
  const c = connection(values);
  const g = await ballot.sodiumGroup();
  if (step === 'register') {
    const existing = readSecret<{ secret: string; public: string }>(c, 'credential');
    const cred = existing ?? ballot.makeCredential(g, rnd);
    const file = writeSecret(c, 'credential', cred);
    const r = await api(c, 'POST', `${votePath(c)}/credential`, { credential: cred.public });
    io.out(
      `credential registered (${r.registered} of ${r.electors} electors${r.frozen ? '; list frozen' : ''}); secret kept in ${file}\n`,
    );
    return 0;
  }
  if (step === 'check') {
    const code = values.code ?? readSecret<{ codes: string[] }>(c, 'receipts')?.codes.at(-1);
    if (!code) throw new UsageError('give --code (no ballot was cast from here)');
    const r = await api(c, 'GET', `${votePath(c)}/receipts/${code}`);
    io.out(
      `${code}: ${r.status}${r.seq !== undefined ? ` (log entry ${r.seq})` : ''}${r.tallied ? ', in the published tally' : ''}${r.reason ? `: ${r.reason}` : ''}\n`,
    );
    return r.status === 'counted' ? 0 : 1;
  }
  const cred = readSecret<{ secret: string; public: string }>(c, 'credential');
  if (!cred) throw new Error('no credential here: run "councils ballot register" first');
  const view = await readView(c);
  const election = ballot.electionFromBoard(g, boardOf(view));
  if (!election) throw new Error(`voting is not open (phase ${view.phase}) or its setup does not verify`);
  const contest = election.setup.manifest.contests[0]!;
  const choices = choicesOf(contest.options, contest.optionMax, values);
  if (values.challenge) {
    const { ballot: b, ballotNonce } = ballot.encryptBallot(g, election, cred.secret, choices, rnd);
    const spoiled = ballot.spoilBallot(g, election, b, ballotNonce);
    await api(c, 'POST', `${votePath(c)}/spoiled`, { spoiled }, true);
    io.out(
      `challenged ballot ${b.code} opens to ${JSON.stringify(spoiled.plaintext[0])}: published as spoiled\n`,
    );
  }
  const { ballot: b } = ballot.encryptBallot(g, election, cred.secret, choices, rnd);
  const r = await api(c, 'POST', `${votePath(c)}/ballots`, { ballot: b }, true);
  const codes = readSecret<{ codes: string[] }>(c, 'receipts')?.codes ?? [];
  writeSecret(c, 'receipts', { codes: [...codes, b.code] });
  io.out(`cast: confirmation code ${b.code} (log entry ${r.seq})\n`);
  return 0;
};
