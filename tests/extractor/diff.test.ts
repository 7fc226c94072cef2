// The unified diff `extract --check` prints.
import { expect, it } from "vitest";
import { unifiedDiff } from "../../extractor/cli/diff.ts";

it("prints changed lines with three lines of context and hunk headers", () => {
  const before = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"].join("\n") + "\n";
  const after = ["a", "b", "c", "d", "E", "f", "g", "h", "i", "j", "k"].join("\n") + "\n";
  expect(unifiedDiff(before, after, "a/x.ts", "b/x.ts")).toBe(
    ["--- a/x.ts", "+++ b/x.ts", "@@ -2,9 +2,10 @@", " b", " c", " d", "-e", "+E", " f", " g", " h", " i", " j", "+k", ""].join("\n"),
  );
});

it("is empty for equal texts and diffs against nothing for new and deleted files", () => {
  expect(unifiedDiff("same\n", "same\n", "a", "b")).toBe("");
  expect(unifiedDiff("", "one\ntwo\n", "/dev/null", "b/new.ts")).toBe("--- /dev/null\n+++ b/new.ts\n@@ -0,0 +1,2 @@\n+one\n+two\n");
  expect(unifiedDiff("gone\n", "", "a/old.ts", "/dev/null")).toBe("--- a/old.ts\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-gone\n");
});
