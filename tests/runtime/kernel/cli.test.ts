import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { parseNotebookDocument as parseNotebook } from "@cellforge/contract";
import { fixture, kernelsUnder, runCli, tempRoot } from "./support.ts";

const root = tempRoot();
// TMPDIR puts the kernels' connection files under root, so kernelsUnder(root) sees exactly ours.
const env = { TMPDIR: root.path };

afterEach(() => {
  expect(kernelsUnder(root.path)).toEqual([]);
});
afterAll(() => root.remove());

describe("cellforge nb run", () => {
  it("fails on cell 3 with the error and its traceback, and still writes the notebook", async () => {
    const out = join(root.path, "failed.ipynb");
    const result = await runCli(["nb", "run", fixture("fails-in-cell-3.ipynb"), "-o", out], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cell [2] (code cell 2) failed: RangeError: value out of range: 42");
    expect(result.stderr).toMatch(/RangeError: value out of range: 42\n\s+at checkRange \(evalmachine/);
    expect(result.stderr).toContain(`Executed notebook written to ${out}.`);
    const cells = parseNotebook(readFileSync(out, "utf8"), out).cells;
    const [, second, third, fourth] = cells;
    expect(second?.cell_type === "code" && second.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "cell 2 runs\n" },
    ]);
    expect(third?.cell_type === "code" && third.outputs).toEqual([
      expect.objectContaining({ output_type: "error", ename: "RangeError", evalue: "value out of range: 42" }),
    ]);
    expect(fourth?.cell_type === "code" && fourth.execution_count).toBeNull();
  });

  it("rejects an unknown parameter before starting a kernel, listing the valid ones", async () => {
    const result = await runCli(["nb", "run", fixture("directive-parameters.ipynb"), "-p", "epoch=3"], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown parameter `epoch`");
    expect(result.stderr).toContain("declares: epochs, learningRate, features, runName");
  });

  it("writes the executed notebook to stdout with -o -, parameters injected", async () => {
    const result = await runCli(
      ["nb", "run", fixture("directive-parameters.ipynb"), "-p", "epochs=3", "-p", "runName=42", "-o", "-"],
      { env },
    );
    expect(result.code).toBe(0);
    const notebook = parseNotebook(result.stdout, "stdout");
    const last = notebook.cells.at(-1);
    expect(last?.cell_type === "code" && last.outputs[0]).toEqual({
      output_type: "stream",
      name: "stdout",
      text: '{"epochs":3,"learningRate":0.01,"features":["hp"],"runName":"42"}\n',
    });
    expect(result.stderr).toMatch(/^code cell 3\/3 … ok \(/m);
  });

  it("kills the kernel when the CLI gets SIGTERM mid-cell", async () => {
    let sent = false;
    const result = await runCli(["nb", "run", fixture("hangs.ipynb")], {
      env,
      onStderr: (text, pid) => {
        if (!sent && text.includes("code cell 2/3")) {
          sent = true;
          process.kill(pid, "SIGTERM");
        }
      },
    });
    expect(sent).toBe(true);
    expect(result.code).toBe(143);
    expect(result.stderr).toContain("code cell 2 was interrupted");
  });
});
