import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { removeStaleTemporaryFiles, temporaryFolder, writeAtomically } from "../../../runtime/catalog/atomic-write.ts";
import { Catalog } from "../../../runtime/catalog/catalog.ts";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "cellforge-atomic-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

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
