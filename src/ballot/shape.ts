// Structural checks of untrusted board entries (verifier check 1), so that later checks may rely on the shape and
// a corrupt record yields a named failure instead of an exception. Cryptographic validity is checked later.
import type { BoardEntry } from './board.ts';

type Shape = (v: unknown, path: string) => string | null;

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const hex =
  (bytes: number): Shape =>
  (v, p) =>
    typeof v === 'string' && v.length === bytes * 2 && /^[0-9a-f]*$/.test(v)
      ? null
      : `${p}: expected ${bytes}-byte hex`;
const h32 = hex(32);
const int: Shape = (v, p) =>
  Number.isSafeInteger(v) && (v as number) >= 0 ? null : `${p}: expected an integer ≥ 0`;
const str: Shape = (v, p) => (typeof v === 'string' ? null : `${p}: expected a string`);
const any: Shape = () => null;
const hexAny: Shape = (v, p) =>
  typeof v === 'string' && v.length % 2 === 0 && /^[0-9a-f]+$/.test(v) ? null : `${p}: expected hex`;
const optional =
  (s: Shape): Shape =>
  (v, p) =>
    v === undefined ? null : s(v, p);

const arr =
  (item: Shape): Shape =>
  (v, p) => {
    if (!Array.isArray(v)) return `${p}: expected an array`;
    for (let i = 0; i < v.length; i++) {
      const e = item(v[i], `${p}[${i}]`);
      if (e) return e;
    }
    return null;
  };

const obj =
  (fields: Record<string, Shape>): Shape =>
  (v, p) => {
    if (!isObj(v)) return `${p}: expected an object`;
    for (const [k, s] of Object.entries(fields)) {
      const e = s(v[k], `${p}.${k}`);
      if (e) return e;
    }
    return null;
  };

const schnorr = obj({ R: h32, s: h32 });
const dleq = obj({ a1: h32, a2: h32, s: h32 });
const contest = obj({ id: str, title: str, options: arr(str), min: int, max: int, optionMax: int });

const BODY: Record<BoardEntry['kind'], Shape> = {
  setup: obj({
    version: str,
    n: int,
    k: int,
    setupHash: h32,
    manifest: obj({ electionId: str, title: str, opensAt: int, closesAt: int, contests: arr(contest) }),
    issuers: optional(arr(obj({ weight: int, n: hexAny, e: hexAny }))),
  }),
  'dkg-commit': obj({ trustee: int, commitmentHash: h32, communicationKey: h32, pop: schnorr }),
  'dkg-shares': obj({
    trustee: int,
    commitments: arr(h32),
    proofs: arr(schnorr),
    shares: arr(obj({ to: int, E: h32, ct: hex(48), sig: schnorr })),
  }),
  'dkg-accusation': obj({ accuser: int, accused: int, S: h32, proof: dleq }),
  credentials: obj({
    credentials: arr(obj({ credential: h32, weight: int, signature: optional(hexAny) })),
    part: optional(int),
    parts: optional(int),
  }),
  // ballots and spoiled ballots are checked one by one in check 5 / 10, naming the ballot
  ballot: any,
  spoiled: any,
  'partial-decryption': obj({ trustee: int, decryptions: arr(arr(obj({ M: h32, proof: dleq }))) }),
  result: obj({ tallies: arr(arr(int)), trustees: arr(int) }),
};

/** Null if the entry has the shape of its kind, else the first problem, naming the field. */
export function entryShape(e: unknown): string | null {
  if (!isObj(e)) return 'entry: expected an object';
  if (typeof e.kind !== 'string' || !(e.kind in BODY)) return `kind: unknown ${JSON.stringify(e.kind)}`;
  if (typeof e.at !== 'number' || !Number.isFinite(e.at)) return 'at: expected a number';
  return BODY[e.kind as BoardEntry['kind']](e.body, 'body');
}

// The members each kind's body may have (docs/BALLOT-PROTOCOL.md §7.1, docs/schemas/ballot), nested: `true` is a
// leaf, an object names the members of an object, `[t]` is an array of t. The verifier ignores other members; the
// core refuses a message that has any, so that nobody can pad the board with data no signature or hash covers.
type Members = true | readonly [Members] | { readonly [member: string]: Members };

const SCHNORR_MEMBERS = { R: true, s: true } as const;
const DLEQ_MEMBERS = { a1: true, a2: true, s: true } as const;
const RANGE_MEMBERS = { a: true, b: true, c: true, v: true } as const;
const BALLOT_MEMBERS = {
  election: true,
  id: true,
  credential: true,
  contests: [{ selections: [{ alpha: true, beta: true, proof: RANGE_MEMBERS }], sumProof: RANGE_MEMBERS }],
  code: true,
  signature: SCHNORR_MEMBERS,
} as const;

const MEMBERS: Record<BoardEntry['kind'], Members> = {
  setup: {
    version: true,
    manifest: {
      electionId: true,
      title: true,
      opensAt: true,
      closesAt: true,
      contests: [{ id: true, title: true, options: true, min: true, max: true, optionMax: true }],
    },
    n: true,
    k: true,
    setupHash: true,
    issuers: [{ weight: true, n: true, e: true }],
  },
  'dkg-commit': { trustee: true, commitmentHash: true, communicationKey: true, pop: SCHNORR_MEMBERS },
  'dkg-shares': {
    trustee: true,
    commitments: true,
    proofs: [SCHNORR_MEMBERS],
    shares: [{ to: true, E: true, ct: true, sig: SCHNORR_MEMBERS }],
  },
  'dkg-accusation': { accuser: true, accused: true, S: true, proof: DLEQ_MEMBERS },
  credentials: {
    credentials: [{ credential: true, weight: true, signature: true }],
    part: true,
    parts: true,
  },
  ballot: BALLOT_MEMBERS,
  spoiled: { ballot: BALLOT_MEMBERS, ballotNonce: true, plaintext: true },
  'partial-decryption': { trustee: true, decryptions: [[{ M: true, proof: DLEQ_MEMBERS }]] },
  result: { tallies: true, trustees: true },
};

function extraMember(v: unknown, members: Members, path: string): string | null {
  if (members === true) return null;
  if (Array.isArray(members)) {
    if (!Array.isArray(v)) return null;
    for (let i = 0; i < v.length; i++) {
      const e = extraMember(v[i], (members as readonly [Members])[0], `${path}[${i}]`);
      if (e) return e;
    }
    return null;
  }
  if (!isObj(v)) return null;
  const named = members as { readonly [member: string]: Members };
  for (const key of Object.keys(v)) {
    if (!Object.hasOwn(named, key)) return `${path}.${key}: not a member of this message`;
    const e = extraMember(v[key], named[key]!, `${path}.${key}`);
    if (e) return e;
  }
  return null;
}

/**
 * The first member of a body that its kind does not name (§7.1), or null. Only members: the shape of what is named
 * is entryShape's (check 1) or, for ballots and challenges, check 5's.
 */
export function unknownMember(kind: BoardEntry['kind'], body: unknown): string | null {
  return extraMember(body, MEMBERS[kind], 'body');
}
