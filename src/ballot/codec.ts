// Hex ⇄ points and scalars for board artefacts, with the parameter named in every error.
import { fromHex, toHex } from './bytes.ts';
import type { Group, Point } from './group.ts';
import { scalarFromHex, scalarToHex } from './scalar.ts';

export type Hex = string;

export const pointHex = (g: Group, p: Point): Hex => toHex(g.encode(p));
export const pointFromHex = (g: Group, h: Hex, name: string): Point => g.decode(fromHex(h, 32, name), name);
export { scalarFromHex, scalarToHex };
