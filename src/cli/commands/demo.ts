// `councils demo`: a ready-made organisation with some history, served at once, so a newcomer sees something.
// Its database is a separate file, made anew each time; every demo member's password is printed.
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Entry, Payloads } from '../../core/index.ts';
import type { CouncilsService } from '../../server/service.ts';
import { openDatabase } from '../../store/database.ts';
import { ownSqliteFile } from '../../store/owner-lock.ts';
import type { Command } from '../command.ts';
import { loadConfig } from '../../config.ts';
import { parsePort, startServer, waitForSignal } from './serve.ts';
import { parseOrganisationFile } from '../organisation-file.ts';

export const demoUsage = 'usage: councils demo [--port 3000] [--host 127.0.0.1] [--db ./data/demo.db]';
export const demoPassword = 'councils-demo';

const demoOrganisation = `
name: Riverside Cooperative Federation
# The demo's history is made in a moment, so its debates have no minimum; every other rule of the procedure is
# the default (docs/PROCEDURE.md): motions are seconded, the mover opens the vote, votes last at least two days.
constitution: { votingMinutes: 4320, procedure: { debateMinimumMinutes: 0 } }
council:
  id: federation
  name: Federation Council
  children:
    - id: bakery
      name: Bakery Workers
      seats: 1
      members: [Ana Petrova, Ben Okafor, Cai Lindqvist]
    - id: printshop
      name: Print Shop
      seats: 1
      members: [Dan Moreau, Eve Santos, Fay Nakamura]
`;

function find<A extends Entry['act']>(entries: Entry[], act: A): Payloads[A] {
  return entries.find((e) => e.act === act)!.payload as Payloads[A];
}

/** Founds the demo organisation with accounts and some history; returns who can sign in. */
export async function seedDemo(
  service: CouncilsService,
): Promise<{ orgId: string; accounts: { name: string; email: string }[] }> {
  const { orgId, invitations } = await service.foundWithInvitations(
    parseOrganisationFile(demoOrganisation, 'demo'),
  );
  const ids: Record<string, string> = {};
  const accounts = [];
  for (const inv of invitations) {
    const first = inv.name.split(' ')[0]!.toLowerCase();
    const email = `${first}@demo.councils.invalid`;
    const r = await service.acceptInvitation(inv.token, { email, password: demoPassword });
    ids[first] = r.memberId;
    accounts.push({ name: inv.name, email });
  }
  const run = (who: string, c: Parameters<CouncilsService['run']>[2]) => service.run(orgId, ids[who]!, c);
  // Each workplace elects its deputy.
  for (const [council, candidate, voters] of [
    ['bakery', 'ben', ['ana', 'ben', 'cai']],
    ['printshop', 'eve', ['dan', 'eve', 'fay']],
  ] as const) {
    const m = find(
      await run(voters[0], { type: 'call_election', councilId: council }),
      'motion_moved',
    ).motionId;
    await run(voters[1], { type: 'second_motion', motionId: m });
    await run(voters[0], {
      type: 'propose_alternative',
      motionId: m,
      title: candidate,
      text: '',
      candidateId: ids[candidate]!,
    });
    const v = find(await run(voters[0], { type: 'open_vote', motionId: m }), 'vote_opened').voteId;
    for (const voter of voters)
      await run(voter, { type: 'cast_ballot', voteId: v, ballot: { choice: 'a1' } });
  }
  // A decided motion with a minority statement.
  const hours = find(
    await run('ana', {
      type: 'move_motion',
      councilId: 'bakery',
      title: 'Night shifts',
      text: 'Who works the night ovens?',
      alternatives: [
        { title: 'Rotation', text: 'Everyone takes night shifts in turn, one week in four.' },
        {
          title: 'Volunteers with a premium',
          text: 'Night shifts are paid 30 % more and taken by volunteers.',
        },
      ],
    }),
    'motion_moved',
  ).motionId;
  await run('ben', { type: 'second_motion', motionId: hours });
  await run('ben', {
    type: 'post_comment',
    motionId: hours,
    stance: 'for',
    text: 'Rotation shares the burden fairly.',
  });
  await run('cai', {
    type: 'post_comment',
    motionId: hours,
    stance: 'against',
    text: 'Some of us have children at home.',
  });
  const hv = find(await run('ana', { type: 'open_vote', motionId: hours }), 'vote_opened').voteId;
  await run('ana', { type: 'cast_ballot', voteId: hv, ballot: { choice: 'a1' } });
  await run('ben', { type: 'cast_ballot', voteId: hv, ballot: { choice: 'a1' } });
  await run('cai', { type: 'cast_ballot', voteId: hv, ballot: { choice: 'a2' } });
  await run('cai', {
    type: 'attach_minority_statement',
    motionId: hours,
    text: 'A premium would have respected those who cannot work nights.',
  });
  // A motion in debate at the federation.
  const paper = find(
    await run('eve', {
      type: 'move_motion',
      councilId: 'federation',
      title: 'Buy paper together',
      text: 'Should the federation buy flour sacks and paper as one customer?',
      alternatives: [
        { title: 'Joint purchasing', text: 'One purchasing committee for all workplaces.' },
        { title: 'Each workplace buys', text: 'Keep purchasing in each workplace.' },
      ],
    }),
    'motion_moved',
  ).motionId;
  await run('ben', { type: 'second_motion', motionId: paper });
  await run('ben', {
    type: 'post_comment',
    motionId: paper,
    stance: 'for',
    text: 'Bulk prices are 12 % lower.',
  });
  return { orgId, accounts };
}

export const demoCommand: Command = async (args, io) => {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, host: { type: 'string' }, db: { type: 'string' } },
  });
  const path = values.db ?? './data/demo.db';
  const owner = ownSqliteFile(path); // before the files are cleared: never under a running demo
  for (const suffix of ['', '-wal', '-shm', '-keys']) rmSync(path + suffix, { force: true, recursive: true });
  const db = await openDatabase(path);
  const host = values.host ?? '127.0.0.1';
  const config = loadConfig();
  const server = await startServer({
    db,
    host,
    port: values.port === undefined ? (config.port ?? 3000) : parsePort(values.port, 3000),
    keyDir: `${path}-keys`,
    checkpoint: config.checkpoint,
    ...(config.passwordHash ? { passwordHash: config.passwordHash } : {}),
  });
  const { accounts } = await seedDemo(server.service);
  io.out(`Councils demo at ${server.url}\nSign in as any of these, with the password "${demoPassword}":\n`);
  for (const a of accounts) io.out(`  ${a.name.padEnd(16)} ${a.email}\n`);
  await waitForSignal(io, server);
  owner.release();
  return 0;
};
