import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executeNotebook } from "../../../runtime/kernel/executor.ts";
import { newCellId, readNotebookDocument as readNotebook, type CodeCell } from "@cellforge/contract";
import { injectParameters } from "../../../runtime/kernel/parameters.ts";
import { runSession } from "../../../runtime/session/run-session.ts";
import { useFastestBackend } from "../../../runtime/tfjs/backend.ts";
import { copyExampleProject, type FixtureProject } from "../fixture-project.ts";

const metricNames = ["typeAccuracy", "typeMacroF1", "typeMajorityBaseline", "legendaryF1", "legendaryRocAuc"] as const;
const parameters = [{ name: "epochs", value: 3 }];

let project: FixtureProject;
beforeAll(async () => {
  await useFastestBackend();
  project = copyExampleProject();
});
afterAll(() => project.remove());

/** Runs notebooks/train.ipynb on the tslab kernel, with a last cell that prints its metrics as JSON. */
async function notebookMetrics(): Promise<Record<string, unknown>> {
  const notebook = injectParameters(await readNotebook(`${project.root}/notebooks/train.ipynb`), parameters);
  const report: CodeCell = {
    id: newCellId(),
    cell_type: "code",
    metadata: {},
    source: `console.log("METRICS " + JSON.stringify({ ${metricNames.join(", ")}, loss: history.loss }));`,
    execution_count: null,
    outputs: [],
  };
  notebook.cells.push(report);
  const run = await executeNotebook(notebook, { cwd: project.root, cellTimeoutMs: 300_000 });
  expect(run.failure).toBeNull();
  const printed = (run.notebook.cells.at(-1) as CodeCell).outputs
    .flatMap((o) => (o.output_type === "stream" ? [o.text] : []))
    .join("");
  return JSON.parse(/^METRICS (.*)$/m.exec(printed)![1]!) as Record<string, unknown>;
}

describe("parity with the notebook", () => {
  it("the extracted pipeline's metrics equal the headless notebook run's for the same parameters", async () => {
    const expected = await notebookMetrics();
    const { run } = await runSession({
      cwd: project.root,
      params: parameters.map((p) => ({ path: [p.name], value: p.value })),
      force: true,
      write: () => undefined,
    });
    const actual: Record<string, unknown> = Object.fromEntries(metricNames.map((name) => [name, run.metrics[name]]));
    actual["loss"] = run.metricHistory.filter((m) => m.key === "history.loss").map((m) => m.value);
    expect((actual["loss"] as number[]).length).toBe(3);
    expect(actual).toEqual(expected);
  }, 300_000);
});
