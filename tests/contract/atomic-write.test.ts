// The one atomic file writer the notebook and catalog.yml writers share: no collisions, nothing left after a failure.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFileAtomic } from "@cellforge/contract";

const scratch = (): string => mkdtempSync(join(tmpdir(), "cellforge-atomic-"));

describe("writeFileAtomic", () => {
  it("lets two concurrent writes to one path in one process both succeed, leaving one of them whole", async () => {
    const dir = scratch();
    const path = join(dir, "catalog.yml");
    const a = "a".repeat(200_000);
    const b = "b".repeat(200_000);
    await Promise.all([writeFileAtomic(path, a), writeFileAtomic(path, b)]);
    expect([a, b]).toContain(readFileSync(path, "utf8"));
    expect(readdirSync(dir)).toEqual(["catalog.yml"]);
  });

  it("leaves no temp file and the old target when the write fails", async () => {
    const dir = scratch();
    mkdirSync(join(dir, "taken")); // a folder where the file should go: the rename fails
    await expect(writeFileAtomic(join(dir, "taken"), "text")).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(["taken"]);
  });

  it("creates missing folders and replaces an existing file", async () => {
    const path = join(scratch(), "conf", "base", "catalog.yml");
    await writeFileAtomic(path, "old\n");
    await writeFileAtomic(path, "new\n");
    expect(readFileSync(path, "utf8")).toBe("new\n");
  });
});
