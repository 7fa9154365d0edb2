// An ended mixed vote's mix pages read by index, not by rebuilding its board (issue #18, docs/SCALE.md "Closing a
// vote"): over real HTTP, on SQLite and PostgreSQL. A vote of two shuffles and a skipped mixer is run to its
// result; a server started after it ended answers `…/mix/list`, `…/mix/board`, `…/mix/shuffles` and every page of
// `…/mix/shuffles/:mixer` as a server holding the whole board in memory does, field for field. The observable that
// nothing rebuilds the board: once the restarted server has loaded the vote, the bodies of the log rows its pages
// must not read are dropped (in this test's database only): first the election's (setup, key generation,
// credentials: any rebuild fails without them), then every mix row but the last shuffle's, which is all the
// final list needs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { apply, emptyState } from '../../src/core/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { CouncilsService } from '../../src/server/service.ts';
import type { Db } from '../../src/store/database.ts';
import { testDatabases } from '../support/databases.ts';
import {
  closeTwoShuffles,
  emptyBoardBodies,
  openSmallSecretVote,
  type SmallSecretVote,
} from '../support/small-secret-vote.ts';

type Json = Record<string, unknown>;

/** A server on `service`, on a real port: GET of a path under the vote's `secret`, with its status and JSON. */
async function serve(service: CouncilsService, v: SmallSecretVote) {
  const app = await buildApp({ service, publicUrl: 'http://127.0.0.1', anonymousRate: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/v1/orgs/${v.orgId}/votes/${v.voteId}/secret`;
  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`);
    return { status: res.status, json: (await res.json()) as Json };
  };
  const ok = async (path: string) => {
    const r = await get(path);
    assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.json)}`);
    return r.json;
  };
  return { app, get, ok };
}

/** Drops the bodies of the vote's `board_posted` log rows whose seqs `drop` picks; returns how many. */
const dropBodies = async (db: Db, v: SmallSecretVote, drop: (kind: string, seq: number) => boolean) =>
  (await emptyBoardBodies(db, v, drop)).length;

/** Every page after another, `limit` at a time: the pages, each checked to hold at most `limit`. */
async function pagesOf(ok: (path: string) => Promise<Json>, path: string, limit: number): Promise<Json[]> {
  const pages: Json[] = [];
  for (let after: number | null = null; ;) {
    const page = await ok(`${path}?limit=${limit}${after === null ? '' : `&after=${after}`}`);
    assert.ok((page.ciphertexts as unknown[]).length <= limit);
    pages.push(page);
    after = page.next as number | null;
    if (after === null) return pages;
    assert.ok(pages.length < 100, 'the pages end');
  }
}

const PER_POSITION = ['commitments', 'chain', 'tHat', 'sHat', 'sPrime'];

for (const database of testDatabases()) {
  describe(`an ended mixed vote's mix pages on ${database.name}`, () => {
    test('read by index after a restart: the same as from the whole board, page by page, never rebuilt', async () => {
      const db = await database.open();
      const v = await openSmallSecretVote(db, { ranked: true, publicRecord: true, ballots: 5 });
      await closeTwoShuffles(v);
      const entries = await v.entries();
      // the reference: a server holding the whole board in memory (every entry applied, nothing settled)
      const whole = emptyState();
      for (const e of entries) apply(whole, e);
      const kept = whole.votes.get(v.voteId)!.secret!;
      assert.ok(!kept.settled && kept.mix!.shuffles.length === 2 && kept.mix!.skipped.length === 1);
      const inMemory = new CouncilsService(db, v.clock, {});
      (await inMemory.ledger(v.orgId).current()).votes.get(v.voteId)!.secret = kept;
      const m = await serve(inMemory, v);
      // a restart: the log replayed, the vote settled, its board not in memory; loaded before any page is read
      const restarted = new CouncilsService(db, v.clock, {});
      const settled = (await restarted.ledger(v.orgId).current()).votes.get(v.voteId)!.secret!;
      assert.ok(settled.settled && settled.board.length === 0 && settled.mix!.shuffles.length === 0);
      const s = await serve(restarted, v);
      try {
        const before: Record<string, Json> = {};
        for (const path of ['/mix/list', '/mix/board', '/mix/shuffles', '/mix/shuffles/1', '/mix/shuffles/2'])
          before[path] = await m.ok(path);
        const board = before['/mix/board'] as {
          cast: unknown[];
          shuffles: {
            seqs: number[];
            slot: number;
            shuffle: Json & { ciphertexts: unknown[]; proof: Json };
          }[];
        };
        const list = before['/mix/list'] as { stage: string; ciphertexts: unknown[]; next: unknown };
        assert.equal(list.stage, 'done');
        assert.ok(list.ciphertexts.length >= 4, `${list.ciphertexts.length} ballots mixed`);
        assert.equal(list.next, null, 'without limit: the whole list');
        assert.deepEqual(list.ciphertexts, board.shuffles[1]!.shuffle.ciphertexts, 'the last shuffle’s list');
        assert.deepEqual(before['/mix/shuffles'], {
          shuffles: board.shuffles.map((x, i) => ({
            mixer: i + 1,
            slot: x.slot,
            memberId: v.trustees[x.slot - 1],
            seqs: x.seqs,
            time: kept.mix!.shuffles[i]!.time,
          })),
        });

        // the election's rows gone: a rebuild of the board cannot be made, and every mix page answers as before
        assert.ok((await dropBodies(db, v, (kind) => /^(setup|dkg-|credential)/.test(kind))) >= 7);
        for (const [path, json] of Object.entries(before))
          assert.deepEqual(await s.ok(path), json, `${path} after a restart, read by index`);
        for (const mixer of [1, 2]) {
          const shuffle = board.shuffles[mixer - 1]!.shuffle;
          for (const limit of [1, 2, 1000]) {
            const pages = await pagesOf(s.ok, `/mix/shuffles/${mixer}`, limit);
            assert.equal(pages.length, Math.ceil(shuffle.ciphertexts.length / limit));
            assert.deepEqual(pages, await pagesOf(m.ok, `/mix/shuffles/${mixer}`, limit), 'as from memory');
            // put end to end, the pages are the shuffle: its list, and its proof's lists of one element a position
            assert.deepEqual(
              pages.flatMap((p) => p.ciphertexts as unknown[]),
              shuffle.ciphertexts,
            );
            const proof = { ...(pages[0]!.proof as Json) };
            for (const k of PER_POSITION)
              proof[k] = pages.flatMap((p) => (p.proof as Record<string, unknown[]>)[k]!);
            assert.deepEqual(proof, shuffle.proof);
            for (const p of pages) {
              assert.deepEqual(p.signature, shuffle.signature);
              assert.equal(p.count, shuffle.ciphertexts.length);
              assert.deepEqual(
                { ...(p.proof as Json), ...Object.fromEntries(PER_POSITION.map((k) => [k, 0])) },
                { ...shuffle.proof, ...Object.fromEntries(PER_POSITION.map((k) => [k, 0])) },
              );
            }
          }
        }
        const listPages = await pagesOf(s.ok, '/mix/list', 2);
        assert.deepEqual(listPages, await pagesOf(m.ok, '/mix/list', 2), 'the list’s pages as from memory');
        assert.deepEqual(
          listPages.flatMap((p) => p.ciphertexts as unknown[]),
          list.ciphertexts,
        );
        assert.deepEqual(
          listPages.map((p) => p.next),
          listPages.map((_, i) => (i < listPages.length - 1 ? 2 * i + 1 : null)),
          'next: the last position shown',
        );

        // every mix row but the last shuffle's gone too (the ballots, the first shuffle, the decryptions): the
        // final list and the last shuffle's pages need only its own parts
        const last = board.shuffles[1]!.seqs;
        assert.ok((await dropBodies(db, v, (_, seq) => !last.includes(seq))) > board.cast.length);
        assert.deepEqual(await s.ok('/mix/list'), before['/mix/list'], 'the final list read by seq');
        assert.deepEqual(await s.ok('/mix/shuffles/2'), before['/mix/shuffles/2']);
        assert.deepEqual(await s.ok('/mix/shuffles'), before['/mix/shuffles'], 'the shuffles read nothing');
        assert.deepEqual(await pagesOf(s.ok, '/mix/list', 2), listPages);
      } finally {
        await m.app.close();
        await s.app.close();
        await db.close();
      }
    });

    test('an unknown shuffle or a bad cursor is refused, and changes nothing', async () => {
      const db = await database.open();
      const v = await openSmallSecretVote(db, { ranked: true, publicRecord: true, ballots: 3 });
      await closeTwoShuffles(v);
      const s = await serve(new CouncilsService(db, v.clock, {}), v);
      try {
        const size = ((await s.ok('/mix/list')).ciphertexts as unknown[]).length;
        for (const path of ['/mix/shuffles/3', '/mix/shuffles/2147483647']) {
          const r = await s.get(path);
          assert.equal(r.status, 404, `${path} → ${r.status}`);
          assert.equal(r.json.error, 'not_found', path);
        }
        for (const path of ['/mix/shuffles/0', '/mix/shuffles/-1', '/mix/shuffles/x', '/mix/shuffles/1.5']) {
          const r = await s.get(path);
          assert.equal(r.status, 400, `${path} → ${r.status}`);
          assert.equal(r.json.error, 'invalid_request', path);
        }
        for (const path of ['/mix/list', '/mix/shuffles/1']) {
          for (const q of [
            'after=abc',
            'after=-1',
            'after=1.5',
            'after=2147483648',
            'after=99999999999999999999',
            'limit=0',
            'limit=-3',
            'limit=1001',
            'limit=ten',
            'page=2',
          ]) {
            const r = await s.get(`${path}?${q}`);
            assert.equal(r.status, 400, `${path}?${q} → ${r.status}`);
            assert.equal(r.json.error, 'invalid_request', `${path}?${q}`);
          }
          // past the end: an empty page, up to the largest cursor a PostgreSQL integer holds
          for (const after of [size - 1, size + 5, 2147483647]) {
            const page = await s.ok(`${path}?after=${after}`);
            assert.deepEqual([page.ciphertexts, page.next], [[], null], `${path}?after=${after}`);
          }
        }
        const other = await s.get('/mix/shuffles/1'.replace('/mix', '/../../nope/secret/mix'));
        assert.equal(other.status, 404);
        assert.equal(((await s.ok('/mix/list')).ciphertexts as unknown[]).length, size, 'nothing changed');
      } finally {
        await s.app.close();
        await db.close();
      }
    });
  });
}
