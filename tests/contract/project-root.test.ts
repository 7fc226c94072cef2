// Which project a command or notebook belongs to: the nearest package.json, or the folder itself outside a project.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nearestProjectRoot, projectRootOf } from "@cellforge/contract";

describe("project root", () => {
  it("is the nearest folder above with a package.json", () => {
    const root = mkdtempSync(join(tmpdir(), "cellforge-root-"));
    writeFileSync(join(root, "package.json"), "{}");
    mkdirSync(join(root, "notebooks", "deep"), { recursive: true });
    expect(nearestProjectRoot(join(root, "notebooks", "deep"))).toBe(root);
    expect(projectRootOf(join(root, "notebooks", "deep"))).toBe(root);
  });

  it("falls back to the folder itself outside any project", () => {
    expect(nearestProjectRoot("/")).toBeUndefined();
    expect(projectRootOf("/")).toBe("/");
  });
});
