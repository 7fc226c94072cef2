// A unified line diff (as `diff -u` prints it), for `extract --check` to show how the committed modules drift.

type Edit = { kind: " " | "-" | "+"; line: string };

/** The edit script from `a` to `b` by longest common subsequence (generated files are small, so O(n·m) is fine). */
function edits(a: readonly string[], b: readonly string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i] as Uint32Array;
    const next = lcs[i + 1] as Uint32Array;
    for (let j = m - 1; j >= 0; j--) row[j] = a[i] === b[j] ? (next[j + 1] ?? 0) + 1 : Math.max(next[j] ?? 0, row[j + 1] ?? 0);
  }
  const script: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      script.push({ kind: " ", line: a[i] ?? "" });
      i++;
      j++;
    } else if (i < n && (j >= m || (lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0))) {
      // Deletions before insertions, as diff -u prints a changed line.
      script.push({ kind: "-", line: a[i] ?? "" });
      i++;
    } else {
      script.push({ kind: "+", line: b[j] ?? "" });
      j++;
    }
  }
  return script;
}

function lines(text: string): string[] {
  if (text === "") return [];
  const split = text.split("\n");
  if (split[split.length - 1] === "") split.pop();
  return split;
}

/** The unified diff turning `before` into `after`, with `context` lines around changes; "" when they are equal. */
export function unifiedDiff(before: string, after: string, fromName: string, toName: string, context = 3): string {
  if (before === after) return "";
  const script = edits(lines(before), lines(after));
  const out = [`--- ${fromName}`, `+++ ${toName}`];
  const changed = script.map((e, index) => (e.kind === " " ? -1 : index)).filter((index) => index >= 0);
  let k = 0;
  while (k < changed.length) {
    const first = changed[k] ?? 0;
    let last = first;
    while (k + 1 < changed.length && (changed[k + 1] ?? 0) - last <= 2 * context) last = changed[++k] ?? last;
    k++;
    const start = Math.max(0, first - context);
    const end = Math.min(script.length, last + context + 1);
    let oldLine = 1;
    let newLine = 1;
    for (const e of script.slice(0, start)) {
      if (e.kind !== "+") oldLine++;
      if (e.kind !== "-") newLine++;
    }
    const hunk = script.slice(start, end);
    const oldCount = hunk.filter((e) => e.kind !== "+").length;
    const newCount = hunk.filter((e) => e.kind !== "-").length;
    out.push(`@@ -${oldCount === 0 ? oldLine - 1 : oldLine},${oldCount} +${newCount === 0 ? newLine - 1 : newLine},${newCount} @@`);
    out.push(...hunk.map((e) => `${e.kind}${e.line}`));
  }
  return `${out.join("\n")}\n`;
}
