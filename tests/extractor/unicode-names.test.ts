// Headings in any script name their nodes (`## Подготовка данных` → node `подготовка-данных`, function
// `подготовкаДанных`): the generated module is valid TypeScript and the pipeline runs.
import { join } from "node:path";
import { expect, it } from "vitest";
import { Catalog } from "../../runtime/catalog/catalog.ts";
import { PipelineScheduler } from "../../runtime/pipeline/scheduler.ts";
import { planExtraction } from "../../extractor/cli/extract.ts";
import { importGenerated, notebookFile, repoRoot, scratchDir } from "./fixtures.ts";

it("names nodes and their functions after Cyrillic and Chinese headings, and runs them", async () => {
  const notebook = notebookFile("names", [
    { cell_type: "markdown", metadata: {}, source: "## Подготовка данных" },
    { cell_type: "code", metadata: { tags: ["node"] }, source: "const значения = [1, 2, 3];" },
    { cell_type: "markdown", metadata: {}, source: "## 训练" },
    {
      cell_type: "code",
      metadata: { tags: ["node", "metrics"] },
      source: "const 总数 = значения.reduce((a, b) => a + b, 0);",
    },
  ]);
  const out = join(scratchDir(), "out");
  const plan = await planExtraction(notebook, { outDir: out });
  const nodes = plan.files.find((f) => f.name === "nodes.ts")?.text ?? "";
  expect(nodes).toContain("export function подготовкаДанных(): { значения: number[] } {");
  expect(nodes).toContain("export function 训练(значения: number[]): { 总数: number } {");

  const pipeline = await importGenerated(plan.files, out);
  expect(pipeline.nodes.map((n) => n.name)).toEqual(["подготовка-данных", "训练"]);
  const catalog = new Catalog({}, { root: repoRoot });
  const result = await new PipelineScheduler({ catalog, params: {}, filter: { nodeNames: ["训练"] } }).run(pipeline);
  expect(result.freeOutputs).toEqual({ 总数: 6 });
}, 60_000);
