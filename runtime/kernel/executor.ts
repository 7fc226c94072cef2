/** Runs a notebook cell by cell on a fresh tslab kernel, papermill style: stop at the first failing cell. */
import {
  CellTimeoutError,
  KernelDiedError,
  KernelProtocolError,
  KernelRunnerError,
  RunInterruptedError,
} from "./errors.ts";
import { Kernel, type ExecuteReply, type KernelInfo } from "./kernel-client.ts";
import { CellOutputs, DisplayRegistry } from "./outputs.ts";
import type { CodeCell, ErrorOutput, NotebookDocument, Output } from "@cellforge/contract";
import { isObject, type JsonObject } from "./wire.ts";

/** Where a cell sits: `index` among all cells, `codeIndex` among code cells (both 0-based). */
export interface CellPosition {
  index: number;
  codeIndex: number;
  cellCount: number;
  codeCellCount: number;
}

/** What the runner reports while it works. */
export type RunEvent =
  | { type: "kernel-ready"; startupMs: number; info: KernelInfo }
  | { type: "cell-start"; position: CellPosition; cell: CodeCell }
  | { type: "output"; position: CellPosition; output: Output }
  | { type: "cell-end"; position: CellPosition; cell: CodeCell; ok: boolean; durationMs: number };

/** Why the run stopped early. */
export interface CellFailure extends CellPosition {
  reason: "error" | "timeout" | "kernel-died" | "interrupted" | "protocol";
  /** The execution count the kernel gave the cell, when it replied (null when it timed out, died or was interrupted). */
  executionCount: number | null;
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface ExecuteNotebookOptions {
  /** The kernel's working directory. */
  cwd: string;
  /** Per-cell limit; the cell is interrupted, then the run fails (default: none). */
  cellTimeoutMs?: number;
  /** How long the kernel may take to start (default 60 s). */
  startTimeoutMs?: number;
  /** Aborting it stops the run at once (Ctrl-C); the kernel is killed. */
  signal?: AbortSignal;
  /** Parent folder of the kernel's connection-file folder (default: the OS temp dir). */
  tmpDir?: string;
  onEvent?(event: RunEvent): void;
}

/** The executed notebook (outputs filled, also when a cell failed) and the failure, if any. */
export interface NotebookRun {
  notebook: NotebookDocument;
  failure: CellFailure | null;
  kernel: KernelInfo;
}

function failureOutput(failure: Pick<CellFailure, "ename" | "evalue" | "traceback">): ErrorOutput {
  return { output_type: "error", ename: failure.ename, evalue: failure.evalue, traceback: failure.traceback };
}

/** An error the kernel reported: its error output, else the reply's fields, else its stderr (unpatched kernels). */
function reportedError(
  reply: ExecuteReply,
  outputs: CellOutputs,
): { ename: string; evalue: string; traceback: string[]; sent: boolean } {
  const output = outputs.error;
  if (output !== undefined) return { ...output, sent: true };
  const { ename, evalue, traceback } = reply.content;
  if (typeof ename === "string") {
    return {
      ename,
      evalue: typeof evalue === "string" ? evalue : "",
      traceback: Array.isArray(traceback) ? traceback.map(String) : [],
      sent: false,
    };
  }
  const lines = outputs.stderr.split("\n").filter((line) => line.trim() !== "");
  const header = lines.map((line) => /^([A-Za-z_$][\w$]*): (.*)$/.exec(line.trim())).find((match) => match !== null);
  return {
    ename: header?.[1] ?? "Error",
    evalue: header?.[2] ?? lines[0] ?? "the cell failed",
    traceback: lines,
    sent: false,
  };
}

function failureFromException(
  error: KernelRunnerError,
): Pick<CellFailure, "reason" | "ename" | "evalue" | "traceback"> {
  const reason: CellFailure["reason"] =
    error instanceof CellTimeoutError
      ? "timeout"
      : error instanceof KernelDiedError
        ? "kernel-died"
        : error instanceof RunInterruptedError
          ? "interrupted"
          : error instanceof KernelProtocolError
            ? "protocol"
            : "error";
  return { reason, ename: error.name, evalue: error.message, traceback: [`${error.name}: ${error.message}`] };
}

/**
 * Executes every non-empty code cell in order on a new kernel started in `options.cwd`, and returns a
 * copy of the notebook with fresh outputs and execution counts. Stops at the first failure, which is
 * returned (not thrown) so the partial notebook can be saved. The kernel is shut down in every case.
 * Throws only when the kernel cannot start (KernelStartError, TslabNotPatchedError, RunInterruptedError).
 */
export async function executeNotebook(input: NotebookDocument, options: ExecuteNotebookOptions): Promise<NotebookRun> {
  const notebook = structuredClone(input);
  const codeCells = notebook.cells.filter((cell): cell is CodeCell => cell.cell_type === "code");
  for (const cell of codeCells) {
    cell.outputs = [];
    cell.execution_count = null;
    delete cell.metadata["execution"];
  }
  const emit = (event: RunEvent): void => options.onEvent?.(event);
  const runStart = new Date();
  const kernel = await Kernel.start({
    cwd: options.cwd,
    tmpDir: options.tmpDir,
    startTimeoutMs: options.startTimeoutMs,
    signal: options.signal,
  });
  emit({ type: "kernel-ready", startupMs: Date.now() - runStart.getTime(), info: kernel.info });
  let failure: CellFailure | null = null;
  try {
    if (Object.keys(kernel.info.languageInfo).length > 0) notebook.metadata["language_info"] = kernel.info.languageInfo;
    const displays = new DisplayRegistry();
    let codeIndex = -1;
    for (const [index, cell] of notebook.cells.entries()) {
      if (cell.cell_type !== "code") continue;
      codeIndex++;
      if (cell.source.trim() === "") continue;
      const position: CellPosition = {
        index,
        codeIndex,
        cellCount: notebook.cells.length,
        codeCellCount: codeCells.length,
      };
      emit({ type: "cell-start", position, cell });
      const outputs = new CellOutputs(displays);
      cell.outputs = outputs.outputs;
      const started = new Date();
      try {
        const reply = await kernel.execute(cell.source, {
          onOutput: (message) => {
            const output = outputs.add(message);
            if (output !== null) emit({ type: "output", position, output });
          },
          timeoutMs: options.cellTimeoutMs,
          signal: options.signal,
        });
        cell.execution_count = reply.executionCount;
        if (reply.status === "error") {
          const error = reportedError(reply, outputs);
          if (!error.sent) outputs.addError(failureOutput(error));
          failure = {
            ...position,
            reason: "error",
            executionCount: reply.executionCount,
            ename: error.ename,
            evalue: error.evalue,
            traceback: error.traceback,
          };
        } else if (reply.status === "aborted") {
          const aborted = {
            ename: "Aborted",
            evalue: "the kernel aborted this cell",
            traceback: ["the kernel aborted this cell"],
          };
          outputs.addError(failureOutput(aborted));
          failure = { ...position, reason: "error", executionCount: reply.executionCount, ...aborted };
        }
      } catch (error) {
        if (!(error instanceof KernelRunnerError)) throw error;
        const cause = failureFromException(error);
        // The kernel's own report of an interrupted cell (if it made it) stays above ours.
        outputs.addError(failureOutput(cause));
        failure = { ...position, executionCount: null, ...cause };
      }
      const finished = new Date();
      const timing: JsonObject = {
        "iopub.status.busy": started.toISOString(),
        "shell.execute_reply": finished.toISOString(),
      };
      cell.metadata["execution"] = timing;
      emit({
        type: "cell-end",
        position,
        cell,
        ok: failure === null,
        durationMs: finished.getTime() - started.getTime(),
      });
      if (failure !== null) break;
    }
  } finally {
    // A kernel that was interrupted, timed out or misbehaved gets no say: terminate it at once.
    await kernel.shutdown({ graceful: failure === null || failure.reason === "error" });
  }
  const runEnd = new Date();
  const previous = notebook.metadata["cellforge"];
  notebook.metadata["cellforge"] = {
    ...(isObject(previous) ? previous : {}),
    start_time: runStart.toISOString(),
    end_time: runEnd.toISOString(),
    duration: (runEnd.getTime() - runStart.getTime()) / 1000,
    exception: failure !== null,
  };
  return { notebook, failure, kernel: kernel.info };
}
