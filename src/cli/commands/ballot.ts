// `councils ballot STEP`: a voter's part of a secret vote. The credential secret is made here and kept in a 0600
// file. Registering (docs/BALLOT-PROTOCOL.md §4.1): the public half is blinded and signed by the organisation with
// the token (it never sees the credential), then, after a random wait, listed with NO token, so the server cannot
// tie the credential to the member. Ballots are encrypted here and sent with no token either; the confirmation
// code is kept to check later that the ballot was counted.
import { randomBytes, randomInt } from 'node:crypto';
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
  register [--delay S]   make my credential on this machine (0600 file), have it blindly signed (with the
                         token), wait a random 0..S seconds (default 30), list it anonymously (no token)
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
      delay: { type: 'string' },
    },
  });
  const step = positionals[0];
  if (!step || !['register', 'cast', 'check'].includes(step)) throw new UsageError('give a step');
  const c = connection(values);
  const g = await ballot.sodiumGroup();
  if (step === 'register') return register(c, g, values.delay, io);
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

interface CredentialFile {
  secret: string;
  public: string;
  /** The unblinded signature once issued; listing can be retried with it. */
  signed?: ballot.SignedCredential;
}

async function register(
  c: ReturnType<typeof connection>,
  g: ballot.Group,
  delay: string | undefined,
  io: { out: (t: string) => void },
): Promise<number> {
  const maxDelay = delay === undefined ? 30 : Number(delay);
  if (!Number.isFinite(maxDelay) || maxDelay < 0) throw new UsageError('--delay: seconds, 0 or more');
  const cred: CredentialFile = readSecret<CredentialFile>(c, 'credential') ?? ballot.makeCredential(g, rnd);
  const file = writeSecret(c, 'credential', cred);
  if (!cred.signed) {
    const view = await readView(c);
    const setup = boardOf(view)[0]?.body as ballot.SetupBody | undefined;
    const issuers = setup?.issuers ?? [];
    if (!setup || issuers.length === 0) throw new Error('this vote issues no credentials');
    let key = issuers[0]!;
    if (issuers.length > 1) {
      const weight = (view as unknown as { viewerWeight: number | null }).viewerWeight;
      key = issuers.find((k) => k.weight === weight) ?? key;
    }
    const req = ballot.requestToken(key, setup.setupHash, cred.public, rnd);
    const r = await api<{ blindSignature: string }>(c, 'POST', `${votePath(c)}/issuance`, {
      blindedMessage: req.blindedMessage,
    });
    const signed = ballot.finishToken(key, setup.setupHash, cred.public, r.blindSignature, req.inv);
    if (!signed) throw new Error('the organisation’s blind signature does not verify: not listed');
    cred.signed = signed;
    writeSecret(c, 'credential', cred);
    io.out(`credential issued (blindly signed); secret kept in ${file}\n`);
  }
  const wait = maxDelay > 0 ? randomInt(0, Math.floor(maxDelay * 1000) + 1) : 0;
  if (wait > 0) {
    io.out(`listing it anonymously in ${Math.round(wait / 1000)} s\n`);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  const r = await api(c, 'POST', `${votePath(c)}/credentials`, cred.signed, true);
  io.out(
    `credential listed anonymously (${r.registered} of ${r.electors} electors${r.frozen ? '; list frozen' : ''})\n`,
  );
  return 0;
}
