/** The `cellforge` command line: dispatches to one file per sub-command. */
import type { Command } from "./command.ts";
import { UsageError } from "./command.ts";

const commands: Command[] = [];

/** Registers the sub-commands; each lives in runtime/cli/commands/<name>.ts. */
async function loadCommands(): Promise<Command[]> {
  if (commands.length > 0) return commands;
  const { default: all } = await import("./commands/index.ts");
  commands.push(...all);
  return commands;
}

function usage(all: Command[]): string {
  const width = Math.max(...all.map((c) => c.name.length));
  return [
    "Usage: cellforge <command> [options]",
    "",
    "Commands:",
    ...all.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `cellforge <command> --help` for a command's options.",
  ].join("\n");
}

/** What to say when a server's port is taken: Node's `listen EADDRINUSE` names neither the cause nor --port. */
function portTaken(error: Error, command: string): string {
  const { address, port } = error as Error & { address?: string; port?: number };
  const where = address === undefined || port === undefined ? "The port" : `${address}:${port}`;
  const next = port === undefined ? "3001" : String(port + 1);
  return `${where} is already in use (another cellforge server?): stop it, or pass another port: \`cellforge ${command} --port ${next}\` (\`npm start -- --port ${next}\`), or set \`port\` in conf/base/serving.yml.`;
}

/** Runs the CLI with argv (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const all = await loadCommands();
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(usage(all));
    return name === undefined ? 1 : 0;
  }
  const command = all.find((c) => c.name === name);
  if (command === undefined) {
    console.error(`cellforge: unknown command \`${name}\`.\n\n${usage(all)}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`cellforge ${name}: ${error.message}\n\n${command.usage}`);
      return 2;
    }
    if (error instanceof Error && "code" in error && error.code === "EADDRINUSE") {
      console.error(`cellforge ${name}: ${portTaken(error, name)}`);
      return 1;
    }
    if (error instanceof Error && "code" in error) {
      console.error(`cellforge ${name}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
