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

/** One action of a command that has several (`runs list`, `runs show ID`): takes the arguments after it. */
export type Action = (args: string[]) => Promise<number>;

/**
 * A command whose first argument names an action (`cellforge runs compare A B`).
 * `defaultAction` runs when no action is given.
 */
export function commandWithActions(spec: {
  name: string;
  summary: string;
  usage: string;
  actions: Record<string, Action>;
  defaultAction?: string;
}): Command {
  const names = Object.keys(spec.actions);
  const choices = `${names.slice(0, -1).join(", ")} or ${names.at(-1) ?? ""}`;
  return {
    name: spec.name,
    summary: spec.summary,
    usage: spec.usage,
    async run(args) {
      const [action = spec.defaultAction, ...rest] = args;
      if (action === undefined) throw new UsageError(`${spec.name} needs an action: ${choices}.`);
      const run = Object.hasOwn(spec.actions, action) ? spec.actions[action] : undefined;
      if (run === undefined) throw new UsageError(`unknown action \`${action}\`; use ${choices}.`);
      return run(rest);
    },
  };
}
