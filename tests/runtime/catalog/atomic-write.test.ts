import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { removeStaleTemporaryFiles, temporaryFolder, writeAtomically } from "../../../runtime/catalog/atomic-write.ts";
import { Catalog } from "../../../runtime/catalog/catalog.ts";
import type { CatalogEntry, DatasetContext } from "../../../runtime/catalog/dataset.ts";
import { FileDataset } from "../../../runtime/catalog/file-dataset.ts";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "cellforge-atomic-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A folder dataset of two files that a save writes with the same text: a load that finds them different read half of two saves. */
class PairFolderDataset extends FileDataset<string> {
  constructor(entry: CatalogEntry, context: DatasetContext) {
    super("pair", "pair-folder", entry, context, true);
  }

  protected async read(path: string): Promise<string> {
    const first = await readFile(join(path, "first.txt"), "utf8");
    await new Promise((resolve) => setImmediate(resolve));
    const second = await readFile(join(path, "second.txt"), "utf8");
    return first === second ? first : `torn: ${first} then ${second}`;
  }

  protected async write(path: string, data: string): Promise<void> {
    mkdirSync(path);
    writeFileSync(join(path, "first.txt"), data);
    writeFileSync(join(path, "second.txt"), data);
  }
}

/** Every file under the project except node_modules, relative. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(folder.length + 1))
    .sort();
}

describe("atomic writes", () => {
  it("a save that fails leaves the old file intact and no temporary file behind", async () => {
    const catalog = new Catalog({ scores: { type: "json", path: "data/scores.json" } }, { root });
    await catalog.save("scores", { accuracy: 0.5 });
    await expect(catalog.save("scores", { accuracy: 10n })).rejects.toThrow(/BigInt cannot be written as JSON/);
    expect(JSON.parse(readFileSync(join(root, "data/scores.json"), "utf8"))).toEqual({ accuracy: 0.5 });
    expect(filesUnder(root)).toEqual(["data/scores.json"]);
  });

  it("a writer that fails half-way leaves the old file intact and no temporary file behind", async () => {
    mkdirSync(join(root, "data"));
    writeFileSync(join(root, "data/big.bin"), "old");
    await expect(
      writeAtomically(join(root, "data/big.bin"), root, async (temporary) => {
        writeFileSync(temporary, "half of the new conte");
        throw new Error("disk full");
      }),
    ).rejects.toThrow("disk full");
    expect(readFileSync(join(root, "data/big.bin"), "utf8")).toBe("old");
    expect(filesUnder(root)).toEqual(["data/big.bin"]);
  });

  it("a folder dataset is replaced whole", async () => {
    const target = join(root, "data/model");
    await writeAtomically(target, root, async (t) => {
      mkdirSync(t);
      writeFileSync(join(t, "a"), "1");
      writeFileSync(join(t, "old-only"), "1");
    });
    await writeAtomically(target, root, async (t) => {
      mkdirSync(t);
      writeFileSync(join(t, "a"), "2");
    });
    expect(filesUnder(join(root, "data"))).toEqual(["model/a"]);
    expect(readFileSync(join(target, "a"), "utf8")).toBe("2");
  });

  it("a folder another process replaces again and again is never missing, nor half of two saves, for its readers", async () => {
    const pair = new PairFolderDataset({ type: "pair-folder", path: "data/pair" }, { root, saveVersion: "v" });
    await pair.save("0");
    const saves = 300;
    const script = `
      import { writeAtomically } from ${JSON.stringify(join(import.meta.dirname, "../../../runtime/catalog/atomic-write.ts"))};
      import { mkdirSync, writeFileSync } from "node:fs";
      import { join } from "node:path";
      console.log("saving");
      for (let i = 1; i <= ${saves}; i++) {
        await writeAtomically(${JSON.stringify(pair.path)}, ${JSON.stringify(root)}, async (t) => {
          mkdirSync(t);
          writeFileSync(join(t, "first.txt"), String(i));
          writeFileSync(join(t, "second.txt"), String(i));
        });
      }`;
    const writer = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let writing = true;
    const exited = new Promise((resolve) => writer.on("exit", resolve)).finally(() => (writing = false));
    await new Promise<void>((resolve) =>
      writer.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("saving") && resolve()),
    );
    const seen: string[] = [];
    const failures: string[] = [];
    while (writing) {
      const [loaded, digest, exists] = await Promise.all([
        pair.load().catch((error: unknown) => `load failed: ${String(error)}`),
        pair.digest().catch((error: unknown) => `digest failed: ${String(error)}`),
        pair.exists(),
      ]);
      seen.push(loaded);
      if (!/^\d+$/.test(loaded)) failures.push(loaded);
      if (digest === undefined || digest.includes("failed")) failures.push(`digest: ${digest}`);
      if (!exists) failures.push("exists: false");
    }
    await exited;
    expect(failures).toEqual([]);
    expect(await pair.load()).toBe(String(saves));
    // The readers ran while the folder was being replaced, not only before or after.
    expect(new Set(seen).size).toBeGreaterThan(2);
    expect(readdirSync(join(root, "data"))).toEqual(["pair"]);
  }, 120_000);

  it("a folder left aside by a process killed mid-replacement is not waited for, and the next save removes it", async () => {
    const pair = new PairFolderDataset({ type: "pair-folder", path: "data/pair" }, { root, saveVersion: "v" });
    const dead = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => dead.on("exit", resolve));
    const aside = join(root, "data", `.pair.cellforge-replaced-${dead.pid}-0123456789ab`);
    mkdirSync(aside, { recursive: true });
    writeFileSync(join(aside, "first.txt"), "old");
    writeFileSync(join(aside, "second.txt"), "old");
    // Waiting for its writer would take a minute, past the test's timeout.
    expect(await pair.exists()).toBe(false);
    await pair.save("1");
    await pair.save("2");
    expect(await pair.load()).toBe("2");
    expect(readdirSync(join(root, "data"))).toEqual(["pair"]);
  });

  it("a process killed (SIGKILL) in the middle of a write leaves the old file and no partial file in the data folder", async () => {
    mkdirSync(join(root, "data"));
    writeFileSync(join(root, "data/result.csv"), "a\n1\n");
    const script = `
      import { writeAtomically } from ${JSON.stringify(join(import.meta.dirname, "../../../runtime/catalog/atomic-write.ts"))};
      import { appendFileSync } from "node:fs";
      await writeAtomically(${JSON.stringify(join(root, "data/result.csv"))}, ${JSON.stringify(root)}, async (t) => {
        appendFileSync(t, "a\\n");
        console.log("half written");
        await new Promise((r) => setTimeout(r, 60_000));
      });`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve) =>
      child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("half written") && resolve()),
    );
    child.kill("SIGKILL");
    await new Promise((resolve) => child.on("exit", resolve));
    expect(readFileSync(join(root, "data/result.csv"), "utf8")).toBe("a\n1\n");
    expect(filesUnder(join(root, "data"))).toEqual(["result.csv"]);
    // The dead writer's temporary file is under .cellforge/tmp, and the next run removes it.
    expect(readdirSync(temporaryFolder(root))).toHaveLength(1);
    await removeStaleTemporaryFiles(root);
    expect(readdirSync(temporaryFolder(root))).toHaveLength(0);
    expect(existsSync(join(root, "data/result.csv"))).toBe(true);
  });
});
