// `councils witness`: a witness that a member or a sister organisation runs. It follows one or more records'
// checkpoints over HTTP, cosigns (C2SP tlog-cosignature) only a checkpoint that is consistent with the last one
// it cosigned for that log (an RFC 9162 consistency proof from the server, checked here), keeps that state in a
// file written durably before any cosignature leaves, and posts the cosignature back to the log. A rollback or
// a fork is refused and said, and never cosigned. docs/OPERATIONS.md "Witnesses".
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  bytesEqual,
  encodeCosignerKeyPair,
  fromBase64,
  noteSignatureLines,
  openCheckpoint,
  parseCosignerKey,
  parseKeyHistory,
  parseVerifierKey,
  toBase64,
  verifyConsistency,
  type Cosigner,
} from '../../record/index.ts';
import { writeFileDurably } from '../../node/signing-mark.ts';
import { UsageError, type Command, type CommandIo } from '../command.ts';

export const witnessUsage = `usage: councils witness --key FILE [--state FILE] [--log-key VKEY]… [--once | --every SECONDS] LOG_URL…
       councils witness --new NAME --key FILE
  LOG_URL          a record's URL prefix, e.g. https://councils.example/api/v1/orgs/ORG/record
  --key FILE       the witness's signer key (C2SP tlog-cosignature, Ed25519, mode 0600)
  --new NAME       make a new witness key in --key and print its verifier key, for the organisation to list
                   (a rotate of change_witnesses, or constitution.witnesses)
  --state FILE     what the witness last cosigned for each log (default ./witness-state.json)
  --log-key VKEY   the log key of the LOG_URL at the same position (default: the log's vkey, trusted on first use)
  --once           one round; exit 1 if any log was refused (a rollback or a fork), 0 otherwise
  --every SECONDS  the time between rounds when running on (default 60)`;

/** Per log (by origin): its key, and the last checkpoint the witness checked and cosigned. */
export interface WitnessState {
  version: 1;
  logs: Record<string, { key: string; size: number; rootHash: string; checkpoint: string }>;
  sources: Record<string, string>;
}

export type RoundResult =
  | { url: string; status: 'cosigned'; origin: string; size: number; posted: string }
  | { url: string; status: 'refused'; origin?: string; reason: string }
  | { url: string; status: 'unreachable'; reason: string };

function readState(path: string): WitnessState {
  if (!existsSync(path)) return { version: 1, logs: {}, sources: {} };
  const s = JSON.parse(readFileSync(path, 'utf8')) as WitnessState;
  if (s?.version !== 1 || typeof s.logs !== 'object' || typeof s.sources !== 'object')
    throw new UsageError(`${path} is not a witness state file`);
  return s;
}

async function get(url: string): Promise<Response> {
  const res = await fetch(url, { headers: { accept: '*/*' } });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res;
}

/** The log key that signs `signed`: the pinned one, or a later key the log's keys.json names after it. */
async function keyFor(url: string, pinned: string, signed: string, origin: string): Promise<string> {
  try {
    openCheckpoint(signed, origin, parseVerifierKey(pinned));
    return pinned;
  } catch (e) {
    const res = await fetch(`${url}/keys.json`);
    if (!res.ok) throw e;
    const keys = parseKeyHistory(await res.text()).keys.map((k) => k.verifierKey);
    const at = keys.indexOf(pinned);
    for (const k of at < 0 ? [] : keys.slice(at + 1).reverse()) {
      try {
        openCheckpoint(signed, origin, parseVerifierKey(k));
        return k; // a rotation: accepted only if the checkpoint is also consistent with the last one cosigned
      } catch {
        // not this key
      }
    }
    throw e;
  }
}

