// A second verifier of a secret-ballot board, written from docs/BALLOT-PROTOCOL.md alone (§1, §2, §4.1, §5, §6,
// §7.1, §8.1, §8.2) on @noble/curves, @noble/hashes, @noble/ciphers, canonicalize and node:crypto's RSA-PSS. It
// imports nothing from src/: that it reaches the verdicts of src/ballot's verifier (independent-verifier.test.ts)
// shows the document is enough to build one. Written for clarity over speed: every equation is checked alone.
import { constants, createPublicKey, verify as rsaVerify } from 'node:crypto';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { expand_message_xmd } from '@noble/curves/abstract/hash-to-curve.js';
import { ristretto255 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import canonicalize from 'canonicalize';

const RP = ristretto255.Point;
type Pt = InstanceType<typeof RP>;
const G = RP.BASE;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

/** An encoding the document refuses (§1): the message holding it is invalid. */
class Bad extends Error {}

// --- §1 encodings and hashes ---------------------------------------------------------------------------------------

/** Untrusted board JSON, checked as it is read. */
type J = any;

function bytes(h: unknown, n?: number): Uint8Array {
  if (typeof h !== 'string' || !/^(?:[0-9a-f]{2})*$/.test(h) || (n !== undefined && h.length !== 2 * n))
    throw new Bad(`not ${n ?? 'any'}-byte lower-case hex`);
  return new Uint8Array(Buffer.from(h, 'hex'));
}
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const le = (b: Uint8Array): bigint => {
  let x = 0n;
  for (let i = b.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[i]!);
  return x;
};
const mod = (x: bigint): bigint => ((x % L) + L) % L;
function point(h: unknown): Pt {
  const b = bytes(h, 32);
  try {
    return RP.fromBytes(b); // RFC 9496 §4.3.1: throws on every invalid or non-canonical encoding
  } catch {
    throw new Bad('not a canonical ristretto255 encoding');
  }
}
function scalar(h: unknown): bigint {
  const x = le(bytes(h, 32));
  if (x >= L) throw new Bad('scalar ≥ L');
  return x;
}
// nothing here is secret: the variable-time multiplication is fine
const mul = (p: Pt, s: bigint): Pt => p.multiplyUnsafe(mod(s));
const enc = (p: Pt): Uint8Array => p.toBytes();
const u32 = (x: number): Uint8Array =>
  Uint8Array.from([x >>> 24, (x >>> 16) & 255, (x >>> 8) & 255, x & 255]);
const u64 = (x: number): Uint8Array => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(x));
  return b;
};
const cat = (...xs: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(xs));

type Field = Uint8Array | string;
const lp = (fields: Field[]): Uint8Array =>
  cat(
    ...fields.flatMap((f) => {
      const b = typeof f === 'string' ? new TextEncoder().encode(f) : f;
      return [u32(b.length), b];
    }),
  );
const H = (tag: string, fields: Field[]): Uint8Array =>
  expand_message_xmd(lp(fields), `COUNCILS-BALLOT-V1-${tag}`, 32, sha256);
const Hq = (tag: string, fields: Field[]): bigint =>
  mod(le(expand_message_xmd(lp(fields), `COUNCILS-BALLOT-V1-${tag}`, 64, sha256)));

// --- §8.1 the proofs -----------------------------------------------------------------------------------------------

function schnorr(tag: string, ctx: Field[], X: Pt, p: J): boolean {
  const R = point(p?.R);
  const s = scalar(p?.s);
  const c = Hq(tag, [...ctx, enc(X), enc(R)]);
  return mul(G, s).equals(R.add(mul(X, c)));
}

function dleq(ctx: Field[], G1: Pt, H1: Pt, G2: Pt, H2: Pt, p: J): boolean {
  const a1 = point(p?.a1);
  const a2 = point(p?.a2);
  const s = scalar(p?.s);
  const c = Hq('dleq', [...ctx, enc(G1), enc(H1), enc(G2), enc(H2), enc(a1), enc(a2)]);
  return mul(G1, s).equals(a1.add(mul(H1, c))) && mul(G2, s).equals(a2.add(mul(H2, c)));
}

