// The unified diff `extract --check` prints.
import { expect, it } from "vitest";
import { unifiedDiff } from "../../extractor/cli/diff.ts";

it("prints changed lines with three lines of context and hunk headers", () => {
  const before = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"].join("\n") + "\n";
  const after = ["a", "b", "c", "d", "E", "f", "g", "h", "i", "j", "k"].join("\n") + "\n";
  expect(unifiedDiff(before, after, "a/x.ts", "b/x.ts")).toBe(
    [
      "--- a/x.ts",
      "+++ b/x.ts",
      "@@ -2,9 +2,10 @@",
      " b",
      " c",
      " d",
      "-e",
      "+E",
      " f",
      " g",
      " h",
      " i",
      " j",
      "+k",
      "",
    ].join("\n"),
  );
});

it("is empty for equal texts and diffs against nothing for new and deleted files", () => {
  expect(unifiedDiff("same\n", "same\n", "a", "b")).toBe("");
  expect(unifiedDiff("", "one\ntwo\n", "/dev/null", "b/new.ts")).toBe(
    "--- /dev/null\n+++ b/new.ts\n@@ -0,0 +1,2 @@\n+one\n+two\n",
  );
  expect(unifiedDiff("gone\n", "", "a/old.ts", "/dev/null")).toBe(
    "--- a/old.ts\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-gone\n",
  );
});

it("shows a missing final newline as diff -u does, so a check that fails always shows why", () => {
  expect(unifiedDiff("x", "x\n", "a/x.ts", "b/x.ts")).toBe(
    "--- a/x.ts\n+++ b/x.ts\n@@ -1,1 +1,1 @@\n-x\n\\ No newline at end of file\n+x\n",
  );
});

it("says when only the line endings differ instead of listing every line", () => {
  expect(unifiedDiff("a\r\nb\r\n", "a\nb\n", "a/x.ts", "b/x.ts")).toBe(
    "--- a/x.ts\n+++ b/x.ts\nonly the line endings differ: CRLF in a/x.ts, LF in b/x.ts\n",
  );
});

it("diffs two 100,000-line files with one change (memory grows with the change, not with the product of the lengths)", () => {
  const before = Array.from({ length: 100_000 }, (_, i) => `line ${i}`).join("\n") + "\n";
  const after = before.replace("line 50000\n", "line fifty thousand\n");
  expect(unifiedDiff(before, after, "a", "b")).toBe(
    "--- a\n+++ b\n@@ -49998,7 +49998,7 @@\n line 49997\n line 49998\n line 49999\n-line 50000\n+line fifty thousand\n line 50001\n line 50002\n line 50003\n",
  );
});