/** One round for one log: check the latest checkpoint against the last one cosigned, then cosign and post. */
export async function witnessLog(
  url: string,
  pinnedKey: string | undefined,
  state: WitnessState,
  save: () => void,
  cosigner: Cosigner,
  nowSeconds: bigint,
): Promise<RoundResult> {
  let signed: string;
  let known = state.sources[url] ? state.logs[state.sources[url]!] : undefined;
  try {
    signed = await (await get(`${url}/checkpoint`)).text();
  } catch (e) {
    return { url, status: 'unreachable', reason: (e as Error).message };
  }
  let key = known?.key ?? pinnedKey;
  if (!key) key = (await (await get(`${url}/vkey`)).text()).trim();
  const origin = state.sources[url] ?? parseVerifierKey(key).name;
  known = state.logs[origin];
  let cp;
  try {
    key = await keyFor(url, key, signed, origin);
    cp = openCheckpoint(signed, origin, parseVerifierKey(key)).checkpoint;
  } catch (e) {
    return { url, status: 'refused', origin, reason: `not signed by the log key: ${(e as Error).message}` };
  }
  if (known) {
    const root = fromBase64(known.rootHash)!;
    if (cp.size < known.size)
      return {
        url,
        status: 'refused',
        origin,
        reason: `rollback: the log's latest checkpoint has size ${cp.size}, below the size ${known.size} this witness cosigned`,
      };
    if (cp.size === known.size && !bytesEqual(cp.rootHash, root))
      return {
        url,
        status: 'refused',
        origin,
        reason: `fork: the log's checkpoint of size ${cp.size} has another root than the one this witness cosigned`,
      };
    if (cp.size > known.size) {
      let proof: Uint8Array[];
      const at = `${url}/consistency?from=${known.size}&to=${cp.size}`;
      try {
        const res = await fetch(at);
        // A log that never issued the checkpoint this witness cosigned cannot prove it extends it.
        if (res.status === 404 || res.status === 400)
          return {
            url,
            status: 'refused',
            origin,
            reason: `fork or rollback: the log cannot prove that its checkpoint of size ${cp.size} extends the size ${known.size} this witness cosigned (GET ${at}: HTTP ${res.status})`,
          };
        if (!res.ok) throw new Error(`GET ${at}: HTTP ${res.status}`);
        const body = (await res.json()) as { proof: string[] };
        proof = body.proof.map((h) => fromBase64(h) ?? new Uint8Array());
      } catch (e) {
        return { url, status: 'unreachable', reason: (e as Error).message };
      }
      if (!verifyConsistency(known.size, cp.size, proof, root, cp.rootHash))
        return {
          url,
          status: 'refused',
          origin,
          reason: `fork: the checkpoint of size ${cp.size} is not an extension of the size ${known.size} this witness cosigned (the consistency proof fails)`,
        };
    }
  }
  // The state moves first: once a cosignature has left, the witness never signs a conflicting one.
  state.logs[origin] = { key, size: cp.size, rootHash: toBase64(cp.rootHash), checkpoint: signed };
  state.sources[url] = origin;
  save();
  const line = cosigner.cosign(noteSignatureLines(signed).text, nowSeconds);
  const res = await fetch(`${url}/cosignatures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ size: cp.size, line }),
  });
  const reply = (await res.json().catch(() => ({}))) as { error?: string; message?: string };
  const posted =
    res.status === 201
      ? 'added to the checkpoint'
      : reply.error === 'already_exists'
        ? 'already on the checkpoint'
        : `not taken by the log: HTTP ${res.status} ${reply.error ?? ''} ${reply.message ?? ''}`.trim();
  return { url, status: 'cosigned', origin, size: cp.size, posted };
}

function report(io: CommandIo, r: RoundResult): void {
  if (r.status === 'cosigned') io.out(`${r.origin}: cosigned size ${r.size} (${r.posted})\n`);
  else if (r.status === 'refused') io.err(`${r.origin ?? r.url}: REFUSED, not cosigned: ${r.reason}\n`);
  else io.err(`${r.url}: unreachable: ${r.reason}\n`);
}

export const witnessCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      key: { type: 'string' },
      new: { type: 'string' },
      state: { type: 'string' },
      'log-key': { type: 'string', multiple: true },
      once: { type: 'boolean' },
      every: { type: 'string' },
    },
  });
  if (!values.key) throw new UsageError('--key FILE is required');
  if (values.new !== undefined) {
    if (existsSync(values.key)) throw new UsageError(`${values.key} exists: a witness key is never replaced`);
    const pair = encodeCosignerKeyPair(values.new, new Uint8Array(randomBytes(32)));
    writeFileDurably(values.key, pair.signerKey + '\n', 0o600);
    io.out(`${pair.verifierKey}\n`);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('give at least one LOG_URL');
  if (!existsSync(values.key))
    throw new UsageError(`no witness key at ${values.key} (make one with --new NAME)`);
  const cosigner = parseCosignerKey(readFileSync(values.key, 'utf8').trim());
  const statePath = resolve(values.state ?? 'witness-state.json');
  const state = readState(statePath);
  const save = () => writeFileDurably(statePath, JSON.stringify(state, null, 2) + '\n', 0o600);
  const pins = values['log-key'] ?? [];
  const every = Number(values.every ?? 60);
  if (!(every > 0)) throw new UsageError('--every must be a positive number of seconds');
  const urls = positionals.map((u) => u.replace(/\/+$/, ''));
  const round = async () => {
    let refused = 0;
    for (const [i, url] of urls.entries()) {
      const r = await witnessLog(url, pins[i], state, save, cosigner, BigInt(Math.floor(Date.now() / 1000)));
      report(io, r);
      if (r.status === 'refused') refused++;
    }
    return refused;
  };
  if (values.once) return (await round()) > 0 ? 1 : 0;
  for (;;) {
    await round();
    await new Promise((r) => setTimeout(r, every * 1000));
  }
};
