/** Command-line option parsing for cellforge sub-commands (node:util parseArgs, errors as UsageError). */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./command.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parsed options and positionals. */
export interface Parsed {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/** Parses `args` strictly against `options`; unknown options and missing values become UsageErrors. */
export function parseOptions(args: string[], options: Options, maxPositionals: number): Parsed {
  let parsed: Parsed;
  try {
    const result = parseArgs({ args, options, allowPositionals: true, strict: true });
    parsed = { values: result.values, positionals: result.positionals };
  } catch (error) {
    throw new UsageError(
      error instanceof Error ? error.message.replace(/\. To specify a positional.*$/s, ".") : String(error),
    );
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(
      `unexpected argument${parsed.positionals.length - maxPositionals > 1 ? "s" : ""} ${parsed.positionals.slice(maxPositionals).join(" ")}.`,
    );
  }
  return parsed;
}

/** A string option's value (the last one when repeated). */
export function stringOption(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  if (Array.isArray(value)) return value.at(-1) as string | undefined;
  return typeof value === "string" ? value : undefined;
}

/** A comma-separated list option, repeatable (`--nodes a,b --nodes c`). */
export function listOption(parsed: Parsed, name: string): string[] {
  const value = parsed.values[name];
  const all = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return all
    .flatMap((v) => String(v).split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

/** A positive integer option. */
export function integerOption(parsed: Parsed, name: string): number | undefined {
  const text = stringOption(parsed, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw new UsageError(`--${name} expects a positive whole number, not \`${text}\`.`);
  return value;
}
