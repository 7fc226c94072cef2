/** One `cellforge` sub-command: its name, a one-line summary, its usage text and its action. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Runs the command with the arguments after its name; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

/** An error the CLI prints as-is (no stack), with the exit code it maps to. */
export class UsageError extends Error {
  readonly code = "USAGE";
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
