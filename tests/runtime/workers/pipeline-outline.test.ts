/** Queueing a run reads the pipeline's outline (.cellforge/outlines/), which must follow every edit of pipelines/<name>/. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseParamsOption } from "../../../runtime/config/parameters.ts";
import { loadPipelineOutline } from "../../../runtime/workers/pipeline-outline.ts";
import { prepareRunJob } from "../../../runtime/workers/prepare-job.ts";
import { createProject, type FixtureProject } from "../fixture-project.ts";

let project: FixtureProject | undefined;
afterEach(() => project?.remove());

const queue = (root: string, params = "") =>
  prepareRunJob({ root, pipeline: "basic", env: "local", params: params === "" ? [] : parseParamsOption(params) });

describe("the outline of a pipeline for queued runs", () => {
  it("is written by the first check, then answers as the pipeline would: code hashes, defaults, refused parameters", async () => {
    project = createProject(["basic"]);
    const first = await queue(project.root);
    const outline = join(project.root, ".cellforge/outlines/basic.json");
    expect(JSON.parse(readFileSync(outline, "utf8"))).toMatchObject({ name: "basic" });

    const second = await queue(project.root, "min_age=30");
    expect(second.job.codeHashes).toEqual(first.job.codeHashes);
    expect(second.job.codeHashes["clean"]).toBe("clean-v1");
    expect(second.params).toMatchObject({ min_age: 30, scale: 1, title: "People" });
    await expect(queue(project.root, "min_agee=30")).rejects.toThrow(/min_agee/);
    const node = (await loadPipelineOutline(project.root, "basic")).nodes[0]!;
    expect(() => node.func()).toThrow(/its code is not loaded in this process/);
  });

  it("follows an edit of the pipeline's code and defaults, and a damaged outline file is read again from the pipeline", async () => {
    project = createProject(["basic"]);
    await queue(project.root);
    const file = join(project.root, "pipelines/basic/pipeline.ts");
    writeFileSync(
      file,
      readFileSync(file, "utf8")
        .replace('codeHash: "clean-v1"', 'codeHash: "clean-v2"')
        .replace("min_age: 18", "min_age: 21"),
    );
    const edited = await queue(project.root);
    expect(edited.job.codeHashes["clean"]).toBe("clean-v2");
    expect(edited.params["min_age"]).toBe(21);

    writeFileSync(join(project.root, ".cellforge/outlines/basic.json"), "{ not json");
    expect((await queue(project.root)).job.codeHashes["clean"]).toBe("clean-v2");
  });
});
