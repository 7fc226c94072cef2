/** A placeholder for a sub-command whose issue has not landed yet: it says so and fails. */
import type { Command } from "../command.ts";

/** Builds a command that prints that it is not available yet and exits 1. */
export function pending(name: string, summary: string): Command {
  return {
    name,
    summary,
    usage: `Usage: cellforge ${name} …\n\n${summary}.\nNot available yet in this version of cellforge.`,
    async run() {
      console.error(`cellforge ${name}: not available yet in this version of cellforge.`);
      return 1;
    },
  };
}
