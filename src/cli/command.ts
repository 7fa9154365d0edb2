// The shape of every `councils` sub-command: arguments in, exit code out, output through `io` so tests can
// capture it. Commands may do I/O (files, network); the pure layers they call may not.
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

export type Command = (args: string[], io: CommandIo) => Promise<number>;

/** A usage error: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