function range(K: Pt, alpha: Pt, beta: Pt, lo: number, hi: number, ctx: Field[], p: J): boolean {
  const size = hi - lo + 1;
  for (const key of ['a', 'b', 'c', 'v']) {
    if (!Array.isArray(p?.[key]) || p[key].length !== size)
      throw new Bad(`range proof: ${key} of another length`);
  }
  const [a, b] = [(p.a as J[]).map(point), (p.b as J[]).map(point)];
  const [c, v] = [(p.c as J[]).map(scalar), (p.v as J[]).map(scalar)];
  const fields: Field[] = [...ctx, enc(alpha), enc(beta)];
  for (let t = 0; t < size; t++) fields.push(enc(a[t]!), enc(b[t]!));
  if (mod(c.reduce((x, y) => x + y, 0n)) !== Hq('range-proof', fields)) return false;
  for (let t = 0; t < size; t++) {
    if (!mul(G, v[t]!).equals(a[t]!.add(mul(alpha, c[t]!)))) return false;
    const shifted = beta.subtract(mul(G, BigInt(lo + t)));
    if (!mul(K, v[t]!).equals(b[t]!.add(mul(shifted, c[t]!)))) return false;
  }
  return true;
}

/** Σ_j (l^j mod L)·A_j. */
function feldman(A: Pt[], l: number): Pt {
  let acc = RP.ZERO;
  let power = 1n;
  for (const Aj of A) {
    acc = acc.add(mul(Aj, power));
    power = mod(power * BigInt(l));
  }
  return acc;
}

function inverse(x: bigint): bigint {
  let [r, base, e] = [1n, mod(x), L - 2n];
  for (; e > 0n; e >>= 1n, base = (base * base) % L) if (e & 1n) r = (r * base) % L;
  return r;
}

// --- the board -------------------------------------------------------------------------------------------------------

export interface IndependentVerdict {
  ok: boolean;
  problems: string[];
  qualified: number[];
  fingerprint?: string;
  tallies?: number[][];
}

interface Dealer {
  Y: Pt;
  A: Pt[];
  shares: J[];
}

