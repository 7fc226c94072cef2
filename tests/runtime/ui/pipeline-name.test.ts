// GET /ui/pipeline?name=… takes only the names of the project's own pipelines (issue 24): a path in `name` must never
// import code from elsewhere, and no page may show the machine's absolute paths.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uiPlugin } from "../../../runtime/ui/plugin.ts";
import { createProject, type FixtureProject } from "../fixture-project.ts";

let project: FixtureProject;
let app: FastifyInstance;
let outside: string;
const marker = (): string => join(outside, "imported");

beforeAll(async () => {
  project = createProject(["train"]);
  // A pipeline.ts outside the project that leaves a file behind when anything imports it.
  outside = mkdtempSync(join(tmpdir(), "cellforge-outside-"));
  writeFileSync(
    join(outside, "pipeline.ts"),
    `import { writeFileSync } from "node:fs";\nwriteFileSync(${JSON.stringify(marker())}, "imported");\nexport default { name: "evil", nodes: [], parameters: {} };\n`,
  );
  // A project pipeline whose import fails: Node's message holds absolute paths.
  project.write("pipelines/broken/pipeline.ts", 'import { missing } from "./missing.ts";\nexport default missing;\n');
  // A folder under pipelines/ whose name is not a pipeline name.
  mkdirSync(join(project.root, "pipelines", "has space"), { recursive: true });
  writeFileSync(join(project.root, "pipelines", "has space", "pipeline.ts"), "export default {};\n");
  app = Fastify();
  await app.register(uiPlugin, { root: project.root, prefix: "/ui" });
});

afterAll(async () => {
  await app.close();
  project.remove();
  rmSync(outside, { recursive: true, force: true });
});

async function page(url: string): Promise<{ status: number; html: string }> {
  const response = await app.inject({ method: "GET", url });
  return { status: response.statusCode, html: response.body };
}

describe("GET /ui/pipeline?name=", () => {
  it("never imports a pipeline.ts from outside the project, and answers 404 listing the project's pipelines", async () => {
    const relative = `../../${basename(outside)}`;
    for (const name of [
      relative,
      `${relative}/`,
      encodeURIComponent(relative),
      outside,
      `train/../../../${basename(outside)}`,
    ]) {
      const { status, html } = await page(`/ui/pipeline?name=${encodeURIComponent(name)}`);
      expect(status).toBe(404);
      expect(html).toContain("Pipelines of this project: broken, train");
    }
    expect(existsSync(marker())).toBe(false);
  });

  it("does not offer or load a folder whose name is not a pipeline name", async () => {
    const { status, html } = await page(`/ui/pipeline?name=${encodeURIComponent("has space")}`);
    expect(status).toBe(404);
    expect(html).not.toContain("has space</a>");
  });

  it("shows a project pipeline that fails to load without the machine's absolute paths", async () => {
    const { status, html } = await page("/ui/pipeline?name=broken");
    expect(status).toBe(500);
    expect(html).toContain("pipelines/broken/");
    expect(html).not.toContain(project.root);
    expect(html).not.toContain(tmpdir());
  });

  it("still draws the project's own pipelines", async () => {
    const { status, html } = await page("/ui/pipeline?name=train");
    expect(status).toBe(200);
    expect(html).toContain('data-id="node:train_model"');
  });
});
