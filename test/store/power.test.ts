// Petitions, keys, requests, approvals, committees and a reversal in the store: on SQLite and PostgreSQL, the
// projections rebuilt from the log equal the live ones (docs/POWER.md).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import {
  approvalMessage,
  keyProofMessage,
  publicKeyOf,
  signMessage,
  type Entry,
} from '../../src/core/index.ts';
import type { Db } from '../../src/store/database.ts';
import { foundOrganisation } from '../../src/store/ledger.ts';
import { dumpProjections } from '../../src/store/projection-repository.ts';
import { rebuildOrg } from '../../src/store/rebuild.ts';
import { TestClock, testDatabases } from '../support/databases.ts';
import { must } from '../support/ledger-steps.ts';
import { type Founding, organisation } from '../support/factory.ts';

const secretOf = (who: string) => bytesToHex(sha256(new TextEncoder().encode(`store key of ${who}`)));
const shopCommittee = { by: 'committee', council: 'subject', k: 2 };

const founding: Founding = organisation({
  name: 'Cooperative',
  constitution: {
    power: {
      petitions: { threshold: { kind: 'absolute', count: 2 } },
      acts: { expel_member: shopCommittee, change_seats: shopCommittee, create_council: shopCommittee },
    },
  },
  councils: [
    { id: 'all', name: 'All', parentId: null, seatsInParent: 0 },
    { id: 'shop', name: 'Shop', parentId: 'all', seatsInParent: 1 },
  ],
  founders: ['ana', 'ben', 'cai', 'dia'].map((id) => ({ memberId: id, name: id, councilId: 'shop' })),
});

function idOf(entries: Entry[], act: Entry['act'], field: string): string {
  const e = entries.find((x) => x.act === act);
  assert.ok(e, `expected ${act}`);
  return (e.payload as Record<string, string>)[field]!;
}

for (const database of testDatabases()) {
  describe(`power in the store on ${database.name}`, () => {
    let db: Db;
    const clock = new TestClock();
    before(async () => {
      db = await database.open();
    });
    after(async () => {
      await db.close();
    });

    test('petitions, approvals, a committee and a reversal: rebuilt projections equal the live ones', async () => {
      const { ledger } = await foundOrganisation(db, founding, clock);
      const orgId = ledger.orgId;
      const p = idOf(
        await must(
          ledger,
          { type: 'open_petition', kind: 'agenda', councilId: 'shop', title: 'Rye', text: '' },
          'ana',
        ),
        'petition_opened',
        'petitionId',
      );
      await must(ledger, { type: 'sign_petition', petitionId: p }, 'ben');
      for (const who of ['ana', 'ben', 'cai', 'dia']) {
        const publicKey = publicKeyOf(secretOf(who));
        const proof = signMessage(keyProofMessage(orgId, who, publicKey), secretOf(who));
        await must(ledger, { type: 'register_key', publicKey, proof }, who);
      }
      const approve = async (requestId: string, who: string) => {
        const r = (await ledger.current()).power.requests.get(requestId)!;
        const round = r.approvals.filter((a) => a.memberId === who).length;
        const signature = signMessage(approvalMessage(orgId, requestId, r.contentHash, round), secretOf(who));
        return must(ledger, { type: 'approve_request', requestId, signature }, who);
      };
      const elect = idOf(
        await must(
          ledger,
          {
            type: 'request_act',
            kind: 'elect_committee',
            content: { councilId: 'shop', memberIds: ['ana', 'ben'] },
          },
          'ana',
        ),
        'privileged_act_requested',
        'requestId',
      );
      for (const who of ['ana', 'ben']) await approve(elect, who);
      const expel = idOf(
        await must(
          ledger,
          { type: 'request_act', kind: 'expel_member', content: { memberId: 'dia', reason: 'x' } },
          'ana',
        ),
        'privileged_act_requested',
        'requestId',
      );
      await approve(expel, 'ana');
      await must(ledger, { type: 'withdraw_approval', requestId: expel }, 'ana');
      await approve(expel, 'ana');
      await approve(expel, 'ben');
      const rows = await db.kysely
        .selectFrom('memberships')
        .selectAll()
        .where('org_id', '=', orgId)
        .execute();
      assert.equal(rows.length, 3, 'dia is expelled');
      const reverse = idOf(
        await must(
          ledger,
          { type: 'request_act', kind: 'reverse_act', content: { requestId: expel } },
          'cai',
        ),
        'privileged_act_requested',
        'requestId',
      );
      for (const who of ['cai', 'ana']) await approve(reverse, who);
      const live = await dumpProjections(db.kysely, orgId);
      assert.equal(live.memberships!.length, 4, 'the reversal restores the membership');
      assert.equal(live.petitions!.length, 1);
      assert.equal(live.petition_signatures!.length, 2);
      assert.equal(live.member_keys!.length, 4);
      assert.equal(live.privileged_requests!.length, 3);
      assert.equal(live.approvals!.length, 7);
      assert.equal(live.committees!.length, 1);
      await rebuildOrg(db, orgId);
      assert.deepEqual(await dumpProjections(db.kysely, orgId), live);
    });
  });
}
