/** `cellforge nb`: run notebooks headlessly on the project's tslab kernel, and register that kernel with Jupyter. */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { commandWithActions, UsageError } from "../command.ts";
import { codeCellLabel } from "../../kernel/cell-label.ts";
import { ParameterError, RunInterruptedError } from "../../kernel/errors.ts";
import { type CellFailure, executeNotebook, type RunEvent } from "../../kernel/executor.ts";
import { installedProject, installKernelspec, projectKernel } from "../../kernel/kernelspec.ts";
import { injectParameters, parseParameterArgument } from "../../kernel/parameters.ts";
import { projectRootOf, readNotebookDocument, serializeNotebook, writeNotebook } from "@cellforge/contract";

const usage = `Usage:
  cellforge nb run NOTEBOOK [-p NAME=VALUE]... [-o OUTPUT] [--timeout SECONDS] [--cwd DIR] [--log-output]
  cellforge nb install-kernel [--data-dir DIR] [--name NAME]

nb run executes NOTEBOOK cell by cell on the project's tslab kernel, papermill style,
and stops at the first failing cell (exit code 1, naming the cell, its error and traceback).
Exit codes: 0 ran to the end, 1 a cell failed or timed out, 2 bad arguments or parameters,
130/143 interrupted by Ctrl-C/SIGTERM. The kernel is shut down in every case.

  -p, --param NAME=VALUE  set a parameter: a code cell tagged \`injected-parameters\` is placed
                          right after the cell tagged \`parameters\` (or starting \`//| parameters\`);
                          values are parsed like papermill's: 3 and 0.5 are numbers, true/false/null,
                          [..] and {..} JSON, anything else a string (also when the parameter's
                          default is a string)
  -o, --output OUTPUT     write the executed notebook there (\`-\` for stdout), also when a cell
                          fails; without it nothing is written
  --timeout SECONDS       per-cell limit: the cell is interrupted and the run fails
  --cwd DIR               the kernel's working directory; default: the nearest folder above the
                          notebook with a package.json (the project root, so that data/… resolves)
  --log-output            echo the cells' outputs on stderr as they come

nb install-kernel registers this checkout's Jupyter kernelspec, "${projectKernel(installedProject()).displayName}"
(${projectKernel(installedProject()).name}: named after the package and a hash of the project path, so
two checkouts never overwrite each other's), in $JUPYTER_DATA_DIR or ~/.local/share/jupyter; it starts
this project's node_modules/tslab in the project root. Re-running it is harmless (also run by
\`npm run kernel:install\`).

Example:
  npx cellforge nb run notebooks/train.ipynb -p epochs=3 -o out.ipynb --timeout 600`;

const OPTIONS = {
  param: { type: "string", short: "p", multiple: true },
  output: { type: "string", short: "o" },
  timeout: { type: "string" },
  cwd: { type: "string" },
  "log-output": { type: "boolean" },
  "data-dir": { type: "string" },
  name: { type: "string" },
} as const;

