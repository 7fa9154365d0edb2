// A request that reaches a server while it closes (src/server/strict-input.ts) is answered 503 unavailable in the
// error envelope, with `connection: close` and a Retry-After (docs/API.md "Retry-After"; it had none). Real HTTP: a
// request whose body is still on its way holds the server's close, and a second request pipelined behind it on the
// same connection arrives once the close has begun.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildApp } from '../../src/server/app.ts';
import { CouncilsService } from '../../src/server/service.ts';
import { openDatabase } from '../../src/store/database.ts';
import { systemClock } from '../../src/store/ledger.ts';

test('a request arriving while the server closes is a 503 unavailable with Retry-After', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'councils-closing-'));
  const db = await openDatabase(join(dir, 'councils.db'));
  const service = new CouncilsService(db, systemClock, { keyDir: join(dir, 'keys') });
  const app = await buildApp({ service, publicUrl: 'http://127.0.0.1', anonymousRate: false });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (d) => (received += d));
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    const body = '{"email":"a@example.org","password":"x"}';
    // the first request's headers: its body follows once the close has begun
    socket.write(
      'POST /api/v1/session HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n' +
        `content-length: ${body.length}\r\n\r\n`,
    );
    await new Promise((r) => setTimeout(r, 200));
    const closed = app.close();
    await new Promise((r) => setTimeout(r, 200));
    socket.write(`${body}GET /api/v1/health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`);
    await ended;
    await closed;
    const answers = received.split(/(?=HTTP\/1\.1 )/);
    assert.equal(answers.length, 2, received);
    assert.doesNotMatch(answers[0]!, /^HTTP\/1\.1 503/, 'the request in flight is answered as usual');
    const [head, json] = answers[1]!.split('\r\n\r\n') as [string, string];
    assert.match(head, /^HTTP\/1\.1 503 /);
    assert.match(head, /\r\nretry-after: 5\r\n/i);
    assert.match(head, /\r\nconnection: close\r\n/i);
    assert.equal(JSON.parse(json).error, 'unavailable');
  } finally {
    await app.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
