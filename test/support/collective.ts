// A collective of three (Ana, Ben, Cai) in one council that is its own root, signed in through the API, and the
// members' own approval keys: what the tests of privileged acts (a log key rotation) need.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { FastifyInstance } from 'fastify';
import { keyProofMessage, publicKeyOf, signMessage } from '../../src/core/index.ts';
import type { CouncilsService } from '../../src/server/service.ts';
import { ApiClient } from './api-client.ts';
import { organisation } from './factory.ts';

const utf8 = new TextEncoder();

export interface Collective {
  orgId: string;
  people: Record<'ana' | 'ben' | 'cai', ApiClient>;
  /** The member's approval key (hex secret), derived from `label` and their name. */
  secretOf(who: string): string;
  /** Registers each member's approval key (member_key_registered). */
  registerKeys(): Promise<void>;
  /** The member approves a request with a signature by their key. */
  approve(who: string, requestId: string): Promise<void>;
  /** Ana asks for a webhook endpoint at `url` for motion.moved, and Ana and Ben approve it (keys registered first). */
  addWebhook(url: string): Promise<void>;
}

export async function foundCollective(
  service: CouncilsService,
  app: FastifyInstance,
  label: string,
  constitution?: Record<string, unknown>,
): Promise<Collective> {
  const founded = await service.foundWithInvitations(
    organisation({
      name: `${label} collective`,
      ...(constitution ? { constitution } : {}),
      councils: [{ id: 'all', name: 'All', parentId: null, seatsInParent: 0 }],
      founders: [],
      invitations: ['Ana', 'Ben', 'Cai'].map((name) => ({ name, councilId: 'all' })),
    }),
  );
  const orgId = founded.orgId;
  const people = {} as Collective['people'];
  for (const inv of founded.invitations) {
    const who = inv.name.toLowerCase() as keyof Collective['people'];
    people[who] = await new ApiClient(app).join(inv.token, `${who}@${label.toLowerCase()}.example`);
  }
  const secretOf = (who: string) => bytesToHex(sha256(utf8.encode(`${label} test key of ${who}`)));
  const approve = async (who: string, requestId: string) => {
    const client = people[who as keyof Collective['people']];
    const r = await client.ok<{ signing: { message: string } }>(
      'GET',
      `/orgs/${orgId}/requests/${requestId}`,
    );
    const signature = signMessage(utf8.encode(r.signing.message), secretOf(who));
    await client.ok('POST', `/orgs/${orgId}/requests/${requestId}/approvals`, { signature });
  };
  return {
    orgId,
    people,
    secretOf,
    async registerKeys() {
      for (const [who, client] of Object.entries(people)) {
        const publicKey = publicKeyOf(secretOf(who));
        const proof = signMessage(keyProofMessage(orgId, client.memberId!, publicKey), secretOf(who));
        await client.ok('POST', `/orgs/${orgId}/keys`, { publicKey, proof });
      }
    },
    approve,
    async addWebhook(url) {
      const endpoint = await people.ana.ok<{ requestId: string }>('POST', `/orgs/${orgId}/webhooks`, {
        url,
        events: ['motion.moved'],
      });
      await approve('ana', endpoint.requestId);
      await approve('ben', endpoint.requestId);
    },
  };
}
