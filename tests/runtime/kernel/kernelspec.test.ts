import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  cellforgeKernelspec,
  installKernelspec,
  jupyterDataDir,
  projectKernel,
} from "../../../runtime/kernel/kernelspec.ts";
import { parseNotebookDocument as parseNotebook } from "@cellforge/contract";
import { fixture, kernelsUnder, repoRoot, runCli, tempRoot } from "./support.ts";

const root = tempRoot();
const dataDir = join(root.path, "data");

afterEach(() => {
  expect(kernelsUnder(root.path)).toEqual([]);
});
afterAll(() => root.remove());

function hasJupyter(): boolean {
  return spawnSync("sh", ["-c", "command -v jupyter"]).status === 0;
}

const KERNEL_NAME = projectKernel(repoRoot).name;

describe("the project's kernelspec", () => {
  it("starts this project's tslab with tsx by absolute paths, without Python", () => {
    const spec = cellforgeKernelspec();
    expect(spec.argv).toEqual([
      process.execPath,
      "--import",
      pathToFileURL(join(repoRoot, "node_modules/tsx/dist/loader.mjs")).href,
      join(repoRoot, "runtime/kernel/jupyter-kernel.js"),
      "--tslab",
      join(repoRoot, "node_modules/tslab"),
      "--config-path",
      "{connection_file}",
    ]);
    expect(spec.display_name).toBe("TypeScript (cellforge: cellforge)");
    expect(KERNEL_NAME).toMatch(/^cellforge-cellforge-[0-9a-f]{8}$/);
  });

  it("is one per checkout: installing a second project's kernel leaves the first one's as it was", async () => {
    const other = join(root.path, "checkouts", "second");
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, "package.json"), JSON.stringify({ name: "@team/pokedex" }));
    const shared = join(root.path, "shared-data");
    const first = await installKernelspec({ dataDir: shared });
    const firstText = readFileSync(join(first.dir, "kernel.json"), "utf8");
    const second = await installKernelspec({ dataDir: shared, project: other });
    expect(second.dir).not.toBe(first.dir);
    expect(readFileSync(join(first.dir, "kernel.json"), "utf8")).toBe(firstText);
    const spec = JSON.parse(readFileSync(join(second.dir, "kernel.json"), "utf8")) as {
      display_name: string;
      metadata: { cellforge: { project: string } };
    };
    expect(spec.display_name).toBe("TypeScript (cellforge: @team/pokedex)");
    expect(spec.metadata.cellforge.project).toBe(other);
  });

  it("is installed idempotently by `nb install-kernel` into $JUPYTER_DATA_DIR", async () => {
    const first = await runCli(["nb", "install-kernel"], { env: { JUPYTER_DATA_DIR: dataDir } });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      `Installed Jupyter kernelspec "TypeScript (cellforge: cellforge)" in ${join(dataDir, "kernels", KERNEL_NAME)}`,
    );
    const path = join(dataDir, "kernels", KERNEL_NAME, "kernel.json");
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual(cellforgeKernelspec());
    expect(await installKernelspec({ dataDir })).toEqual({
      dir: join(dataDir, "kernels", KERNEL_NAME),
      displayName: "TypeScript (cellforge: cellforge)",
      changed: false,
    });
    expect(jupyterDataDir({ HOME: "/home/u" })).toBe("/home/u/.local/share/jupyter");
    expect(jupyterDataDir({ JUPYTER_DATA_DIR: "/x" })).toBe("/x");
  });

  const jupyter = hasJupyter();
  const title = "runs a notebook through `jupyter nbconvert --execute`, as a user would";
  it.skipIf(!jupyter)(
    jupyter ? title : `${title} — SKIPPED: \`jupyter\` is not on PATH (apt-get install jupyter-nbconvert)`,
    async () => {
      await installKernelspec({ dataDir });
      const env = { ...process.env, JUPYTER_DATA_DIR: dataDir, JUPYTER_RUNTIME_DIR: join(root.path, "runtime") };
      execFileSync(
        "jupyter",
        [
          "nbconvert",
          "--to",
          "notebook",
          "--execute",
          fixture("outputs.ipynb"),
          `--ExecutePreprocessor.kernel_name=${KERNEL_NAME}`,
          "--output-dir",
          root.path,
          "--output",
          "nbconvert.ipynb",
        ],
        { env, stdio: "pipe", timeout: 60_000 },
      );
      const out = join(root.path, "nbconvert.ipynb");
      expect(existsSync(out)).toBe(true);
      const cells = parseNotebook(readFileSync(out, "utf8"), out).cells.filter((cell) => cell.cell_type === "code");
      const outputs = cells.map((cell) => (cell.cell_type === "code" ? cell.outputs : []));
      expect(outputs[1]).toEqual([
        { output_type: "stream", name: "stdout", text: "hello 0\nhello 1\n" },
        { output_type: "stream", name: "stderr", text: "tags: a,b\n" },
      ]);
      expect(outputs[2]?.map((output) => output.output_type === "display_data" && Object.keys(output.data))).toEqual([
        ["text/html"],
        ["image/svg+xml"],
        ["image/png"],
      ]);
      expect(outputs[4]).toContainEqual(
        expect.objectContaining({ output_type: "execute_result", data: { "text/plain": "42" } }),
      );
      // Jupyter started the kernel in the notebook's folder; the launcher moved it to the project root.
      expect(outputs.at(-1)).toEqual([{ output_type: "stream", name: "stdout", text: `cwd: ${repoRoot}\n` }]);
    },
  );
});
