// The record verifier: given a RecordSource (entries, signed checkpoints, maybe tiles), the log's verifier key,
// a witness policy and the checkpoint trusted from an earlier run, it runs numbered checks in order and stops at
// the first failure, naming the entry, checkpoint or tile. Pure: the CLI supplies the source and keeps state.
import { bytesEqual, toBase64 } from './bytes.ts';
import { CheckList, type Check, type PluginCheck } from './record-checks.ts';
import {
  DEFAULT_SEALED_ACTS,
  parseEntry,
  scanEntries,
  type RecordEntry,
  type ScanResult,
  type SealedActs,
} from './entry-scan.ts';
import {
  consistencyProof,
  consistencyRanges,
  rangeNodes,
  treeRoot,
  type HashReader,
} from './merkle-proofs.ts';
import { parseVerifierKey } from './note-keys.ts';
import {
  checkNoFork,
  checkTrusted,
  checkWitnesses,
  describeCheckpoint,
  openAll,
  type Opened,
} from './checkpoint-checks.ts';
import {
  keyHistoryDifference,
  keyInForce,
  parseKeyHistory,
  provenKeyHistory,
  restoredHandovers,
  type KeyRotationActs,
  type LogKeyPeriod,
} from './key-history.ts';
import { defaultTreeHasher, verifyConsistency, type TreeHasher } from './rfc9162.ts';
import { StreamingTree } from './streaming-tree.ts';
import { StreamedTileChecks, tileCounts } from './streamed-tiles.ts';
import type { RecordSource } from './static-record.ts';
import { TileHashReader } from './tile-hash-reader.ts';
import { openCheckpoint, type Checkpoint } from './tlog-checkpoint.ts';
import { parseWitnessPolicy, type WitnessPolicy } from './tlog-cosignature.ts';
import { tilePath, tilesForSize, TILE_WIDTH } from './tlog-tiles.ts';

/**
 * The extension point for the core: replays the verified entries (seq 0 … size-1, in order) through the domain,
 * recomputes the projections and recounts every decision, and returns its own checks (numbered after ours).
 */
export type Replay = (
  entries: AsyncIterable<RecordEntry>,
  size: number,
  context: { onProgress?: (p: VerifyProgress) => void },
) => Promise<PluginCheck[]>;

export interface VerifyProgress {
  /** `ballots`: a secret vote's ballots checked by the replay (docs/BALLOT-PROTOCOL.md §10). */
  phase: 'entries' | 'tiles' | 'replay' | 'ballots';
  done: number;
  total: number;
}

export interface VerifyRecordOptions {
  /** The log's verifier key (name+hash+base64), trusted out of band: any key of its history (key-history.ts). */
  logKey: string;
  /**
   * The log's key history as the source claims it; by default the source's keys.json, else the pinned key alone.
   * Each checkpoint must be signed by the key in force at its size, and the history must be the one the log's
   * rotation entries and checkpoints prove (check key_history).
   */
  keyHistory?: LogKeyPeriod[];
  keyRotationActs?: KeyRotationActs;
  /** SHA-256 for the leaf and node hashes (the pure default, or node:crypto's in the CLI). */
  hasher?: TreeHasher;
  /** Expected checkpoint origin; defaults to the log key's name. */
  origin?: string;
  witnessPolicy?: WitnessPolicy;
  /** The signed checkpoint seen on the previous run (the state file), if any. */
  trusted?: string;
  replay?: Replay;
  sealedActs?: SealedActs;
  onProgress?: (p: VerifyProgress) => void;
}

export interface VerifyReport {
  ok: boolean;
  source: string;
  origin: string;
  logKey: string;
  /** Size and root of the latest checkpoint that verified. */
  size?: number;
  rootHash?: string;
  checks: Check[];
  firstFailure?: Check;
  counts: { checkpoints: number; entries: number; sealed: number; revealed: number; overdue: number };
  /** The latest signed checkpoint: keep it as the trusted state when ok. */
  latestCheckpoint?: string;
  /** The key history the record proves (when the check key_history passed). */
  keys?: LogKeyPeriod[];
  /** What the checks cannot show, said plainly (e.g. a first run with no witness). */
  warnings: string[];
}

