/** The `cellforge-tslab` Jupyter kernelspec: lets Jupyter and VS Code start this project's own tslab. */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { KernelspecError } from "./errors.ts";
import { tslabDir, typescriptLoaderArgs } from "./kernel-process.ts";

export const KERNEL_NAME = "cellforge-tslab";
export const DISPLAY_NAME = "TypeScript (cellforge)";

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

/** The kernelspec for this checkout: absolute paths to this node, this launcher and this project's tslab. */
export function cellforgeKernelspec(): Kernelspec {
  const launcher = join(dirname(fileURLToPath(import.meta.url)), "jupyter-kernel.js");
  const tslab = tslabDir();
  return {
    argv: [process.execPath, ...typescriptLoaderArgs(), launcher, "--tslab", tslab, "--config-path", "{connection_file}"],
    display_name: DISPLAY_NAME,
    language: "typescript",
    // tslab stops a busy synchronous cell only on SIGINT.
    interrupt_mode: "signal",
    metadata: { cellforge: { project: dirname(dirname(tslab)) } },
  };
}

/** Where a kernelspec was written, and whether this call changed it. */
export interface InstalledKernelspec {
  dir: string;
  changed: boolean;
}

/** Writes kernels/<name>/kernel.json under the Jupyter data folder; does nothing if it is already current. */
export async function installKernelspec(options: { dataDir?: string; name?: string } = {}): Promise<InstalledKernelspec> {
  const dir = join(options.dataDir ?? jupyterDataDir(), "kernels", options.name ?? KERNEL_NAME);
  const path = join(dir, "kernel.json");
  const text = `${JSON.stringify(cellforgeKernelspec(), null, 2)}\n`;
  const current = await readFile(path, "utf8").catch(() => null);
  if (current === text) return { dir, changed: false };
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(path, text);
  } catch (error) {
    throw new KernelspecError(
      `cannot write ${path} (${error instanceof Error ? error.message : String(error)}): ` +
        "set JUPYTER_DATA_DIR to a writable folder or pass --data-dir",
    );
  }
  return { dir, changed: true };
}
