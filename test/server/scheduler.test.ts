// The scheduler's pass (src/server/scheduler.ts) on SQLite and PostgreSQL: one step whose transaction the database
// refuses does not keep the organisation's other due acts from being recorded in the same pass, and the failure is
// reported (runDueActs rejects with it; a running scheduler hands it to its onError and carries on). The refusal is
// real, no mock: a trigger the test installs refuses the insert of `vote_closed` into the log, so the first step
// of the pass (closing the votes whose time is up) fails, and the later ones (expiring a petition and a request,
// ending a term) must still run.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Entry } from '../../src/core/index.ts';
import { runDueActs, startScheduler } from '../../src/server/scheduler.ts';
import { readEntries } from '../../src/store/log-repository.ts';
import { apiOrg, electViaApi, type ApiOrg } from '../support/api-org.ts';
import { testDatabases } from '../support/databases.ts';

const refusal = 'closing refused by the test';

async function refuseClosings(o: ApiOrg): Promise<() => Promise<void>> {
  const db = o.db.kysely;
  if (o.db.dialect === 'sqlite') {
    await sql`CREATE TRIGGER refuse_closing BEFORE INSERT ON log_entries WHEN NEW.act = 'vote_closed'
      BEGIN SELECT RAISE(ABORT, ${sql.lit(refusal)}); END`.execute(db);
    return async () => void (await sql`DROP TRIGGER refuse_closing`.execute(db));
  }
  await sql`CREATE FUNCTION refuse_closing() RETURNS trigger LANGUAGE plpgsql AS
    $$ BEGIN RAISE EXCEPTION ${sql.lit(refusal)}; END $$`.execute(db);
  await sql`CREATE TRIGGER refuse_closing BEFORE INSERT ON log_entries FOR EACH ROW
    WHEN (NEW.act = 'vote_closed') EXECUTE FUNCTION refuse_closing()`.execute(db);
  return async () => {
    await sql`DROP TRIGGER refuse_closing ON log_entries`.execute(db);
    await sql`DROP FUNCTION refuse_closing()`.execute(db);
  };
}

/**
 * North (ana, ben, cai) with ana its deputy; a vote open for an hour, a petition nobody signs (30 days), a request
 * nobody approves (14 days); then the clock past all of them and past ana's term.
 */
async function everythingDue(o: ApiOrg): Promise<{ voteId: string; mandateId: string }> {
  const mandateId = await electViaApi(o, 'north', 'ana', ['ana', 'ben', 'cai']);
  const ledger = o.service.ledger(o.orgId);
  const [ana, ben, cai] = (['ana', 'ben', 'cai'] as const).map((p) => o.people[p]!.memberId!);
  const must = async (command: Parameters<typeof ledger.execute>[0], actor: string) => {
    const r = await ledger.execute(command, actor);
    assert.ok(r.ok, JSON.stringify(r));
    return r.entries;
  };
  const moved = await must({ type: 'move_motion', councilId: 'north', title: 'A rota', text: '' }, ana!);
  const motionId = (moved[0] as Extract<Entry, { act: 'motion_moved' }>).payload.motionId;
  const opened = await must({ type: 'open_vote', motionId, minutes: 60 }, ana!);
  const voteId = opened.find((e) => e.act === 'vote_opened')!.payload.voteId as string;
  await must({ type: 'open_petition', kind: 'agenda', councilId: 'north', title: 'Nights', text: '' }, ben!);
  await must({ type: 'request_act', kind: 'expel_member', content: { memberId: cai, reason: 'x' } }, ben!);
  const termEnds = (await ledger.current()).mandates.get(mandateId)!.termEnds;
  o.clock.t = Math.max(Date.parse(termEnds), o.clock.t + 31 * 24 * 60 * 60_000);
  return { voteId, mandateId };
}

async function acts(o: ApiOrg): Promise<string[]> {
  const out: string[] = [];
  for await (const e of readEntries(o.db.kysely, o.orgId)) {
    if (e.actor === null && e.seq > 0)
      out.push(e.act === 'mandate_ended' ? `${e.act}:${e.payload.reason}` : e.act);
  }
  return out;
}

const recorded = (all: string[]) =>
  ['vote_closed', 'petition_expired', 'privileged_act_expired', 'mandate_ended:expired'].filter((a) =>
    all.includes(a),
  );

for (const database of testDatabases()) {
  describe(`the scheduler's pass on ${database.name}`, () => {
    test('a step the database refuses does not keep the others from running; the failure is reported', async () => {
      const o = await apiOrg(await database.open(), {
        power: { petitions: { threshold: { kind: 'absolute', count: 3 } } },
      });
      try {
        const { voteId } = await everythingDue(o);
        const before = (await acts(o)).length;
        const allow = await refuseClosings(o);
        await assert.rejects(runDueActs(o.service), (e: Error) => e.message.includes(refusal));
        assert.deepEqual(
          recorded((await acts(o)).slice(before)),
          ['petition_expired', 'privileged_act_expired', 'mandate_ended:expired'],
          'the steps after the refused one ran in the same pass',
        );
        assert.equal((await o.service.ledger(o.orgId).current()).votes.get(voteId)!.closedAt, null);

        // Refused again on the next pass, and the next, until the database takes it: then the vote closes.
        await assert.rejects(runDueActs(o.service), (e: Error) => e.message.includes(refusal));
        await allow();
        assert.equal(await runDueActs(o.service), 1);
        assert.deepEqual(recorded((await acts(o)).slice(before)), [
          'vote_closed',
          'petition_expired',
          'privileged_act_expired',
          'mandate_ended:expired',
        ]);
      } finally {
        await o.close();
      }
    });

    test('a running scheduler reports the failure to its onError and goes on to the other steps', async () => {
      const o = await apiOrg(await database.open(), {
        power: { petitions: { threshold: { kind: 'absolute', count: 3 } } },
      });
      try {
        await everythingDue(o);
        const before = (await acts(o)).length;
        const allow = await refuseClosings(o);
        const errors: unknown[] = [];
        let reported!: () => void;
        const first = new Promise<void>((resolve) => (reported = resolve));
        const stop = startScheduler(o.service, 20, (e) => {
          errors.push(e);
          reported();
        });
        // The loop's timer keeps no process alive (src/server/every.ts): this one does, and bounds the wait.
        let timeout: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            first,
            new Promise((_, reject) => {
              timeout = setTimeout(() => reject(new Error('no failure reported in 60 s')), 60_000);
            }),
          ]);
        } finally {
          clearTimeout(timeout);
          await stop();
        }
        assert.match(String(errors[0]), new RegExp(refusal));
        assert.deepEqual(recorded((await acts(o)).slice(before)), [
          'petition_expired',
          'privileged_act_expired',
          'mandate_ended:expired',
        ]);
        await allow();
      } finally {
        await o.close();
      }
    });
  });
}
