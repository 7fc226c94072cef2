// A data scientist's second notebook (tests/fixtures/notebooks/capture.ipynb): a plain-TypeScript logistic regression
// with an untagged helper cell, a `threshold` parameter, a JSON `model` saved by a node and a metrics list.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planExtraction } from "../../extractor/cli/extract.ts";
import { GOLDEN_VERSION, repoRoot, scratchDir } from "./fixtures.ts";

const notebook = join(repoRoot, "tests/fixtures/notebooks/capture.ipynb");

describe("extracting capture.ipynb", () => {
  it("takes the untagged helper cell as shared code used by two nodes and the predictor", async () => {
    const plan = await planExtraction(notebook, { outDir: scratchDir(), extractorVersion: GOLDEN_VERSION });
    const files = new Map(plan.files.map((f) => [f.name, f.text]));
    const shared = files.get("shared.ts") ?? "";
    expect(shared).toContain("export function probability(");
    expect(shared).toContain("export const STATS = [");
    expect(shared).toContain("export interface LogisticModel");
    expect(shared).not.toContain("pokemon.shape"); // the exploration cells stay out
    expect(files.get("nodes.ts")).toMatch(/import \{[^}]*probability[^}]*\} from "\.\/shared\.ts";/);
    expect(files.get("predict.ts")).toMatch(/import \{[^}]*probability[^}]*\} from "\.\/shared\.ts";/);
    expect(plan.warnings).toEqual([]);
  });

  it("logs exactly the metrics the list names, not the counts or the per-row arrays", async () => {
    const plan = await planExtraction(notebook, { outDir: scratchDir(), extractorVersion: GOLDEN_VERSION });
    const pipeline = plan.files.find((f) => f.name === "pipeline.ts")?.text ?? "";
    expect(pipeline).toContain('metrics: ["f1", "auc"],');
    expect(pipeline).toContain('outputs: ["f1", "auc"],');
    expect(pipeline).toContain('"params:threshold"');
    // Namespaced by pipeline, so it never meets train's `model`.
    expect(plan.catalog.map((entry) => entry.name)).toEqual(expect.arrayContaining(["capture.model"]));
  });
});

describe("a metrics cell without a list", () => {
  it("logs its scalars and records of numbers, never a per-row array", async () => {
    const dir = scratchDir();
    const path = join(dir, "scalars.ipynb");
    const cells = [
      {
        cell_type: "code",
        execution_count: 1,
        metadata: { tags: ["parameters"] },
        outputs: [],
        source: "const cut = 0.5;",
      },
      {
        cell_type: "code",
        execution_count: 2,
        metadata: { tags: ["node: score", "metrics"] },
        outputs: [],
        source:
          "const perRow = [0.2, 0.7, 0.9].map((p) => (p >= cut ? 1 : 0));\nconst hits = perRow.reduce<number>((a, b) => a + b, 0);\nconst rates = { hit: hits / perRow.length, miss: 1 - hits / perRow.length };",
      },
    ];
    const { writeFileSync } = await import("node:fs");
    writeFileSync(path, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }));
    const plan = await planExtraction(path, { outDir: join(dir, "out"), extractorVersion: GOLDEN_VERSION });
    const pipeline = plan.files.find((f) => f.name === "pipeline.ts")?.text ?? "";
    expect(pipeline).toContain('metrics: ["hits", "rates"],');
    expect(pipeline).not.toContain('"perRow"');
  });
});