function parse(args: string[]) {
  try {
    return parseArgs({ args, options: OPTIONS, allowPositionals: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function describeFailure(failure: CellFailure): string {
  const where = codeCellLabel(failure.codeIndex, failure.executionCount);
  const what =
    failure.reason === "timeout"
      ? "timed out"
      : failure.reason === "kernel-died"
        ? "killed the kernel"
        : failure.reason === "interrupted"
          ? "was interrupted"
          : "failed";
  const header = `${failure.ename}: ${failure.evalue}`;
  const traceback = failure.traceback.join("\n");
  // A compile error's traceback is its message again (tslab's TSError): print it once.
  const repeated = traceback === "" || traceback === header || traceback === failure.evalue;
  return `${where} ${what}: ${header}${repeated ? "" : `\n${traceback}`}`;
}

async function run(args: string[]): Promise<number> {
  const { values, positionals } = parse(args);
  const [notebookPath, ...extra] = positionals;
  if (notebookPath === undefined) throw new UsageError("nb run needs a notebook, e.g. nb run notebooks/train.ipynb");
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(" ")}`);
  let cellTimeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    const timeout = Number(values.timeout);
    if (!Number.isFinite(timeout) || timeout <= 0)
      throw new UsageError(`--timeout wants a number of seconds, not ${values.timeout}`);
    cellTimeoutMs = timeout * 1000;
  }
  const output = values.output === undefined || values.output === "-" ? values.output : resolve(values.output);
  if (output !== undefined && output !== "-" && !existsSync(dirname(output))) {
    throw new UsageError(`the folder of -o ${values.output} does not exist; create it first`);
  }
  const path = resolve(notebookPath);
  const cwd = resolve(values.cwd ?? projectRootOf(dirname(path)));
  const logOutput = values["log-output"] === true;
  const log = (text: string): void => {
    process.stderr.write(text);
  };

  let notebook;
  try {
    const parameters = (values.param ?? []).map(parseParameterArgument);
    notebook = injectParameters(await readNotebookDocument(path), parameters, notebookPath);
  } catch (error) {
    if (error instanceof ParameterError) {
      console.error(`cellforge nb: ${error.message}`);
      return 2;
    }
    throw error;
  }

  // Ctrl-C and SIGTERM stop the run; the kernel (its whole process group) is killed on the way out.
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => controller.abort(signal);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  let lineOpen = false;
  const onEvent = (event: RunEvent): void => {
    switch (event.type) {
      case "kernel-ready":
        log(
          `cellforge nb: ${notebookPath}: kernel ${event.info.implementation} ${event.info.implementationVersion} ready in ${seconds(event.startupMs)} (cwd ${cwd})\n`,
        );
        break;
      case "cell-start":
        log(`${codeCellLabel(event.position.codeIndex)}/${event.position.codeCellCount} … `);
        lineOpen = true;
        break;
      case "output":
        if (!logOutput) break;
        if (lineOpen) log("\n");
        lineOpen = false;
        if (event.output.output_type === "stream") log(event.output.text);
        else if (event.output.output_type === "error") log(`${event.output.traceback.join("\n")}\n`);
        else {
          const text = event.output.data["text/plain"];
          log(typeof text === "string" ? `${text}\n` : `[${Object.keys(event.output.data).join(", ")}]\n`);
        }
        break;
      case "cell-end":
        log(
          `${lineOpen ? "" : `${codeCellLabel(event.position.codeIndex)} `}${event.ok ? "ok" : "FAILED"} (${seconds(event.durationMs)})\n`,
        );
        lineOpen = false;
        break;
    }
  };
  try {
    const result = await executeNotebook(notebook, { cwd, cellTimeoutMs, signal: controller.signal, onEvent });
    if (output === "-") process.stdout.write(serializeNotebook(result.notebook));
    else if (output !== undefined) await writeNotebook(output, result.notebook);
    const written = output === undefined || output === "-" ? "" : ` Executed notebook written to ${values.output}.`;
    if (result.failure === null) {
      log(`cellforge nb: ${notebookPath} ran to the end.${written}\n`);
      return 0;
    }
    log(
      `cellforge nb: ${notebookPath}: ${describeFailure(result.failure)}\n${written.trim()}${written === "" ? "" : "\n"}`,
    );
    if (result.failure.reason === "interrupted") return controller.signal.reason === "SIGTERM" ? 143 : 130;
    return 1;
  } catch (error) {
    if (error instanceof RunInterruptedError) {
      log(`cellforge nb: ${error.message}\n`);
      return controller.signal.reason === "SIGTERM" ? 143 : 130;
    }
    throw error;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

async function installKernel(args: string[]): Promise<number> {
  const { values, positionals } = parse(args);
  if (positionals.length > 0) throw new UsageError(`unexpected arguments: ${positionals.join(" ")}`);
  const installed = await installKernelspec({ dataDir: values["data-dir"], name: values.name });
  console.log(
    `${installed.changed ? "Installed" : "Already installed:"} Jupyter kernelspec "${installed.displayName}" in ${installed.dir}\n` +
      "Pick it in Jupyter or VS Code to run this project's notebooks.",
  );
  return 0;
}

const nb = commandWithActions({
  name: "nb",
  summary: "run a notebook headlessly on the tslab kernel (papermill style)",
  usage,
  actions: { run, "install-kernel": installKernel },
});

export default nb;
