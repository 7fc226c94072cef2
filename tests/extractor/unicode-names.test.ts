// Headings in any script name their nodes (`## Подготовка данных` → node `подготовка-данных`, function
// `подготовкаДанных`): the generated module is valid TypeScript and the pipeline runs.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { Catalog } from "../../runtime/catalog/catalog.ts";
import type { Pipeline } from "../../runtime/pipeline/definition.ts";
import { PipelineScheduler } from "../../runtime/pipeline/scheduler.ts";
import { planExtraction } from "../../extractor/cli/extract.ts";
import { repoRoot, scratchDir } from "./fixtures.ts";

it("names nodes and their functions after Cyrillic and Chinese headings, and runs them", async () => {
  const dir = scratchDir();
  const notebook = join(dir, "names.ipynb");
  const cells = [
    { cell_type: "markdown", metadata: {}, source: "## Подготовка данных" },
    { cell_type: "code", metadata: { tags: ["node"] }, source: "const значения = [1, 2, 3];" },
    { cell_type: "markdown", metadata: {}, source: "## 训练" },
    {
      cell_type: "code",
      metadata: { tags: ["node", "metrics"] },
      source: "const 总数 = значения.reduce((a, b) => a + b, 0);",
    },
  ];
  writeFileSync(notebook, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }));
  const out = join(dir, "out");
  const plan = await planExtraction(notebook, { outDir: out });
  const nodes = plan.files.find((f) => f.name === "nodes.ts")?.text ?? "";
  expect(nodes).toContain("export function подготовкаДанных(): { значения: number[] } {");
  expect(nodes).toContain("export function 训练(значения: number[]): { 总数: number } {");

  mkdirSync(out, { recursive: true });
  for (const file of plan.files) writeFileSync(join(out, file.name), file.text);
  const pipeline = ((await import(join(out, "pipeline.ts"))) as { default: Pipeline }).default;
  expect(pipeline.nodes.map((n) => n.name)).toEqual(["подготовка-данных", "训练"]);
  const catalog = new Catalog({}, { root: repoRoot });
  const result = await new PipelineScheduler({ catalog, params: {}, filter: { nodeNames: ["训练"] } }).run(pipeline);
  expect(result.freeOutputs).toEqual({ 总数: 6 });
}, 60_000);
