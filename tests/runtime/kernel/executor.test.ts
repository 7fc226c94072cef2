import { afterAll, afterEach, describe, expect, it } from "vitest";
import { KernelStartError } from "../../../runtime/kernel/errors.ts";
import { executeNotebook, type RunEvent } from "../../../runtime/kernel/executor.ts";
import {
  type CodeCell,
  cellTags,
  type NotebookDocument as Notebook,
  type Output,
  readNotebookDocument as readNotebook,
} from "@cellforge/contract";
import { injectParameters, parseParameterArgument } from "../../../runtime/kernel/parameters.ts";
import { fixture, kernelsUnder, repoRoot, tempRoot } from "./support.ts";

const root = tempRoot();
const run = (notebook: Notebook, options: { cellTimeoutMs?: number; onEvent?(event: RunEvent): void } = {}) =>
  executeNotebook(notebook, { cwd: repoRoot, tmpDir: root.path, ...options });

function codeCells(notebook: Notebook): CodeCell[] {
  return notebook.cells.filter((cell): cell is CodeCell => cell.cell_type === "code");
}

function streamText(outputs: Output[], name: "stdout" | "stderr"): string {
  return outputs.map((output) => (output.output_type === "stream" && output.name === name ? output.text : "")).join("");
}

afterEach(() => {
  expect(kernelsUnder(root.path)).toEqual([]);
});
afterAll(() => root.remove());

describe("executeNotebook on the real tslab kernel", () => {
  it("turns every kind of output into nbformat outputs, with injected parameters in effect", async () => {
    const input = injectParameters(await readNotebook(fixture("outputs.ipynb")), [
      parseParameterArgument("repeat=3"),
      parseParameterArgument('tags=["x","y"]'),
    ]);
    const events: RunEvent["type"][] = [];
    const { notebook, failure } = await run(input, { onEvent: (event) => events.push(event.type) });
    expect(failure).toBeNull();
    const cells = codeCells(notebook);
    const [parameters, injected, loop, display, empty, value, shorthand, cwd] = cells;

    // The injected cell sits right after the parameters cell, tagged, and ran second.
    expect(notebook.cells.indexOf(injected as CodeCell)).toBe(notebook.cells.indexOf(parameters as CodeCell) + 1);
    expect(injected && cellTags(injected)).toEqual(["injected-parameters"]);
    expect(injected?.execution_count).toBe(2);

    // Streams: the injected repeat=3 and tags took effect.
    expect(streamText(loop?.outputs ?? [], "stdout")).toBe("hello 0\nhello 1\nhello 2\n");
    expect(streamText(loop?.outputs ?? [], "stderr")).toBe("tags: x,y\n");

    // display_data as tslab's display sends it.
    expect(display?.outputs).toEqual([
      { output_type: "display_data", data: { "text/html": "<b>bold</b>" }, metadata: {} },
      {
        output_type: "display_data",
        data: {
          "image/svg+xml":
            '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
        },
        metadata: {},
      },
      {
        output_type: "display_data",
        data: { "image/png": Buffer.from([137, 80, 78, 71]).toString("base64") },
        metadata: {},
      },
    ]);

    // An empty cell is skipped; the last expression is an execute_result, apart from earlier prints.
    expect(empty?.execution_count).toBeNull();
    expect(value?.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "before the value\n" },
      {
        output_type: "execute_result",
        execution_count: value?.execution_count,
        data: { "text/plain": "42" },
        metadata: {},
      },
    ]);
    expect(shorthand?.outputs).toEqual([
      {
        output_type: "execute_result",
        execution_count: shorthand?.execution_count,
        data: { "text/plain": "{ greeting: 'hello', repeat: 3 }" },
        metadata: {},
      },
    ]);
    expect(streamText(cwd?.outputs ?? [], "stdout")).toBe(`cwd: ${repoRoot}\n`);
    expect(cells.map((cell) => cell.execution_count)).toEqual([1, 2, 3, 4, null, 5, 6, 7]);
    expect(notebook.nbformat_minor).toBe(5);
    expect(notebook.metadata["language_info"]).toMatchObject({ name: "typescript" });
    expect(events[0]).toBe("kernel-ready");
  });

  it("lets cells import the project's own TypeScript modules, such as @cellforge/runtime/tfjs", async () => {
    const { notebook, failure } = await run(await readNotebook(fixture("imports-project-typescript.ipynb")));
    expect(failure).toBeNull();
    const [cell] = codeCells(notebook);
    expect(cell?.outputs).toContainEqual(
      expect.objectContaining({ output_type: "execute_result", data: { "text/plain": "'wasm'" } }),
    );
  });

  it("delivers all 20,000 lines of a burst, and 2,000 one-line messages, in order", async () => {
    const { notebook, failure } = await run(await readNotebook(fixture("twenty-thousand-lines.ipynb")));
    expect(failure).toBeNull();
    const [burst, ticks] = codeCells(notebook);
    const expected = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}\n`).join("");
    expect(streamText(burst?.outputs ?? [], "stdout")).toBe(expected("line", 20_000));
    expect(streamText(ticks?.outputs ?? [], "stdout")).toBe(expected("tick", 2_000));
    // Consecutive stream messages are merged into one output, as Jupyter shows them.
    expect(burst?.outputs).toHaveLength(1);
  });

  it("interrupts a cell that overruns its timeout, then stops the run", async () => {
    const started = Date.now();
    const { notebook, failure } = await run(await readNotebook(fixture("hangs.ipynb")), { cellTimeoutMs: 1_500 });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(failure).toMatchObject({ index: 1, codeIndex: 1, reason: "timeout", ename: "CellTimeoutError" });
    const [first, hanging, never] = codeCells(notebook);
    expect(streamText(first?.outputs ?? [], "stdout")).toBe("started\n");
    // The kernel's own report of the SIGINT, then the runner's timeout error.
    expect(hanging?.outputs.map((output) => output.output_type === "error" && output.evalue)).toEqual([
      "Script execution was interrupted by `SIGINT`",
      "the cell did not finish within 1.5 s; raise --timeout or make the cell faster",
    ]);
    expect(never?.execution_count).toBeNull();
  });

  it("reports a kernel that dies mid-cell as the cell's failure", async () => {
    const { notebook, failure } = await run(await readNotebook(fixture("kernel-exits.ipynb")));
    expect(failure).toMatchObject({ index: 1, reason: "kernel-died", ename: "KernelDiedError" });
    expect(failure?.evalue).toMatch(/the tslab kernel died \(exit code 3\)/);
    expect(streamText(codeCells(notebook)[0]?.outputs ?? [], "stdout")).toBe("about to exit\n");
  });

  it("fails to start with a clear error when the working directory does not exist", async () => {
    const start = executeNotebook(await readNotebook(fixture("outputs.ipynb")), {
      cwd: `${root.path}/missing`,
      tmpDir: root.path,
    });
    await expect(start).rejects.toThrow(KernelStartError);
    await expect(start).rejects.toThrow(/missing does not exist: pass an existing folder/);
  });
});
