// A process for kill tests (test/server/crash.test.ts, scripts/crash-run.ts): it does one act and says "ready" on
// standard output just before starting it, so the test can kill it with SIGKILL at a chosen moment of the act.
//   crash-child.ts init   DB FILE          `councils init FILE --db DB --json` (keys in $COUNCILS_KEY_DIR)
//   crash-child.ts accept DB TOKEN EMAIL   accepts an invitation
//   crash-child.ts open-vote DB ORG MEMBER MOTION   opens a secret motion's vote (its issuing keys are made)
import { main } from '../../src/cli/main.ts';
import { CouncilsService } from '../../src/server/service.ts';
import { openDatabase } from '../../src/store/database.ts';

const [mode, dbUrl, ...rest] = process.argv.slice(2);
const io = {
  out: (t: string) => void process.stdout.write(t),
  err: (t: string) => void process.stderr.write(t),
};

if (mode === 'init') {
  process.stdout.write('ready\n');
  process.exitCode = await main(['init', rest[0]!, '--db', dbUrl!, '--json'], io);
} else if (mode === 'accept') {
  const db = await openDatabase(dbUrl!);
  // At the default argon2id cost, not the tests' cheap one (test/support/password-cost.ts): the hash is most of
  // the act, so the kills, 0–150 ms after "ready", fall inside it as they always did.
  const service = new CouncilsService(db, undefined, { keyDir: process.env.COUNCILS_KEY_DIR! });
  process.stdout.write('ready\n');
  try {
    await service.acceptInvitation(rest[0]!, { email: rest[1]!, password: 'correct horse battery' });
    process.stdout.write('done\n');
  } finally {
    await db.close();
  }
} else if (mode === 'open-vote') {
  const db = await openDatabase(dbUrl!);
  const service = new CouncilsService(db, undefined, { keyDir: process.env.COUNCILS_KEY_DIR! });
  const [orgId, memberId, motionId] = rest as [string, string, string];
  await service.ledger(orgId).current();
  process.stdout.write('ready\n');
  try {
    await service.run(orgId, memberId, { type: 'open_vote', motionId });
    process.stdout.write('done\n');
  } finally {
    await db.close();
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