/** Verifies a board `[{ kind, at, body }]` from the document's rules alone; `problems` says what failed. */
export function independentVerify(board: J[]): IndependentVerdict {
  const problems: string[] = [];
  const of = (kind: string): J[] => board.filter((e) => e.kind === kind).map((e) => e.body);
  const setup = board[0]?.kind === 'setup' ? board[0].body : undefined;
  if (!setup || of('setup').length !== 1)
    return { ok: false, problems: ['no single setup first'], qualified: [] };
  const { manifest, n, k } = setup;
  // check 1's order: phases never go back, times never decrease
  const phase: Record<string, number> = { setup: 0, 'dkg-commit': 1, 'dkg-shares': 2, 'dkg-accusation': 3 };
  Object.assign(phase, { credentials: 4, ballot: 5, spoiled: 5, 'partial-decryption': 6, result: 7 });
  board.forEach((e, x) => {
    if (x > 0 && !(phase[e.kind]! >= phase[board[x - 1].kind]! && e.at >= board[x - 1].at))
      problems.push(`entry ${x} out of order`);
  });

  // §2, §4.1: H_P, H_M, H_K, H_S
  const hP = H('params', ['ristretto255', enc(G), 'expand_message_xmd:SHA-256']);
  const hM = H('manifest', [hP, canonicalize(manifest)!]);
  const issuers: J[] | undefined = setup.issuers;
  const keyFields = [...(issuers ?? [])]
    .sort((x, y) => x.weight - y.weight)
    .map((key) => {
      const [nb, eb] = [bytes(key.n), bytes(key.e)];
      return cat(u64(key.weight), u32(nb.length), nb, u32(eb.length), eb);
    });
  const hK = issuers ? [H('issuer-keys', [u32(keyFields.length), ...keyFields])] : [];
  const hS = H('setup', [hM, u32(n), u32(k), ...hK]);
  if (hex(hS) !== setup.setupHash) problems.push('setup hash');

  // §8.2: the public checks, then every accusation on its own
  const passed = new Map<number, Dealer>();
  for (let i = 1; i <= n; i++) {
    const commits = of('dkg-commit').filter((b) => b.trustee === i);
    const dealt = of('dkg-shares').filter((b) => b.trustee === i);
    try {
      if (commits.length !== 1 || dealt.length !== 1) throw new Bad('messages');
      const [c, d] = [commits[0], dealt[0]];
      const Y = point(c.communicationKey);
      if (!schnorr('dkg-comm-pop', [hS, u32(i)], Y, c.pop)) throw new Bad('pop');
      if (d.commitments.length !== k) throw new Bad('commitments');
      const A = (d.commitments as J[]).map(point);
      if (hex(H('dkg-commit', [hS, u32(i), ...A.map(enc)])) !== c.commitmentHash)
        throw new Bad('commitment hash');
      A.forEach((Aj, j) => {
        if (!schnorr('dkg-coef-pop', [hS, u32(i), u32(j)], Aj, d.proofs[j])) throw new Bad('coefficient pop');
      });
      for (let l = 1; l <= n; l++) {
        if (l === i) continue;
        const to = (d.shares as J[]).filter((s) => s.to === l);
        if (to.length !== 1) throw new Bad('shares');
        const D = H('share-sig', [hS, u32(i), u32(l), bytes(to[0].E, 32), bytes(to[0].ct, 48)]);
        if (!schnorr('schnorr', [D], Y, to[0].sig)) throw new Bad('share signature');
      }
      passed.set(i, { Y, A, shares: d.shares });
    } catch (e) {
      if (!(e instanceof Bad)) throw e;
    }
  }
  const out = new Set<number>();
  for (const acc of of('dkg-accusation')) {
    const [i, l] = [acc.accused, acc.accuser];
    const [dealer, accuser] = [passed.get(i), passed.get(l)];
    if (!dealer || !accuser || i === l) continue;
    try {
      const share = dealer.shares.find((s) => s.to === l);
      const [E, S] = [point(share.E), point(acc.S)];
      if (!dleq(['accuse', hS, u32(i), u32(l)], G, accuser.Y, E, S, acc.proof)) {
        out.add(l);
        continue;
      }
      const key = H('share-key', [hS, u32(i), u32(l), enc(E), enc(S)]);
      const nonce = H('share-nonce', [hS, u32(i), u32(l), enc(E)]).slice(0, 24);
      let good = false;
      try {
        const f = le(xchacha20poly1305(key, nonce, cat(hS, u32(i), u32(l))).decrypt(bytes(share.ct, 48)));
        good = f < L && mul(G, f).equals(feldman(dealer.A, l));
      } catch {
        good = false; // the tag does not verify
      }
      out.add(good ? l : i);
    } catch (e) {
      if (!(e instanceof Bad)) throw e;
      out.add(l);
    }
  }
  const qualified = [...passed.keys()].filter((i) => !out.has(i)).sort((x, y) => x - y);
  if (qualified.length < k)
    return { ok: false, problems: [...problems, 'fewer than k qualified'], qualified };
  const K = qualified.reduce((acc, i) => acc.add(passed.get(i)!.A[0]!), RP.ZERO);
  const publicShare = (l: number) =>
    qualified.reduce((acc, i) => acc.add(feldman(passed.get(i)!.A, l)), RP.ZERO);

  // §4, §4.2: the list, in parts; H_C over it sorted; the signatures (§8.1)
  const parts = of('credentials');
  const whole = parts.length === 1 && parts[0].part === undefined;
  if (!whole && parts.some((p, x) => p.part !== x + 1 || p.parts !== parts.length))
    problems.push('list parts');
  const list: J[] = parts.flatMap((p) => p.credentials);
  const sorted = [...list].sort((x, y) => (x.credential < y.credential ? -1 : 1));
  if (list.length === 0 || new Set(list.map((c) => c.credential)).size !== list.length) problems.push('list');
  for (const c of list) {
    if (point(c.credential).equals(RP.ZERO) || !Number.isSafeInteger(c.weight) || c.weight < 1)
      problems.push('credential');
    if (!issuers) continue;
    const key = issuers.find((x) => x.weight === c.weight);
    if (!key) {
      problems.push(`no issuing key for weight ${c.weight}`);
      continue;
    }
    const msg = H('credential-token', [hS, u64(c.weight), bytes(c.credential, 32)]);
    const b64 = (h: string) => Buffer.from(bytes(h)).toString('base64url');
    const pub = createPublicKey({ key: { kty: 'RSA', n: b64(key.n), e: b64(key.e) }, format: 'jwk' });
    const kLen = Math.ceil(BigInt(`0x${key.n}`).toString(2).length / 8);
    const sig = bytes(c.signature);
    const options = { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 };
    if (sig.length !== kLen || !rsaVerify('sha384', msg, options, sig)) problems.push('credential signature');
  }
  const hC = H('credentials', [
    u32(sorted.length),
    ...sorted.map((c) => cat(bytes(c.credential, 32), u64(c.weight))),
  ]);
  const weight = new Map<string, number>(list.map((c) => [c.credential, c.weight]));
  const W = list.reduce((s, c) => s + c.weight, 0);
  const commitments = qualified.map((i) => cat(u32(i), ...passed.get(i)!.A.map(enc)));
  const hE = H('election', [hS, enc(K), u32(qualified.length), ...commitments, hC]);

  // §5, §8.1: ballots; the last valid one per credential counts
  const contests: J[] = manifest.contests;
  const used = new Set<string>();
  function ballotOk(b: J, at: number): { hI: Uint8Array; cts: { alpha: Pt; beta: Pt }[][] } | null {
    try {
      if (b.election !== hex(hE) || !weight.has(b.credential)) return null;
      if (!(at >= manifest.opensAt && at <= manifest.closesAt)) return null;
      const X = point(b.credential);
      const hI = H('ballot-context', [hE, bytes(b.id, 32), enc(X)]);
      if (b.contests.length !== contests.length) return null;
      const cts = contests.map((def, c) => {
        if (b.contests[c].selections.length !== def.options.length) throw new Bad('selections');
        return (b.contests[c].selections as J[]).map((s) => ({ alpha: point(s.alpha), beta: point(s.beta) }));
      });
      const chis = cts.map((row, c) =>
        H('contest-hash', [hI, u32(c), ...row.flatMap((ct) => [enc(ct.alpha), enc(ct.beta)])]),
      );
      const code = H('confirmation', [hI, ...chis]);
      if (hex(code) !== b.code) return null;
      const proofFields = (b.contests as J[]).flatMap((c) =>
        [...(c.selections as J[]).map((s) => s.proof), c.sumProof].flatMap((p) =>
          [...p.a, ...p.b, ...p.c, ...p.v].map((h: J) => bytes(h, 32)),
        ),
      );
      if (!schnorr('schnorr', [H('ballot-digest', [hI, code, ...proofFields])], X, b.signature)) return null;
      for (const [c, def] of contests.entries()) {
        let [sa, sb] = [RP.ZERO, RP.ZERO];
        for (const [o, ct] of cts[c]!.entries()) {
          const ctx = [hI, u32(c), u32(o), u32(0), u32(def.optionMax)];
          if (!range(K, ct.alpha, ct.beta, 0, def.optionMax, ctx, b.contests[c].selections[o].proof))
            return null;
          [sa, sb] = [sa.add(ct.alpha), sb.add(ct.beta)];
        }
        const ctx = [hI, u32(c), u32(0xffffffff), u32(def.min), u32(def.max)];
        if (!range(K, sa, sb, def.min, def.max, ctx, b.contests[c].sumProof)) return null;
      }
      return { hI, cts };
    } catch (e) {
      if (e instanceof Bad || e instanceof TypeError) return null;
      throw e;
    }
  }
  const counted = new Map<string, { alpha: Pt; beta: Pt }[][]>();
  for (const e of board) {
    if (e.kind !== 'ballot' && e.kind !== 'spoiled') continue;
    const b = e.kind === 'ballot' ? e.body : e.body.ballot;
    if (used.has(b.id)) problems.push(`ballot id reused ${b.id}`);
    used.add(b.id);
    const checked = ballotOk(b, e.at);
    if (!checked) {
      problems.push(`${e.kind} ${b.id} invalid`);
      continue;
    }
    if (e.kind === 'ballot') {
      counted.delete(b.credential); // keep board order: the last one stays
      counted.set(b.credential, checked.cts);
      continue;
    }
    // §8.1: a challenge opens to exactly its plaintext
    const xi = bytes(e.body.ballotNonce, 32);
    const opened = contests.map((def, c) =>
      checked.cts[c]!.map((ct, o) => {
        const r = Hq('selection-nonce', [checked.hI, xi, u32(c), u32(o)]);
        if (!mul(G, r).equals(ct.alpha)) return -1;
        const mG = ct.beta.subtract(mul(K, r));
        for (let m = 0; m <= def.optionMax; m++) if (mul(G, BigInt(m)).equals(mG)) return m;
        return -1;
      }),
    );
    if (JSON.stringify(opened) !== JSON.stringify(e.body.plaintext))
      problems.push(`spoiled ${b.id} does not open`);
  }
  const agg = contests.map((def, c) =>
    (def.options as J[]).map((_, o) => {
      let [A, B] = [RP.ZERO, RP.ZERO];
      for (const [credential, cts] of counted) {
        const w = BigInt(weight.get(credential)!);
        [A, B] = [A.add(mul(cts[c]![o]!.alpha, w)), B.add(mul(cts[c]![o]!.beta, w))];
      }
      return { A, B };
    }),
  );

  // §6, §8.2: partial decryptions valid per message; T = the k lowest-numbered valid; decode up to W·optionMax
  const results = of('result');
  if (results.length === 0) return { ok: problems.length === 0, problems, qualified, fingerprint: hex(hE) };
  const seen = new Set<number>();
  const valid: J[] = [];
  for (const pd of [...of('partial-decryption')].sort((x, y) => x.trustee - y.trustee)) {
    const l = pd.trustee;
    const first = !seen.has(l);
    seen.add(l);
    if (!first || !Number.isInteger(l) || l < 1 || l > n) continue;
    try {
      const Kl = publicShare(l);
      const all = agg.every((row, c) =>
        row.every(({ A, B }, o) => {
          const d = pd.decryptions?.[c]?.[o];
          if (!d) return false;
          const ctx = ['partial-decryption', hE, u32(l), u32(c), u32(o), enc(A), enc(B)];
          return dleq(ctx, G, Kl, A, point(d.M), d.proof);
        }),
      );
      if (all) valid.push(pd);
    } catch (e) {
      if (!(e instanceof Bad)) throw e;
    }
  }
  if (valid.length < k) return { ok: false, problems: [...problems, 'fewer than k valid'], qualified };
  const T = valid.slice(0, k);
  const set = T.map((pd) => pd.trustee as number);
  const lambda = set.map((l) =>
    set.reduce((acc, j) => (j === l ? acc : mod(acc * BigInt(j) * inverse(BigInt(j - l)))), 1n),
  );
  const tallies = agg.map((row, c) =>
    row.map(({ B }, o) => {
      const M = T.reduce((acc, pd, x) => acc.add(mul(point(pd.decryptions[c][o].M), lambda[x]!)), RP.ZERO);
      const target = B.subtract(M);
      let P = RP.ZERO;
      for (let t = 0; t <= W * contests[c].optionMax; t++, P = P.add(G)) if (P.equals(target)) return t;
      return -1;
    }),
  );
  const result = results[0];
  if (results.length !== 1 || JSON.stringify(result.trustees) !== JSON.stringify(set))
    problems.push('result trustees');
  if (JSON.stringify(result.tallies) !== JSON.stringify(tallies)) problems.push('result tallies');
  return { ok: problems.length === 0, problems, qualified, fingerprint: hex(hE), tallies };
}
