// Runs the example notebooks headlessly on the real tslab kernel, as `cellforge nb run` users do,
// and checks what a data scientist would look at: the metrics, the charts, the parameters.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type CodeCell, cellTags, type NotebookDocument as Notebook, type Output, parseNotebookDocument as parseNotebook } from "@cellforge/contract";
import { kernelsUnder, runCli, tempRoot } from "../runtime/kernel/support.ts";

const root = tempRoot();
afterEach(() => {
  expect(kernelsUnder(root.path)).toEqual([]);
});
afterAll(() => root.remove());

/** Runs a notebook with `cellforge nb run` into the temp folder and reads the executed copy. */
async function runNotebook(name: string, parameters: string[]): Promise<Notebook> {
  const out = join(root.path, `${name}.out.ipynb`);
  const args = ["nb", "run", `notebooks/${name}.ipynb`, ...parameters.flatMap((p) => ["-p", p]), "-o", out];
  const result = await runCli(args, { env: { TMPDIR: root.path } });
  expect(result.stderr).toContain("ran to the end");
  expect(result.code).toBe(0);
  return parseNotebook(await readFile(out, "utf8"), out);
}

const codeCells = (notebook: Notebook): CodeCell[] =>
  notebook.cells.filter((cell): cell is CodeCell => cell.cell_type === "code");
const outputsOf = (notebook: Notebook): Output[] => codeCells(notebook).flatMap((cell) => cell.outputs);
const stdout = (notebook: Notebook): string =>
  outputsOf(notebook)
    .map((output) => (output.output_type === "stream" && output.name === "stdout" ? output.text : ""))
    .join("");
const svgs = (notebook: Notebook): string[] =>
  outputsOf(notebook).flatMap((output) => {
    if (output.output_type !== "display_data") return [];
    const svg = output.data["image/svg+xml"];
    if (typeof svg === "string") return [svg];
    return Array.isArray(svg) ? [svg.filter((line) => typeof line === "string").join("")] : [];
  });

/** Reads a value from the metrics table the notebook prints with console.table. */
function metric(text: string, label: string): number {
  const match = new RegExp(`│ '?${label}'?\\s*│\\s*([0-9.]+)`).exec(text);
  if (match?.[1] === undefined) throw new Error(`no "${label}" row in the notebook's metrics table:\n${text}`);
  return Number(match[1]);
}

describe("notebooks/train.ipynb", () => {
  it("trains for the injected number of epochs and prints metrics in range", { timeout: 300_000 }, async () => {
    const notebook = await runNotebook("train", ["epochs=12"]);

    const cells = codeCells(notebook);
    const parametersAt = cells.findIndex((cell) => cellTags(cell).includes("parameters"));
    const injected = cells[parametersAt + 1];
    expect(injected && cellTags(injected)).toEqual(["injected-parameters"]);
    expect(injected?.source).toMatch(/const epochs(: number)? = 12;/);

    const text = stdout(notebook);
    expect(text).toContain("epoch 12: loss");
    expect(text).not.toContain("epoch 13:");
    expect(svgs(notebook).some((svg) => svg.startsWith("<svg"))).toBe(true); // the loss curve

    const baseline = metric(text, "type majority baseline");
    const accuracy = metric(text, "type accuracy");
    expect(baseline).toBeGreaterThan(0.1);
    expect(baseline).toBeLessThan(0.2);
    expect(accuracy).toBeGreaterThan(baseline);
    expect(accuracy).toBeLessThanOrEqual(1);
    for (const label of ["type macro-F1", "legendary F1", "legendary ROC-AUC"]) {
      const value = metric(text, label);
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
    expect(metric(text, "legendary ROC-AUC")).toBeGreaterThan(0.8);
    expect(text).toMatch(/Charizard: \w+ \(/);
  });
});

describe("notebooks/explore.ipynb", () => {
  it("runs to the end and shows at least four SVG charts", { timeout: 300_000 }, async () => {
    const notebook = await runNotebook("explore", []);
    expect(outputsOf(notebook).filter((output) => output.output_type === "error")).toEqual([]);
    const charts = svgs(notebook);
    expect(charts.length).toBeGreaterThanOrEqual(4);
    for (const svg of charts) {
      expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg.trimEnd()).toMatch(/<\/svg>$/);
    }
  });
});