/** The warning of a run with nothing to compare against: no checkpoint seen before and no witness required. */
export const NO_STATE_NO_WITNESS_WARNING =
  'nothing was seen before and no witness is required: this shows that the record is signed by the log key and consistent in itself, not that it is the record others were shown. The operator could have rewritten it consistently or rolled it back, and this run cannot tell. Verify again later with the state file kept (a rollback or fork is then caught), or require witness cosignatures (--witness)';

/** The source's tiles, when it serves them: compared with the tree during the scan (streamed-tiles.ts). */
interface SourceTiles {
  checks: StreamedTileChecks;
  /** Whether the tiles' own root is the latest checkpoint's (then a differing level-0 tile names an entry). */
  signed: boolean;
  count: number;
}

async function openTiles(
  source: RecordSource,
  latest: Opened,
  hasher: TreeHasher,
  onProgress?: VerifyRecordOptions['onProgress'],
): Promise<SourceTiles | undefined> {
  const size = latest.checkpoint.size;
  const tiles = tilesForSize(size);
  const read = source.readTile?.bind(source);
  if (!read || tiles.length === 0 || !(await read(tiles[0]!))) return undefined;
  const reader = new TileHashReader(size, async (t) => {
    const b = await read(t);
    if (!b) throw new RangeError(`${tilePath(t)} is missing`);
    return b;
  });
  let tilesRoot: Uint8Array | undefined;
  try {
    tilesRoot = await treeRoot(reader, size);
  } catch {
    tilesRoot = undefined;
  }
  const checked = new Set(tiles.map(tilePath));
  const listedPaths = (await source.tilePaths?.())?.filter((p) => !checked.has(p));
  const checks = new StreamedTileChecks({
    size,
    read,
    hasher,
    ...(listedPaths ? { listedPaths } : {}),
    onChecked: (done, total) => {
      if ((done - 1) % 64 === 0) onProgress?.({ phase: 'tiles', done, total });
    },
  });
  const signed = tilesRoot !== undefined && bytesEqual(tilesRoot, latest.checkpoint.rootHash);
  return { checks, signed, count: tiles.length };
}

/** The tiles' findings, in the order the checks name them: the latest size's tiles, then every other tile file. */
async function checkTiles(tiles: SourceTiles | undefined, latest: Opened, list: CheckList): Promise<boolean> {
  const title = 'the tiles match the entries and the latest checkpoint';
  if (!tiles) return (void list.skip('tiles_match', title, 'the source has no tiles'), true);
  const { checks } = tiles;
  await checks.settle();
  const bad = checks.latest;
  if (bad) {
    if (tiles.signed && bad.tile.level === 0) {
      const entry = bad.tile.index * TILE_WIDTH + bad.bad;
      list.fail(
        'entries_included',
        'every entry is the one the signed tiles commit to',
        `entry ${entry} differs from its leaf hash in ${bad.path}, whose tiles match ${describeCheckpoint(latest)}`,
        { entry, tile: bad.path },
      );
    } else {
      list.fail(
        'tiles_match',
        title,
        `${bad.path} ${bad.missing ? 'is missing' : 'does not match the entries or the signed root'}`,
        { tile: bad.path },
      );
    }
    return false;
  }
  if (checks.listed) {
    list.fail(
      'tiles_match',
      'every tile file matches the entries and the latest checkpoint',
      checks.listed.detail,
      { tile: checks.listed.path },
    );
    return false;
  }
  const older = checks.listedCount;
  list.pass('tiles_match', title, `${tiles.count} tiles${older ? `, and ${older} more tile files` : ''}`);
  return true;
}

function checkRoots(cps: readonly Opened[], tree: StreamingTree, count: number, list: CheckList): boolean {
  const title = 'every entry is included under every checkpoint root (roots recomputed from the leaf hashes)';
  let goodSize = 0;
  for (const cp of [...cps].sort((a, b) => a.checkpoint.size - b.checkpoint.size)) {
    const root = tree.rootAt(cp.checkpoint.size)!;
    if (!bytesEqual(root, cp.checkpoint.rootHash)) {
      const last = cp.checkpoint.size - 1;
      const range = goodSize === last ? `entry ${last}` : `entries ${goodSize}..${last}`;
      list.fail(
        'checkpoint_roots',
        title,
        `${describeCheckpoint(cp)}: the root of the entries differs; the altered entry is among ${range}`,
        {
          checkpoint: cp.position,
          checkpointSize: cp.checkpoint.size,
          entry: goodSize,
          entryEnd: last,
        },
      );
      return false;
    }
    goodSize = cp.checkpoint.size;
  }
  list.pass('checkpoint_roots', title, `${count} entries, ${cps.length} checkpoints`);
  return true;
}

