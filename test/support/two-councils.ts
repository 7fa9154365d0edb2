// The organisation of the tests of admissions in a council dissolved or merged away (the core's and the store's):
// Shop (ana, ben, cai) and Office (dan, eve) under All, whose half may dissolve or merge a council; admission by one
// approval and an hour's objection period. `secretOf`: each member's test signing key.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { organisation } from './factory.ts';

export const secretOf = (who: string) => bytesToHex(sha256(new TextEncoder().encode(`test key of ${who}`)));

const half = { by: 'council', council: 'subject', threshold: { num: 1, den: 2 } };

export const shopAndOffice = organisation({
  name: 'Coop',
  constitution: {
    power: { acts: { dissolve_council: half, merge_councils: half } },
    admission: { by: 'approvals', approvals: { kind: 'absolute', count: 1 }, objectionMinutes: 60 },
  },
  councils: [
    { id: 'all', name: 'All', parentId: null, seatsInParent: 0 },
    { id: 'shop', name: 'Shop', parentId: 'all', seatsInParent: 1 },
    { id: 'office', name: 'Office', parentId: 'all', seatsInParent: 1 },
  ],
  founders: ['ana', 'ben', 'cai']
    .map((id) => ({ memberId: id, name: id, councilId: 'shop' }))
    .concat(['dan', 'eve'].map((id) => ({ memberId: id, name: id, councilId: 'office' }))),
});
