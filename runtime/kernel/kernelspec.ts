/**
 * The project's Jupyter kernelspec: lets Jupyter and VS Code start this project's own tslab. One per
 * checkout (its name carries the package name and a hash of the project path), so that installing it in a
 * second checkout never repoints the first one's kernel.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { KernelspecError } from "./errors.ts";
import { tslabDir, typescriptLoaderArgs } from "./kernel-process.ts";

/** A project's kernel: its folder name under kernels/ and the name Jupyter shows. */
export interface ProjectKernel {
  name: string;
  displayName: string;
}

/** The checkout this runtime is installed in: the folder whose node_modules holds tslab. */
export function installedProject(): string {
  return dirname(dirname(tslabDir()));
}

function packageName(project: string): string {
  try {
    const name = (JSON.parse(readFileSync(join(project, "package.json"), "utf8")) as { name?: unknown }).name;
    if (typeof name === "string" && name !== "") return name;
  } catch {
    // No readable package.json: the folder's name stands for the project.
  }
  return basename(project);
}

/** The kernel of the project at `project`: `cellforge-<package>-<hash of the path>`, shown as "TypeScript (cellforge: <package>)". */
export function projectKernel(project: string): ProjectKernel {
  const name = packageName(project);
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "project";
  const hash = createHash("sha256").update(project).digest("hex").slice(0, 8);
  return { name: `cellforge-${slug}-${hash}`, displayName: `TypeScript (cellforge: ${name})` };
}

/** kernel.json as jupyter_client reads it. */
export interface Kernelspec {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: "signal" | "message";
  metadata: { cellforge: { project: string } };
}

/** Jupyter's user data folder: $JUPYTER_DATA_DIR, else the platform's default (as `jupyter --data-dir`). */
export function jupyterDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env["JUPYTER_DATA_DIR"];
  if (explicit !== undefined && explicit !== "") return explicit;
  const home = env["HOME"] ?? homedir();
  if (process.platform === "darwin") return join(home, "Library", "Jupyter");
  if (process.platform === "win32") return join(env["APPDATA"] ?? join(home, "AppData", "Roaming"), "jupyter");
  const xdg = env["XDG_DATA_HOME"];
  return join(xdg !== undefined && xdg !== "" ? xdg : join(home, ".local", "share"), "jupyter");
}

/** The kernelspec for a checkout (this one by default): absolute paths to this node, this launcher and this project's tslab. */
export function cellforgeKernelspec(project: string = installedProject()): Kernelspec {
  const launcher = join(dirname(fileURLToPath(import.meta.url)), "jupyter-kernel.js");
  return {
    argv: [
      process.execPath,
      ...typescriptLoaderArgs(),
      launcher,
      "--tslab",
      tslabDir(),
      "--config-path",
      "{connection_file}",
    ],
    display_name: projectKernel(project).displayName,
    language: "typescript",
    // tslab stops a busy synchronous cell only on SIGINT.
    interrupt_mode: "signal",
    metadata: { cellforge: { project } },
  };
}

/** Where a kernelspec was written, what Jupyter shows it as, and whether this call changed it. */
export interface InstalledKernelspec {
  dir: string;
  displayName: string;
  changed: boolean;
}

/** Writes kernels/<project kernel name>/kernel.json under the Jupyter data folder; does nothing if it is already current. */
export async function installKernelspec(
  options: { dataDir?: string; name?: string; project?: string } = {},
): Promise<InstalledKernelspec> {
  const project = options.project ?? installedProject();
  const spec = cellforgeKernelspec(project);
  const dir = join(options.dataDir ?? jupyterDataDir(), "kernels", options.name ?? projectKernel(project).name);
  const path = join(dir, "kernel.json");
  const text = `${JSON.stringify(spec, null, 2)}\n`;
  const current = await readFile(path, "utf8").catch(() => null);
  if (current === text) return { dir, displayName: spec.display_name, changed: false };
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(path, text);
  } catch (error) {
    throw new KernelspecError(
      `cannot write ${path} (${error instanceof Error ? error.message : String(error)}): ` +
        "set JUPYTER_DATA_DIR to a writable folder or pass --data-dir",
    );
  }
  return { dir, displayName: spec.display_name, changed: true };
}