async function checkConsistency(
  trusted: Checkpoint | undefined,
  latest: Opened,
  reader: HashReader,
  list: CheckList,
  hint = '',
): Promise<boolean> {
  const title = 'the latest checkpoint is consistent with the one seen before (RFC 9162 §2.1.4 proof)';
  if (!trusted)
    return (void list.skip('consistency', title, 'no checkpoint was seen before (first run)'), true);
  const [m, n] = [trusted.size, latest.checkpoint.size];
  const proof = m === 0 || m === n ? [] : await consistencyProof(reader, m, n);
  const ok = m === 0 || verifyConsistency(m, n, proof, trusted.rootHash, latest.checkpoint.rootHash);
  if (ok)
    return (void list.pass('consistency', title, `size ${m} → ${n}, ${proof.length} proof hashes`), true);
  list.fail(
    'consistency',
    title,
    `fork: ${describeCheckpoint(latest)} is not an extension of the size ${m} seen before${hint}`,
    {
      checkpoint: latest.position,
      checkpointSize: n,
    },
  );
  return false;
}

const shortKey = (vkey: string) => vkey.split('+').slice(0, 2).join('+');

/** The checkpoint seen before, opened with whichever key of the history signed it. */
function openTrusted(signed: string, origin: string, history: readonly LogKeyPeriod[]): Checkpoint {
  let error: unknown;
  for (const k of [...history].reverse()) {
    try {
      return openCheckpoint(signed, origin, parseVerifierKey(k.verifierKey)).checkpoint;
    } catch (e) {
      error ??= e;
    }
  }
  throw error;
}

async function* verifiedEntries(source: RecordSource, size: number): AsyncGenerator<RecordEntry> {
  let i = 0;
  for await (const bytes of source.entries(size)) {
    if (i >= size) return;
    const e = parseEntry(bytes, i);
    if (typeof e === 'string') throw new TypeError(`entry ${i} ${e} on the second read`);
    yield e;
    i++;
  }
}

