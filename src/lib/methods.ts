// The one list of counting methods (docs/COUNTING.md): every method src/count can count, and those a council may
// decide by — a motion's (one question) and an election's (multi-seat STV too; Debian's method is for
// `councils count` only). The count, the core's rules and the web app's forms all read these lists. Pure, imports
// nothing (src/lib).

export const methodIds = [
  'majority',
  'plurality',
  'approval',
  'score',
  'borda',
  'schulze',
  'ranked-pairs',
  'debian',
  'irv',
  'wigm-stv',
  'scottish-stv',
  'meek-stv',
] as const;
export type MethodId = (typeof methodIds)[number];

/** Methods that decide one question; multi-seat STV is for elections. */
export const motionMethods: readonly MethodId[] = [
  'majority',
  'plurality',
  'approval',
  'score',
  'borda',
  'schulze',
  'ranked-pairs',
  'irv',
];

export const electionMethods: readonly MethodId[] = [
  ...motionMethods,
  'wigm-stv',
  'scottish-stv',
  'meek-stv',
];
