import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSession } from "../../../runtime/session/run-session.ts";
import { createProject, type FixtureProject } from "../fixture-project.ts";

let project: FixtureProject;
let other: FixtureProject;
beforeAll(() => {
  project = createProject(["basic"]);
  other = createProject(["basic"]);
});
afterAll(() => {
  project.remove();
  other.remove();
});

describe("project hooks (cellforge.hooks.ts)", () => {
  it("are called by every run, with typed events", async () => {
    project.write(
      "cellforge.hooks.ts",
      `import { appendFileSync } from "node:fs";
import type { Hooks } from "@cellforge/runtime";
const note = (line: string) => appendFileSync(${JSON.stringify(join(project.root, "hooks.log"))}, line + "\\n");
const hooks: Hooks = {
  beforePipelineRun: ({ pipeline, params }) => note(\`start \${pipeline.name} min_age=\${String(params["min_age"])}\`),
  afterDatasetSave: ({ name, dataset }) => note(\`saved \${name} as \${dataset.type}\`),
  afterNodeRun: ({ node }) => note(\`ran \${node.name}\`),
};
export default hooks;
`,
    );
    await runSession({ cwd: project.root, write: () => undefined, force: true });
    const log = readFileSync(join(project.root, "hooks.log"), "utf8").trim().split("\n");
    expect(log[0]).toBe("start basic min_age=18");
    expect(log).toContain("saved summary as json");
    expect(log.filter((l) => l.startsWith("ran ")).sort()).toEqual([
      "ran clean",
      "ran count",
      "ran report",
      "ran stats",
    ]);
  });

  it("a file that exports no hooks is an error saying what to export", async () => {
    other.write("cellforge.hooks.ts", "export default 42;\n");
    await expect(runSession({ cwd: other.root, write: () => undefined })).rejects.toThrow(
      "cellforge.hooks.ts must default-export hooks: an object of hook methods (beforeNodeRun, afterNodeRun…) or a list of them.",
    );
  });
});
