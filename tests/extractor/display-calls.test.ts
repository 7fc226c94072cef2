// A node cell that shows what it computed (`tslab.display.html(…)`, as one plots in the same cell): the pipeline runs
// the cell without the display call, which outside a kernel throws ("Not ready").
import { join } from "node:path";
import { expect, it } from "vitest";
import { Catalog } from "../../runtime/catalog/catalog.ts";
import { PipelineScheduler } from "../../runtime/pipeline/scheduler.ts";
import { planExtraction } from "../../extractor/cli/extract.ts";
import { importGenerated, notebookFile, repoRoot, scratchDir } from "./fixtures.ts";

it("leaves tslab's display calls of a node out of the pipeline, in blocks too, and the pipeline runs", async () => {
  const notebook = notebookFile("shown", [
    { cell_type: "code", metadata: {}, source: 'import * as tslab from "tslab";\nimport { display } from "tslab";' },
    { cell_type: "markdown", metadata: {}, source: "## Total" },
    {
      cell_type: "code",
      metadata: { tags: ["node", "metrics"] },
      source:
        'const total = 1 + 2;\ntslab.display.html(`<b>${total}</b>`);\ndisplay.text(String(total));\nlet doubled = 0;\nfor (let step = 0; step < 2; step++) {\n  doubled += total;\n  tslab.display.text(`step ${step}`);\n}\nif (doubled > 100) display.text("large");\nelse doubled += 0;',
    },
  ]);
  const out = join(scratchDir(), "out");
  const plan = await planExtraction(notebook, { outDir: out });
  const nodes = plan.files.find((f) => f.name === "nodes.ts")?.text ?? "";
  expect(nodes).not.toContain("tslab");
  expect(nodes).not.toContain("display");
  // Inside the loop the call goes; as the whole body of the `if`, it becomes `{}`, so the `else` keeps its `if`.
  expect(nodes).toContain("doubled += total;");
  expect(nodes).toMatch(/if \(doubled > 100\) \{\s*\}\s*else doubled \+= 0;/);

  const pipeline = await importGenerated(plan.files, out);
  const result = await new PipelineScheduler({ catalog: new Catalog({}, { root: repoRoot }), params: {} }).run(
    pipeline,
  );
  expect(result.freeOutputs).toEqual({ total: 3, doubled: 6 });
}, 60_000);
