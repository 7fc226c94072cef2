// Where things are for a notebook: the project root, the pipeline's name and output folder, the catalog, and the notebooks `--all` covers.
import { readdir } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import { projectRootOf } from "@cellforge/contract";

/** The paths extraction of one notebook reads and writes. */
export interface NotebookPaths {
  absolute: string;
  /** Relative to the project root, with `/` ("notebooks/train.ipynb"). */
  source: string;
  /** The pipeline name: the file name without `.ipynb`. */
  name: string;
  root: string;
  outDir: string;
  catalogPath: string;
}

/** Options that move outputs away from their defaults. */
export interface PathOptions {
  outDir?: string;
  catalogPath?: string;
}

/** The paths for the notebook at `notebookPath` (relative to the working directory). */
export function notebookPaths(notebookPath: string, options: PathOptions = {}): NotebookPaths {
  const absolute = resolve(notebookPath);
  const root = projectRootOf(dirname(absolute));
  const name = basename(absolute).replace(/\.ipynb$/, "");
  return {
    absolute,
    source: relative(root, absolute).replaceAll("\\", "/"),
    name,
    root,
    outDir: resolve(options.outDir ?? join(root, "pipelines", name)),
    catalogPath: resolve(options.catalogPath ?? join(root, "conf", "base", "catalog.yml")),
  };
}

/** Every .ipynb under `dir`, sorted, skipping Jupyter's checkpoints. */
export async function findNotebooks(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== ".ipynb_checkpoints" && entry.name !== "node_modules")
      found.push(...(await findNotebooks(path)));
    else if (entry.isFile() && entry.name.endsWith(".ipynb")) found.push(path);
  }
  return found.sort();
}
