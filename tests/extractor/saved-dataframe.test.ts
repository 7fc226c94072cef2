// A DataFrame a node saves is a parquet dataset, which keeps its columns' types: read back from a CSV, a text column of
// "007" would be the number 7 and a "true"/"false" text column booleans, and the nodes after it (a partial run, a
// replay, the served model) would compute something else than the notebook did.
import { join } from "node:path";
import { expect, it } from "vitest";
import { Catalog } from "../../runtime/catalog/catalog.ts";
import { PipelineScheduler } from "../../runtime/pipeline/scheduler.ts";
import { planExtraction } from "../../extractor/cli/extract.ts";
import { importGenerated, notebookFile, repoRoot, scratchDir } from "./fixtures.ts";

it("saves a node's DataFrame as parquet, and the node after it reads the same text columns", async () => {
  const notebook = notebookFile("codes", [
    { cell_type: "code", metadata: {}, source: 'import * as dfd from "danfojs-node";' },
    { cell_type: "markdown", metadata: {}, source: "## Codes" },
    {
      cell_type: "code",
      metadata: { tags: ["node"] },
      source:
        '//| save: codes\nconst codes = new dfd.DataFrame({ code: ["007", "010"], flag: ["true", "false"], n: [1, 2] });',
    },
    { cell_type: "markdown", metadata: {}, source: "## Use" },
    {
      cell_type: "code",
      metadata: { tags: ["node", "metrics"] },
      source:
        'const codeLength = String(codes.column("code").values[0]).length;\nconst flagIsText = typeof codes.column("flag").values[0] === "string" ? 1 : 0;',
    },
  ]);
  const out = join(scratchDir(), "out");
  const plan = await planExtraction(notebook, { outDir: out });
  expect(plan.catalog.map((entry) => [entry.name, entry.type, entry.path])).toEqual([
    ["codes.codes", "parquet", "data/02_intermediate/codes/codes.parquet"],
  ]);

  const pipeline = await importGenerated(plan.files, out);
  // The entry extract wrote, saved under the scratch folder.
  const [entry] = plan.catalog;
  const catalog = new Catalog(
    { codes: { type: entry!.type, path: join(out, entry!.path.split("/").pop()!) } },
    { root: repoRoot },
  );
  const scheduler = new PipelineScheduler({ catalog, params: {}, root: repoRoot });
  // The whole run, then the reading node alone (it loads the saved file): "007" stays text, 3 characters, both times.
  expect((await scheduler.run(pipeline)).freeOutputs).toEqual({ codeLength: 3, flagIsText: 1 });
  const alone = await new PipelineScheduler({
    catalog,
    params: {},
    root: repoRoot,
    filter: { nodeNames: ["use"] },
  }).run(pipeline);
  expect(alone.freeOutputs).toEqual({ codeLength: 3, flagIsText: 1 });
}, 60_000);
