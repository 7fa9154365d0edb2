// Which errors of a read on the replica are the replica's (so the primary answers the read) and which are the
// request's (docs/DEPLOYMENT.md "The read replica"): isReplicaFault, on the errors pg and Node raise.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { isReplicaFault } from '../../src/server/read-replica.ts';

const server = (code: string) => Object.assign(new pg.DatabaseError('x', 0, 'error'), { code });
const socket = (code: string) => Object.assign(new Error(`write ${code}`), { code });

test("a connection's failure, a stopping server or a hot-standby conflict is the replica's; the request's own error is not", () => {
  for (const e of [
    socket('EPIPE'),
    socket('EBADF'),
    socket('ECONNRESET'),
    new Error('Connection terminated'),
  ])
    assert.equal(isReplicaFault(e), true, String(e));
  for (const code of ['08006', '53300', '57P01', '57P03', '40001', '57P04'])
    assert.equal(isReplicaFault(server(code)), true, code);
  for (const code of ['22021', '57014', '42P01', '23505'])
    assert.equal(isReplicaFault(server(code)), false, code);
  assert.equal(isReplicaFault('not an error'), false);
});
