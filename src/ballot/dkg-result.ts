// The public judgment of a DKG transcript (docs/BALLOT-PROTOCOL.md §3 "Result", verifier check 2 and 3):
// who is qualified, the joint key K = Σ_{i∈Q} A_i0 and every trustee's public share K_l.
import { fromHex, toHex, u32 } from './bytes.ts';
import type { Group, Point } from './group.ts';
import { pointFromHex, pointHex, scalarFromHex, scalarToHex, type Hex } from './codec.ts';
import { BallotFormatError, BallotProtocolError } from './errors.ts';
import type { SetupBody } from './manifest.ts';
import { schnorrVerify } from './schnorr.ts';
import { dleqVerify } from './dleq.ts';
import { decryptShare, verifyShareSignature } from './share-encryption.ts';
import {
  commitmentHash,
  evalCommitments,
  evalPolynomial,
  type DkgAccusationBody,
  type DkgCommitBody,
  type DkgSharesBody,
  type TrusteeSecret,
} from './dkg.ts';

export interface KeyResult {
  ok: boolean;
  jointKey: Hex;
  qualified: number[];
  /** Coefficient commitments of each qualified trustee. */
  commitments: Record<number, Hex[]>;
  /** K_l for every trustee l = 1..n. */
  publicShares: Record<number, Hex>;
  failures: { trustee: number; reason: string }[];
}

export interface TrusteeShare {
  trustee: number;
  secretShare: Hex;
}

interface Dealer {
  Y: Point;
  A: Point[];
  body: DkgSharesBody;
}

function judgeDealer(
  g: Group,
  setup: SetupBody,
  i: number,
  commits: readonly DkgCommitBody[],
  shares: readonly DkgSharesBody[],
): Dealer | string {
  const sh = fromHex(setup.setupHash, 32, 'setupHash');
  const mine = commits.filter((c) => c.trustee === i);
  if (mine.length !== 1) return `${mine.length} dkg-commit messages (expected 1)`;
  const bodies = shares.filter((s) => s.trustee === i);
  if (bodies.length !== 1) return `${bodies.length} dkg-shares messages (expected 1)`;
  const [c, body] = [mine[0]!, bodies[0]!];
  try {
    const Y = pointFromHex(g, c.communicationKey, 'communicationKey');
    if (!schnorrVerify(g, 'dkg-comm-pop', [sh, u32(i)], Y, c.pop)) return 'communication key proof invalid';
    if (body.commitments.length !== setup.k) return `expected ${setup.k} coefficient commitments`;
    const A = body.commitments.map((h, j) => pointFromHex(g, h, `commitments[${j}]`));
    if (toHex(commitmentHash(g, setup, i, A)) !== c.commitmentHash)
      return 'commitments do not match round-1 hash';
    for (let j = 0; j < A.length; j++) {
      const pop = body.proofs[j];
      if (!pop || !schnorrVerify(g, 'dkg-coef-pop', [sh, u32(i), u32(j)], A[j]!, pop)) {
        return `coefficient ${j} proof of possession invalid`;
      }
    }
    for (let l = 1; l <= setup.n; l++) {
      if (l === i) continue;
      const enc = body.shares.filter((s) => s.to === l);
      if (enc.length !== 1) return `share to trustee ${l} missing or repeated`;
      if (!verifyShareSignature(g, { setupHash: sh, from: i, to: l }, Y, enc[0]!)) {
        return `share to trustee ${l}: signature invalid`;
      }
    }
    return { Y, A, body };
  } catch (e) {
    if (e instanceof BallotFormatError) return e.message;
    throw e;
  }
}

/**
 * Who is at fault for one accusation (docs/BALLOT-PROTOCOL.md §8.2): the accused dealer (bad share) or the accuser
 * (false or unproven), judged against the messages of the trustees who passed the public checks (`dealers`), never
 * against what earlier accusations decided, so that their order changes nothing. Null when there is nothing to
 * judge: the accused or the accuser failed the public checks (out either way), or an accusation of oneself, which
 * the core refuses.
 */
