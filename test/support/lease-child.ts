// A process that takes one organisation's scheduler lease and then only waits (test/store/leases.test.ts): the
// test stops it with SIGSTOP, which keeps its socket open but silent, as a vanished host or a hung process would.
//   lease-child.ts DB ORG SILENCE_MS   prints "held" once it holds the lease
import { openDatabase } from '../../src/store/database.ts';
import { SchedulerLeases } from '../../src/store/leases.ts';

const [url, orgId, silence] = process.argv.slice(2) as [string, string, string];
const db = await openDatabase(url);
const leases = new SchedulerLeases(db, 'silent holder', Number(silence));
if ((await leases.leased([orgId])).length !== 1) throw new Error('the lease is held by another');
process.stdout.write('held\n');
setInterval(() => undefined, 60_000);
