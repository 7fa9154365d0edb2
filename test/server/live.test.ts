// Live pages (docs/NOTIFICATIONS.md "Live pages"): the Server-Sent Events stream over real HTTP, on SQLite and
// PostgreSQL — one member's act reaches another's stream with ids and no content; a reconnect with Last-Event-ID
// is told what it missed; acts written by another process reach it; limits per member and per process; heartbeats;
// a revoked session's stream ends; headers that keep proxies from buffering.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { CouncilsService } from '../../src/server/service.ts';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';
import type { ApiClient } from '../support/api-client.ts';
import { testDatabases } from '../support/databases.ts';
import { SseStream } from '../support/sse-client.ts';

interface Changed {
  size: number;
  changes: { seq: number; act: string; councilId?: string; motionId?: string; voteId?: string }[];
}

async function listening(o: ApiOrg): Promise<string> {
  await o.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(o.app.server.address() as AddressInfo).port}/api/v1`;
}

const open = (base: string, org: string, who: ApiClient, more: Record<string, string> = {}) =>
  SseStream.open(`${base}/orgs/${org}/live`, { cookie: who.cookie!, ...more });

for (const database of testDatabases()) {
  describe(`live pages on ${database.name}`, () => {
    test("one member's act reaches another's stream: ids, no content; reconnect; another process's acts", async () => {
      const o = await apiOrg(await database.open(), undefined, { live: { pollMs: 20, heartbeatMs: 50 } });
      const streams: SseStream[] = [];
      try {
        const base = await listening(o);
        const { ana, ben } = o.people as Record<string, ApiClient>;
        const org = o.orgId;
        const s = await open(base, org, ana!);
        streams.push(s);
        assert.equal(s.status, 200);
        assert.equal(s.headers['content-type'], 'text/event-stream; charset=utf-8');
        assert.match(String(s.headers['cache-control']), /no-cache/);
        assert.match(String(s.headers['cache-control']), /no-transform/);
        assert.equal(s.headers['x-accel-buffering'], 'no');
        const ready = await s.next<{ size: number }>('ready');
        assert.equal(ready.id, String(ready.data.size));

        // Ben moves a motion: Ana's stream names it and its council, and nothing of its words.
        const title = 'A secret-sounding title';
        const { motionId } = await ben!.ok<{ motionId: string }>(
          'POST',
          `/orgs/${org}/councils/north/motions`,
          {
            title,
            text: 'Words only the API gives.',
          },
        );
        const moved = await s.next<Changed>('change', (d) => d.changes.some((c) => c.motionId === motionId));
        const c = moved.data.changes.find((x) => x.motionId === motionId)!;
        assert.equal(c.councilId, 'north');
        assert.equal(c.act, 'motion_moved');
        assert.deepEqual(Object.keys(c).sort(), ['act', 'councilId', 'motionId', 'seq']);
        const text = s.events.map((e) => e.data).join('\n');
        assert.ok(!text.includes(title) && !text.includes('Words only') && !text.includes(ben!.memberId!));
        assert.equal(moved.id, String(moved.data.size));

        // Heartbeats are comment lines.
        await s.until('a heartbeat', () => s.comments > 0);

        // The stream breaks; meanwhile Ben opens the vote; the reconnect with Last-Event-ID is told of it.
        s.close();
        await ben!.ok('POST', `/orgs/${org}/motions/${motionId}/vote`, {});
        const again = await open(base, org, ana!, { 'last-event-id': moved.id });
        streams.push(again);
        const missed = await again.next<Changed>('change');
        assert.ok(missed.data.changes.some((x) => x.act === 'vote_opened' && x.motionId === motionId));
        assert.ok(missed.data.changes.every((x) => x.seq >= Number(moved.id)));

        // An act written by another process on the same database (here another service) reaches the stream too.
        const other = new CouncilsService(o.db, o.clock, { keyDir: o.keyDir });
        const [e] = await other.run(org, ben!.memberId!, {
          type: 'move_motion',
          councilId: 'north',
          title: 'From elsewhere',
          text: '',
        });
        const elsewhere = (e!.payload as { motionId: string }).motionId;
        await again.next<Changed>('change', (d) => d.changes.some((x) => x.motionId === elsewhere));

        // A Last-Event-ID from the future (a restored database) or far behind: the page is told to load again.
        const future = await open(base, org, ana!, { 'last-event-id': '999999' });
        streams.push(future);
        await future.next('reset');
      } finally {
        for (const s of streams) s.close();
        await o.close();
      }
    });

    test('bounded: streams per member and per process; refusals in the envelope; a revoked session ends', async () => {
      const o = await apiOrg(await database.open(), undefined, {
        live: { perMember: 2, perProcess: 3, pollMs: 20, heartbeatMs: 50 },
      });
      const streams: SseStream[] = [];
      try {
        const base = await listening(o);
        const { ana, ben, cai, dan } = o.people as Record<string, ApiClient>;
        const org = o.orgId;
        for (let i = 0; i < 2; i++) streams.push(await open(base, org, ana!));
        await Promise.all(streams.map((s) => s.next('ready')));
        // A third stream of Ana's, even many at once, is refused; others are not affected.
        const burst = await Promise.all(Array.from({ length: 20 }, () => open(base, org, ana!)));
        for (const r of burst) {
          assert.equal(r.status, 429, r.body);
          assert.equal(JSON.parse(r.body).error, 'too_many_streams');
          // waiting frees none of Ana's own pages: no Retry-After
          assert.equal(r.headers['retry-after'], undefined);
        }
        const benStream = await open(base, org, ben!);
        streams.push(benStream);
        assert.equal(benStream.status, 200);
        // The process holds 3: Cai is refused until one closes.
        const cais = await open(base, org, cai!);
        assert.equal(cais.status, 429);
        // the process's slots free as pages close: Retry-After, the web app's own wait
        assert.equal(cais.headers['retry-after'], '30');
        assert.match(JSON.parse(cais.body).message, /try again in 30 s/);
        streams[0]!.close();
        const caiLater = await retryOpen(() => open(base, org, cai!));
        streams.push(caiLater);
        // Outsiders and nobody signed in learn nothing.
        const anonymous = await SseStream.open(`${base}/orgs/${org}/live`);
        assert.equal(anonymous.status, 401);
        const wrongOrg = await open(base, 'org_other', dan!);
        assert.equal(wrongOrg.status, 403);
        assert.equal(JSON.parse(wrongOrg.body).error, 'forbidden');
        // Ben signs out: his stream ends at the next heartbeat.
        await ben!.ok('DELETE', '/session');
        await benStream.until('the end of the signed-out stream', () => benStream.ended);
      } finally {
        for (const s of streams) s.close();
        await o.close();
      }
    });

    test('closing the server ends the streams (it does not wait for them)', async () => {
      const o = await apiOrg(await database.open(), undefined, { live: { pollMs: 20 } });
      const base = await listening(o);
      const s = await open(base, o.orgId, o.people.ana!);
      await s.next('ready');
      await o.close();
      await s.until('the end of the stream', () => s.ended);
    });
  });
}

/** Opens until accepted: a closed stream's slot is given back when the server sees the socket close. */
async function retryOpen(opening: () => Promise<SseStream>): Promise<SseStream> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const s = await opening();
    if (s.status === 200) return s;
    if (Date.now() > deadline) throw new Error(`still refused: ${s.body}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