/** Verifies a record. Throws only for misuse (a malformed log key or policy); every finding is a check. */
export async function verifyRecord(
  source: RecordSource,
  options: VerifyRecordOptions,
): Promise<VerifyReport> {
  const log = parseVerifierKey(options.logKey);
  const origin = options.origin ?? log.name;
  if (options.keyHistory) parseKeyHistory(JSON.stringify({ origin, keys: options.keyHistory }));
  if (options.witnessPolicy) parseWitnessPolicy(options.witnessPolicy); // misuse throws before any I/O
  const list = new CheckList();
  const counts = { checkpoints: 0, entries: 0, sealed: 0, revealed: 0, overdue: 0 };
  const known: { latest?: Opened; keys?: LogKeyPeriod[] } = {};
  const report = (latest: Opened | undefined = known.latest): VerifyReport => {
    const firstFailure = list.failed;
    return {
      ok: !firstFailure,
      source: source.description,
      origin,
      logKey: options.logKey,
      ...(latest ? { size: latest.checkpoint.size, rootHash: toBase64(latest.checkpoint.rootHash) } : {}),
      checks: list.checks,
      ...(firstFailure ? { firstFailure } : {}),
      counts,
      ...(latest && !firstFailure ? { latestCheckpoint: latest.signed } : {}),
      ...(known.keys && !firstFailure ? { keys: known.keys } : {}),
      warnings,
    };
  };
  const warnings: string[] = [];
  if (options.trusted === undefined && !(options.witnessPolicy && options.witnessPolicy.required > 0))
    warnings.push(NO_STATE_NO_WITNESS_WARNING);
  const historyTitle =
    'the key history is the one the log proves (each rotation carried out by the log and handed over by a checkpoint of the key before)';
  let history: LogKeyPeriod[] = [{ verifierKey: options.logKey, fromSize: 0 }];
  if (options.keyHistory) history = options.keyHistory;
  else {
    try {
      const text = await source.keyHistory?.();
      if (text !== undefined) {
        const doc = parseKeyHistory(text);
        if (doc.origin !== origin)
          throw new TypeError(`keys document: origin "${doc.origin}", not "${origin}"`);
        history = doc.keys;
      }
    } catch (e) {
      list.fail('key_history', historyTitle, (e as Error).message);
      return report();
    }
  }
  const pinnedAt = history.findIndex((k) => k.verifierKey === options.logKey);
  if (pinnedAt < 0) {
    list.fail(
      'key_history',
      historyTitle,
      `the pinned log key ${options.logKey} is not in the record's key history (${history.map((k) => k.verifierKey).join(', ')})`,
    );
    return report();
  }
  let raw: string[];
  try {
    raw = await source.checkpoints();
  } catch (e) {
    list.fail('checkpoints_signed', "the source's checkpoints can be read", (e as Error).message);
    return report();
  }
  const cps = openAll(raw, origin, history, list);
  if (!cps) return report();
  counts.checkpoints = cps.length;
  const latest = cps.reduce((a, b) => (b.checkpoint.size >= a.checkpoint.size ? b : a));
  known.latest = latest;
  if (history.indexOf(keyInForce(history, latest.checkpoint.size)) < pinnedAt) {
    list.fail(
      'key_history',
      historyTitle,
      `${describeCheckpoint(latest)} is signed by a key from before the pinned one: nothing here is signed by the pinned key`,
      { checkpoint: latest.position, checkpointSize: latest.checkpoint.size },
    );
    return report();
  }
  let trusted: Checkpoint | undefined;
  if (options.trusted !== undefined) {
    try {
      trusted = openTrusted(options.trusted, origin, history);
    } catch (e) {
      list.fail(
        'trusted_checkpoint',
        'the checkpoint seen before verifies with the log key',
        (e as Error).message,
      );
      return report();
    }
  }
  // Keys that signed their own handover: the record was continued from an earlier state (a restore).
  const restored = restoredHandovers(
    history,
    cps.map((c) => c.checkpoint.size),
  );
  // Said only with a rollback or fork against the checkpoint seen before: what the restore dropped.
  const restoreHint = restored
    .map(
      (k) =>
        `. The log says why: it was restored from an earlier state and continued under the key ${shortKey(k.verifierKey)} (rotation at entry ${k.rotationSeq}, in force from size ${k.fromSize}), so entries you saw before the restore are not in it`,
    )
    .join('');
  if (
    !checkNoFork(cps, list) ||
    !checkWitnesses(latest, options.witnessPolicy, list) ||
    !checkTrusted(cps, latest, trusted, list, restoreHint)
  ) {
    return report();
  }
  const size = latest.checkpoint.size;
  const hasher = options.hasher ?? defaultTreeHasher;
  // One pass in memory that does not grow with the log: the roots of every checkpoint's size, the nodes of the
  // consistency proof from the checkpoint seen before, and the tiles compared as their windows fill.
  const tiles = await openTiles(source, latest, hasher, options.onProgress);
  const m = trusted?.size ?? 0;
  const tree = new StreamingTree({
    hasher,
    rootsAt: cps.map((c) => c.checkpoint.size),
    keep: m > 0 && m < size ? consistencyRanges(m, size).flatMap((r) => rangeNodes(r.begin, r.end)) : [],
    ...(tiles ? { onWindow: (w) => tiles.checks.onWindow(w), tileLevels: tileCounts(size).length } : {}),
  });
  let scan: ScanResult;
  try {
    scan = await scanEntries(source.entries(size), {
      acts: options.sealedActs ?? DEFAULT_SEALED_ACTS,
      ...(options.keyRotationActs ? { rotationActs: options.keyRotationActs } : {}),
      hasher,
      onLeafHash: (h) => {
        tree.append(h);
        return tiles?.checks.busy ? tiles.checks.pace() : undefined;
      },
      onProgress: (done) => options.onProgress?.({ phase: 'entries', done, total: size }),
    });
  } catch (e) {
    const tile = (e as { tile?: string }).tile;
    list.fail(
      'entries_well_formed',
      'every entry can be read',
      (e as Error).message,
      tile ? { tile } : undefined,
    );
    return report();
  }
  counts.entries = scan.count;
  const wellFormed = 'every entry is canonical JSON (RFC 8785) with seq equal to its position';
  if (scan.malformed)
    return (
      list.fail('entries_well_formed', wellFormed, scan.malformed.detail, scan.malformed.where),
      report()
    );
  list.pass('entries_well_formed', wellFormed, `${scan.count} entries`);
  const present = 'the source has every entry the latest checkpoint covers';
  if (scan.count < size) {
    list.fail(
      'entries_present',
      present,
      `${describeCheckpoint(latest)} covers ${size} entries; the source has ${scan.count}: entry ${scan.count} is missing`,
      { entry: scan.count, checkpoint: latest.position, checkpointSize: size },
    );
    return report();
  }
  const extra = scan.count - size;
  list.pass(
    'entries_present',
    present,
    extra > 0
      ? `${extra} newer entries are not yet covered by a checkpoint and were not verified`
      : `${size} entries`,
  );
  tree.finish();
  if (!(await checkTiles(tiles, latest, list)) || !checkRoots(cps, tree, scan.count, list)) return report();
  const proven = provenKeyHistory(
    history[0]!.verifierKey,
    scan.rotations.filter((r) => r.rotationSeq < size),
    cps.map((c) => c.checkpoint.size),
    // A restored handover rests on the rotation's approvals, which only the replay checks.
    options.replay ? history : [],
  );
  // Keys that sign only sizes above the latest checkpoint are not checked yet (a keys document newer than it).
  const difference = keyHistoryDifference(
    history.filter((k) => k.fromSize <= size + 1),
    proven,
  );
  if (difference) {
    const at = proven.find((k, i) => history[i]?.verifierKey !== k.verifierKey)?.rotationSeq;
    const why =
      restored.length > 0 && !options.replay
        ? `${difference}. The key history claims a restored handover (a key signing its own handover), whose authority is the rotation's approvals: verify with the replay to check them`
        : difference;
    list.fail('key_history', historyTitle, why, at === undefined ? undefined : { entry: at });
    return report();
  }
  known.keys = proven;
  const restoredNote = restored.map(
    (k) =>
      `; the key ${shortKey(k.verifierKey)} signed its own handover at size ${k.fromSize} (entry ${k.rotationSeq}): the record was continued from an earlier state after a restore, on the authority of that rotation's approvals, not of the key before`,
  );
  list.pass(
    'key_history',
    historyTitle,
    (proven.length === 1
      ? 'one key, never rotated'
      : `${proven.length} keys: ${proven.map((k) => `${shortKey(k.verifierKey)} from size ${k.fromSize}`).join(', ')}`) +
      restoredNote.join(''),
  );
  if (!(await checkConsistency(trusted, latest, tree.keptReader(), list, restoreHint))) return report();
  counts.sealed = scan.sealed;
  counts.revealed = scan.revealed;
  counts.overdue = scan.overdue.length;
  const sealedTitle = 'every reveal matches the commitment of its sealed entry';
  if (scan.sealedProblem)
    return (
      list.fail('sealed_reveals', sealedTitle, scan.sealedProblem.detail, scan.sealedProblem.where),
      report()
    );
  const overdue =
    scan.overdue.length > 0
      ? `; past their release date and still sealed: entries ${scan.overdue.join(', ')}`
      : '';
  list.pass(
    'sealed_reveals',
    sealedTitle,
    `${scan.sealed} sealed, ${scan.revealed} revealed, ${scan.sealed - scan.revealed} still sealed${overdue}`,
  );
  if (!options.replay) {
    list.skip(
      'replay',
      'the entries replay through the core to the same projections and recounts',
      'no replay is plugged in',
    );
    return report();
  }
  try {
    const context = options.onProgress ? { onProgress: options.onProgress } : {};
    for (const c of await options.replay(verifiedEntries(source, size), size, context)) list.add(c);
  } catch (e) {
    list.fail('replay', 'the entries replay through the core', (e as Error).message);
  }
  return report();
}
