// The numbered checks a record verification reports. A check that fails names where: an entry (0-based seq), a
// checkpoint (its position in the source and its size), or a tile path.

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckLocation {
  /** 0-based position (= seq) of the first entry that fails. */
  entry?: number;
  /** Last entry of a range when the failure can only be narrowed to [entry, entryEnd]. */
  entryEnd?: number;
  /** 1-based position of the checkpoint in the source's list. */
  checkpoint?: number;
  checkpointSize?: number;
  tile?: string;
}

export interface Check {
  /** 1-based, in the order the checks ran. */
  number: number;
  /** Stable snake_case id, e.g. "checkpoint_roots". */
  id: string;
  title: string;
  status: CheckStatus;
  detail?: string;
  where?: CheckLocation;
}

/** A check returned by a plug-in (the core's replay); the verifier numbers it. */
export type PluginCheck = Omit<Check, 'number'>;

export class CheckList {
  readonly checks: Check[] = [];

  add(check: PluginCheck): Check {
    const numbered = { number: this.checks.length + 1, ...check };
    this.checks.push(numbered);
    return numbered;
  }

  pass(id: string, title: string, detail?: string): Check {
    return this.add({ id, title, status: 'pass', ...(detail === undefined ? {} : { detail }) });
  }

  fail(id: string, title: string, detail: string, where?: CheckLocation): Check {
    return this.add({ id, title, status: 'fail', detail, ...(where ? { where } : {}) });
  }

  skip(id: string, title: string, detail: string): Check {
    return this.add({ id, title, status: 'skip', detail });
  }

  get failed(): Check | undefined {
    return this.checks.find((c) => c.status === 'fail');
  }
}

/** One line per check, e.g. "  3. ok    every entry is canonical JSON (1000 entries)". */
export function formatCheck(c: Check): string {
  const mark = c.status === 'pass' ? 'ok  ' : c.status === 'fail' ? 'FAIL' : 'skip';
  const detail = c.detail ? `\n        ${c.detail}` : '';
  return `${String(c.number).padStart(3)}. ${mark}  ${c.title}${detail}`;
}
