/** The `extract` command line: extract notebooks into pipelines/, or check that the committed modules match them. */
import { performance } from "node:perf_hooks";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import {
  DirectiveError,
  NotebookError,
  hasDirectives,
  notebookDirectives,
  projectRootOf,
  readNotebook,
} from "@cellforge/contract";
import { ExtractionFailed } from "../analysis/problems.ts";
import { CatalogError } from "../codegen/catalog.ts";
import { checkNotebook } from "./check.ts";
import { OutputTakenError, planExtraction, writeExtraction, type ExtractOptions } from "./extract.ts";
import { findNotebooks } from "./paths.ts";
import { formatProblems } from "./report.ts";

const usage = `Usage: extract <notebook.ipynb>… [--out DIR] [--check]
       extract --all [--check]

Lifts the tagged cells of TypeScript notebooks into typed pipeline modules
under pipelines/<notebook name>/ and adds their datasets to conf/base/catalog.yml.

Options:
  --all            every notebook under notebooks/ that has directives
  --check          change nothing; exit 1 with a diff when the modules or the
                   catalog do not match the notebook
  --out DIR        write the modules to DIR (one notebook only)
  --catalog FILE   merge dataset entries into FILE instead of conf/base/catalog.yml
  -h, --help       show this help
  --               what follows is a notebook path, even if it starts with -`;

/** A command line that does not make sense; exit code 2. */
class UsageError extends Error {
  readonly code = "usage";
}

interface Arguments {
  notebooks: string[];
  all: boolean;
  check: boolean;
  options: ExtractOptions;
}

/** Parses the command line strictly (node:util parseArgs, as the runtime's CLI): `--out=DIR`, `--` before paths that start with a dash. */
function parseArguments(argv: readonly string[]): Arguments {
  let values: { all?: boolean; check?: boolean; out?: string; catalog?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: {
        all: { type: "boolean" },
        check: { type: "boolean" },
        out: { type: "string" },
        catalog: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(
      error instanceof Error ? error.message.replace(/\. To specify a positional.*$/s, ".") : String(error),
    );
  }
  const parsed: Arguments = {
    notebooks: positionals,
    all: values.all === true,
    check: values.check === true,
    options: {},
  };
  if (values.out !== undefined) parsed.options.outDir = values.out;
  if (values.catalog !== undefined) parsed.options.catalogPath = values.catalog;
  if (parsed.all && parsed.notebooks.length > 0) throw new UsageError("give notebooks or --all, not both.");
  if (!parsed.all && parsed.notebooks.length === 0) throw new UsageError("give a notebook to extract, or --all.");
  if (parsed.options.outDir !== undefined && (parsed.all || parsed.notebooks.length > 1))
    throw new UsageError("--out works with one notebook only.");
  return parsed;
}

/** The notebooks under notebooks/ that have at least one directive, and those that cannot be read (each reported in one line, then skipped). */
async function notebooksWithDirectives(root: string): Promise<{ notebooks: string[]; unreadable: number }> {
  const notebooks: string[] = [];
  let unreadable = 0;
  for (const path of await findNotebooks(join(root, "notebooks"))) {
    const shown = relative(process.cwd(), path);
    try {
      if (hasDirectives(notebookDirectives(await readNotebook(shown)))) notebooks.push(shown);
    } catch (error) {
      if (!(error instanceof NotebookError)) throw error;
      console.error(`${error.message.replace(/\.$/, "")}: skipped, the other notebooks are handled.`);
      unreadable++;
    }
  }
  return { notebooks, unreadable };
}

function seconds(start: number): string {
  return `${((performance.now() - start) / 1000).toFixed(2)} s`;
}

async function extractOne(path: string, options: ExtractOptions): Promise<boolean> {
  const start = performance.now();
  const plan = await planExtraction(path, options);
  if (plan.warnings.length > 0) console.warn(formatProblems(plan.warnings));
  const { written, removed, catalogAdded } = await writeExtraction(plan);
  const out = relative(process.cwd(), plan.paths.outDir) || ".";
  const changes = [
    written.length === 0 ? "unchanged" : `wrote ${written.join(", ")}`,
    ...(removed.length === 0 ? [] : [`removed ${removed.join(", ")}`]),
    ...(catalogAdded.length === 0
      ? []
      : [`added ${catalogAdded.join(", ")} to ${relative(process.cwd(), plan.paths.catalogPath)}`]),
  ];
  console.log(`${plan.paths.source} → ${out}/: ${changes.join("; ")} (${seconds(start)})`);
  return true;
}

async function checkOne(path: string, options: ExtractOptions): Promise<boolean> {
  const start = performance.now();
  const result = await checkNotebook(path, options);
  if (result.upToDate) {
    console.log(
      `${result.source}: up to date (${result.fast ? "hashes match" : "regenerated and compared"}, ${seconds(start)})`,
    );
    for (const note of result.notes) console.log(`note: ${note}`);
    return true;
  }
  process.stdout.write(result.diff);
  for (const note of result.notes) console.error(`note: ${note}`);
  // `cellforge run` reads this line (runtime/cli/pipelines-sync.ts): keep its shape.
  console.error(
    `${result.source}: the generated modules do not match the notebook (${result.changes.join("; ")}); run \`npx extract ${result.source}\` (or \`npm run extract\`) and commit the result.`,
  );
  return false;
}

/** Reports why a notebook does not extract: its problems, then one line naming it. */
function reportFailure(error: unknown, check: boolean): void {
  if (error instanceof ExtractionFailed) {
    const errors = error.problems.filter((p) => p.severity === "error").length;
    console.error(formatProblems(error.problems));
    console.error(
      check
        ? `${error.notebook} does not extract (${errors} error${errors === 1 ? "" : "s"} above): fix the notebook; there is nothing to compare until it extracts.`
        : error.message,
    );
  } else if (
    error instanceof NotebookError ||
    error instanceof DirectiveError ||
    error instanceof CatalogError ||
    error instanceof OutputTakenError
  ) {
    console.error(`extract: ${error.message}`);
  } else {
    throw error;
  }
}

/** Runs the CLI with argv (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const beforeDashes = argv.includes("--") ? argv.slice(0, argv.indexOf("--")) : argv;
  if (beforeDashes.includes("--help") || beforeDashes.includes("-h")) {
    console.log(usage);
    return 0;
  }
  let args: Arguments;
  try {
    args = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`extract: ${error.message}\n\n${usage}`);
    return 2;
  }
  const found = args.all
    ? await notebooksWithDirectives(projectRootOf(process.cwd()))
    : { notebooks: args.notebooks, unreadable: 0 };
  const { notebooks } = found;
  if (args.all && notebooks.length === 0 && found.unreadable === 0) {
    console.log("extract: no notebook under notebooks/ has directives; nothing to do.");
    return 0;
  }
  // Each notebook on its own: one that does not extract is reported and the others are still handled.
  let ok = found.unreadable === 0;
  for (const notebook of notebooks) {
    try {
      ok = (args.check ? await checkOne(notebook, args.options) : await extractOne(notebook, args.options)) && ok;
    } catch (error) {
      ok = false;
      reportFailure(error, args.check);
    }
  }
  return ok ? 0 : 1;
}
