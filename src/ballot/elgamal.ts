// Exponential ElGamal (EG 2.1 selection encryption): (α, β) = (r·G, m·G + r·K); adding ciphertexts adds plaintexts.
import type { Group, Point } from './group.ts';

export interface Ciphertext {
  alpha: Point;
  beta: Point;
}

export function encrypt(g: Group, K: Point, m: bigint, r: bigint): Ciphertext {
  const rK = g.mul(K, r);
  const beta = m === 0n ? rK : m === 1n ? g.add(g.G, rK) : g.add(g.mulBase(g.scalar.mod(m)), rK);
  return { alpha: g.mulBase(r), beta };
}

export function addCiphertexts(g: Group, a: Ciphertext, b: Ciphertext): Ciphertext {
  return { alpha: g.add(a.alpha, b.alpha), beta: g.add(a.beta, b.beta) };
}

export function scaleCiphertext(g: Group, a: Ciphertext, w: bigint): Ciphertext {
  return w === 1n ? a : { alpha: g.mul(a.alpha, w), beta: g.mul(a.beta, w) };
}

export const zeroCiphertext = (g: Group): Ciphertext => ({ alpha: g.identity, beta: g.identity });
