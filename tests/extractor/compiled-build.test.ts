// `extract` runs from a build of the extractor compiled on first use (extractor/bin/build.js), never an old one, and
// loads ts-morph with V8 code caches (extractor/bin/code-cache.js) that change nothing but the time to load it.
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { fixture, repoRoot, scratchDir } from "./fixtures.ts";

/**
 * A copy of the extractor and the contract, installed against the repository's packages, with caches of its own: ts-morph
 * and @ts-morph/common are copied too (Node resolves a linked package from its real folder, and their caches go there).
 */
function copiedExtractor(): string {
  const root = scratchDir();
  for (const folder of ["extractor", "contract"])
    cpSync(join(repoRoot, folder), join(root, folder), { recursive: true });
  const modules = join(root, "node_modules");
  mkdirSync(join(modules, "@cellforge"), { recursive: true });
  for (const name of readdirSync(join(repoRoot, "node_modules")))
    if (name === "ts-morph" || name === "@ts-morph")
      cpSync(join(repoRoot, "node_modules", name), join(modules, name), { recursive: true, dereference: true });
    else if (name !== "@cellforge" && name !== ".cache" && name !== ".bin")
      symlinkSync(join(repoRoot, "node_modules", name), join(modules, name));
  for (const folder of ["extractor", "contract"]) symlinkSync(join(root, folder), join(modules, "@cellforge", folder));
  return root;
}

async function extract(root: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [join(root, "extractor/bin/extract.js"), ...args],
      { cwd: root },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

const builds = (root: string): string[] =>
  readdirSync(join(root, "node_modules/.cache/cellforge-extract")).filter((name) => name.startsWith("extract-"));

it("builds the extractor on first use, and builds it again when one of its sources or the contract's changes", async () => {
  const root = copiedExtractor();
  const notebook = join(root, "notebook.ipynb");
  cpSync(fixture("dataflow"), notebook);
  const args = [notebook, "--out", join(root, "out"), "--catalog", join(root, "catalog.yml")];
  expect(await extract(root, args)).toMatchObject({ code: 0 });
  const [first, ...others] = builds(root);
  expect(others).toEqual([]);
  expect(first).toMatch(/^extract-[0-9a-f]{16}\.mjs$/);
  // Run from the build, a cell edit that does not type-check is still reported at its cell, and nothing is written.
  const nodes = readFileSync(join(root, "out/nodes.ts"), "utf8");
  writeFileSync(
    notebook,
    readFileSync(notebook, "utf8").replace(
      "//| node: show\\n",
      "//| node: show\\nconst wrong: number = report.title;\\n",
    ),
  );
  const broken = await extract(root, args);
  expect(broken.code).toBe(1);
  expect(broken.stderr).toContain("Type 'string' is not assignable to type 'number'");
  expect(readFileSync(join(root, "out/nodes.ts"), "utf8")).toBe(nodes);

  // An edit to a source the build is made from: the next run runs the edit, from a new build that replaces the old one.
  const main = join(root, "extractor/cli/main.ts");
  writeFileSync(main, readFileSync(main, "utf8").replace("Usage: extract", "Usage (edited): extract"));
  expect((await extract(root, ["--help"])).stdout).toContain("Usage (edited): extract");
  const [second, ...rest] = builds(root);
  expect(rest).toEqual([]);
  expect(second).not.toBe(first);

  // A tsconfig.json esbuild reads (here a nearer one) makes a new build too.
  writeFileSync(join(root, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "ES2022" } }));
  expect((await extract(root, ["--help"])).code).toBe(0);
  expect(builds(root)).not.toContain(second);
  const [third] = builds(root);

  // The same for the contract package compiled into it (here, how a directive typo is reported).
  const directives = join(root, "contract/directives.ts");
  const text = readFileSync(directives, "utf8");
  expect(text).toContain("did you mean");
  writeFileSync(directives, text.replaceAll("did you mean", "perhaps you meant"));
  const typo = join(root, "typo.ipynb");
  cpSync(fixture("directive-typo"), typo);
  const failed = await extract(root, [typo, "--out", join(root, "typo-out"), "--catalog", join(root, "catalog.yml")]);
  expect(failed.code).toBe(1);
  expect(failed.stderr).toContain("perhaps you meant");
  expect(builds(root)).not.toContain(third);
});

it("keeps V8 code caches of ts-morph's big files, named by their contents; a cache V8 rejects is written again", async () => {
  const root = copiedExtractor();
  const notebook = join(root, "notebook.ipynb");
  cpSync(fixture("dataflow"), notebook);
  const args = [notebook, "--out", join(root, "out"), "--catalog", join(root, "catalog.yml")];
  const folder = join(root, "node_modules/.cache/cellforge-extract/v8");
  expect(await extract(root, args)).toMatchObject({ code: 0 });
  const caches = readdirSync(folder).sort();
  // typescript.js, ts-morph-common.js and ts-morph.js
  expect(caches).toHaveLength(3);
  const nodes = readFileSync(join(root, "out/nodes.ts"), "utf8");

  for (const name of caches) writeFileSync(join(folder, name), "not a code cache");
  expect(await extract(root, args)).toMatchObject({ code: 0 });
  expect(readFileSync(join(root, "out/nodes.ts"), "utf8")).toBe(nodes);
  expect(readdirSync(folder).sort()).toEqual(caches);
  for (const name of caches) expect(readFileSync(join(folder, name), "utf8")).not.toBe("not a code cache");

  // An edited typescript.js (a patch, another version) gets a cache of its own; the old one is deleted, and the
  // other two, which V8 takes, are not written again.
  const written = new Map(caches.map((name) => [name, statSync(join(folder, name)).mtimeMs]));
  const typescript = join(root, "node_modules/@ts-morph/common/dist/typescript.js");
  writeFileSync(typescript, `${readFileSync(typescript, "utf8")}\n// edited\n`);
  expect(await extract(root, args)).toMatchObject({ code: 0 });
  const after = readdirSync(folder).sort();
  expect(after).toHaveLength(3);
  expect(after.filter((name) => !caches.includes(name))).toHaveLength(1);
  const kept = after.filter((name) => caches.includes(name));
  expect(kept).toHaveLength(2);
  for (const name of kept) expect(statSync(join(folder, name)).mtimeMs).toBe(written.get(name));
});
