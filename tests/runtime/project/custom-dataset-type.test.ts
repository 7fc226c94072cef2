// A dataset type the project defines in cellforge.hooks.ts works in `cellforge run`, `serve` and `ui` alike (real bin, real ports).
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cellforgeBin, createProject, type FixtureProject } from "../fixture-project.ts";

let project: FixtureProject;
const children: ChildProcess[] = [];

/** A JSON file wrapped in an envelope stamped with the entry's `stamp` option: a stored scaler shows it went through this type. */
const HOOKS = `import { readFile, writeFile } from "node:fs/promises";
import { defineDatasetType, FileDataset, FILE_OPTIONS, type CatalogEntry, type DatasetContext } from "@cellforge/runtime";

class StampedJsonDataset extends FileDataset<unknown> {
  private readonly stamp: string;
  constructor(name: string, entry: CatalogEntry, context: DatasetContext) {
    super(name, "stamped-json", entry, context);
    this.stamp = String(entry["stamp"]);
  }
  protected async read(path: string): Promise<unknown> {
    const envelope = JSON.parse(await readFile(path, "utf8")) as { stamp: string; data: unknown };
    if (envelope.stamp !== this.stamp) throw new Error("wrong stamp " + envelope.stamp);
    return envelope.data;
  }
  protected async write(path: string, data: unknown): Promise<void> {
    await writeFile(path, JSON.stringify({ stamp: this.stamp, data }));
  }
}

export const datasetTypes = {
  "stamped-json": defineDatasetType({
    doc: "JSON in an envelope stamped by the project",
    options: { ...FILE_OPTIONS, stamp: { kind: "string", required: true, doc: "the envelope's stamp" } },
    create: (name, entry, context) => new StampedJsonDataset(name, entry, context),
  }),
};
`;

beforeAll(() => {
  project = createProject(["train"]);
  const catalog = readFileSync(join(project.root, "conf/base/catalog.yml"), "utf8");
  project.write(
    "conf/base/catalog.yml",
    catalog.replace(
      "scaler:\n  type: json\n  path: data/06_models/scaler.json",
      "scaler:\n  type: stamped-json\n  path: data/06_models/scaler.json\n  stamp: pokedex-v1",
    ),
  );
  project.write("cellforge.hooks.ts", HOOKS);
});

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  project.remove();
});

/** Starts `cellforge command args…`; resolves with its URL once stdout matches `ready`. */
function start(
  command: string,
  ready: RegExp,
): { child: ChildProcess; started: Promise<string>; exited: Promise<number | null> } {
  const child = spawn(cellforgeBin, [command, "--port", "0"], {
    cwd: project.root,
    env: { ...process.env, CELLFORGE_TF_BACKEND: "wasm" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const started = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", () => {
      const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      if (ready.test(stdout) && url !== undefined) resolve(url);
    });
    void exited.then((code) =>
      reject(new Error(`cellforge ${command} exited (${code}) before it was ready:\n${stdout}\n${stderr}`)),
    );
  });
  return { child, started, exited };
}

async function predict(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/predict`, {
    method: "POST",
    body: JSON.stringify({ x1: 0.5, x2: 0.5 }),
    headers: { "content-type": "application/json" },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("a project-defined dataset type (cellforge.hooks.ts)", () => {
  it("`cellforge run` saves through it and registers the artifact with its type", async () => {
    const run = await project.cli(["run", "train"]);
    expect(run.stderr, run.stdout).toBe("");
    expect(run.code).toBe(0);
    const stored = JSON.parse(readFileSync(join(project.root, "data/06_models/scaler.json"), "utf8")) as {
      stamp: string;
      data: { mean: number[] };
    };
    expect(stored.stamp).toBe("pokedex-v1");
    expect(stored.data.mean).toHaveLength(2);
    const models = await project.cli(["models", "show", "train:1"]);
    expect(models.stdout).toMatch(/scaler.*stamped-json/);
  });

  it("`cellforge serve` loads the artifact through it and answers a real HTTP request", async () => {
    const server = start("serve", /serving train:1 at/);
    const url = await server.started;
    const answer = await predict(url);
    expect(answer.status).toBe(200);
    expect(answer.body["label"]).toBeTypeOf("number");
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });

  it("`cellforge ui` serves the model and its pipeline page shows the dataset with its type", async () => {
    const ui = start("ui", /serving train:1 at/);
    const url = await ui.started;
    expect((await predict(url)).status).toBe(200);
    const page = await fetch(`${url}/ui/pipeline?name=train`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("stamped-json · data/06_models/scaler.json");
    ui.child.kill("SIGTERM");
    expect(await ui.exited).toBe(0);
  });
});