function judgeAccusation(
  g: Group,
  setup: SetupBody,
  acc: DkgAccusationBody,
  dealers: ReadonlyMap<number, Dealer>,
): number | null {
  const sh = fromHex(setup.setupHash, 32, 'setupHash');
  const dealer = dealers.get(acc.accused);
  const accuser = dealers.get(acc.accuser);
  if (!dealer || !accuser || acc.accused === acc.accuser) return null;
  try {
    const enc = dealer.body.shares.find((s) => s.to === acc.accuser)!;
    const E = pointFromHex(g, enc.E, 'E');
    const S = pointFromHex(g, acc.S, 'S');
    const context = ['accuse', sh, u32(acc.accused), u32(acc.accuser)];
    if (!dleqVerify(g, context, { G1: g.G, H1: accuser.Y, G2: E, H2: S }, acc.proof)) return acc.accuser;
    const route = { setupHash: sh, from: acc.accused, to: acc.accuser };
    const share = decryptShare(g, route, E, S, enc.ct);
    const good = share !== null && g.eq(g.mulBase(share), evalCommitments(g, dealer.A, acc.accuser));
    return good ? acc.accuser : acc.accused;
  } catch (e) {
    if (e instanceof BallotFormatError) return acc.accuser;
    throw e;
  }
}

export function dkgResult(
  g: Group,
  setup: SetupBody,
  commits: readonly DkgCommitBody[],
  shares: readonly DkgSharesBody[],
  accusations: readonly DkgAccusationBody[],
): KeyResult {
  const failures: KeyResult['failures'] = [];
  const dealers = new Map<number, Dealer>();
  for (let i = 1; i <= setup.n; i++) {
    const d = judgeDealer(g, setup, i, commits, shares);
    if (typeof d === 'string') failures.push({ trustee: i, reason: d });
    else dealers.set(i, d);
  }
  const checked = new Map(dealers);
  for (const acc of accusations) {
    const guilty = judgeAccusation(g, setup, acc, checked);
    if (guilty === null) continue;
    const why =
      guilty === acc.accused ? `bad share to trustee ${acc.accuser}` : `false accusation of ${acc.accused}`;
    if (dealers.delete(guilty)) failures.push({ trustee: guilty, reason: why });
  }
  const qualified = [...dealers.keys()].sort((a, b) => a - b);
  const commitments: Record<number, Hex[]> = {};
  for (const i of qualified) commitments[i] = dealers.get(i)!.body.commitments;
  if (qualified.length < setup.k) {
    return { ok: false, jointKey: '', qualified, commitments, publicShares: {}, failures };
  }
  const K = qualified.reduce((acc, i) => g.add(acc, dealers.get(i)!.A[0]!), g.identity);
  const publicShares: Record<number, Hex> = {};
  for (let l = 1; l <= setup.n; l++) {
    const Kl = qualified.reduce((acc, i) => g.add(acc, evalCommitments(g, dealers.get(i)!.A, l)), g.identity);
    publicShares[l] = pointHex(g, Kl);
  }
  return { ok: true, jointKey: pointHex(g, K), qualified, commitments, publicShares, failures };
}

/** s_l = Σ_{i∈Q} f_i(l): the trustee's own evaluation plus the shares it received from qualified dealers. */
export function trusteeShare(
  g: Group,
  secret: TrusteeSecret,
  received: Record<number, Hex>,
  key: KeyResult,
): TrusteeShare {
  const l = secret.trustee;
  let s = 0n;
  for (const i of key.qualified) {
    if (i === l) {
      s = g.scalar.add(
        s,
        evalPolynomial(
          g,
          secret.coefficients.map((h) => scalarFromHex(h, 'coefficient')),
          l,
        ),
      );
      continue;
    }
    const r = received[i];
    if (r === undefined)
      throw new BallotProtocolError(`trustee ${l} holds no valid share from qualified dealer ${i}`);
    s = g.scalar.add(s, scalarFromHex(r, `share from ${i}`));
  }
  const share = { trustee: l, secretShare: scalarToHex(s) };
  if (!g.eq(g.mulBase(s), pointFromHex(g, key.publicShares[l] ?? '', 'publicShare'))) {
    throw new BallotProtocolError(`trustee ${l}: share does not match its public share`);
  }
  return share;
}
