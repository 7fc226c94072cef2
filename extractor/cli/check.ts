// `extract --check`: are the committed modules what the notebook says? Header hashes first (no ts-morph), a full diff only when they differ.
import { relative } from "node:path";
import { catalogUpToDate, missingCatalogEntries } from "../codegen/catalog.ts";
import { parseHeader, withoutHeaderHashes } from "../codegen/header.ts";
import { unifiedDiff } from "./diff.ts";
import { planExtraction, readForExtraction, type ExtractOptions } from "./extract.ts";

/** The verdict on one notebook. */
export interface CheckResult {
  source: string;
  upToDate: boolean;
  /** Decided from the header hashes alone. */
  fast: boolean;
  /** Unified diff from the committed files to what extraction would write. */
  diff: string;
  /** Things to tell the user that are not a diff (missing catalog entries, stale headers). */
  notes: string[];
  /** What differs, one phrase per change ("parameter epochs: 300 → 5"); empty when up to date. */
  changes: string[];
}

// The files every extraction writes; the others (shared.ts, predict.ts) depend on the notebook's cells.
const ALWAYS = ["nodes.ts", "parameters.ts", "pipeline.ts"];

/** Checks one notebook against its generated modules (and its catalog entries, on the slow path). */
export async function checkNotebook(notebookPath: string, options: ExtractOptions = {}): Promise<CheckResult> {
  const read = await readForExtraction(notebookPath, options);
  const { paths, header, existing } = read;
  const headers = [...existing.values()].map(parseHeader);
  const fast =
    ALWAYS.every((name) => existing.has(name)) &&
    headers.every(
      (h) =>
        h !== undefined &&
        h.source === header.source &&
        h.notebook === header.notebook &&
        h.extractor === header.extractor,
    );
  if (fast) return { source: paths.source, upToDate: true, fast: true, diff: "", notes: [], changes: [] };

  // Verified as `extract` would: a notebook that no longer extracts is reported as such (ExtractionFailed), not as drift.
  const plan = await planExtraction(read, { verify: true });
  const shown = (name: string): string => relative(paths.root, `${paths.outDir}/${name}`).replaceAll("\\", "/");
  // The hashes are a cache key for the fast path, not content: modules that differ only there are up to date.
  const diffs: string[] = [];
  let staleHeaders = false;
  for (const file of plan.files) {
    const before = existing.get(file.name) ?? "";
    if (before === file.text) continue;
    if (withoutHeaderHashes(before) === withoutHeaderHashes(file.text)) {
      staleHeaders = true;
      continue;
    }
    diffs.push(
      unifiedDiff(
        before,
        file.text,
        existing.has(file.name) ? `a/${shown(file.name)}` : "/dev/null",
        `b/${shown(file.name)}`,
      ),
    );
  }
  for (const [name, text] of existing) {
    if (!plan.files.some((f) => f.name === name)) diffs.push(unifiedDiff(text, "", `a/${shown(name)}`, "/dev/null"));
  }
  const notes: string[] = [];
  // Loaded only on drift: it parses the modules with the TypeScript parser.
  const changes = diffs.length === 0 ? [] : (await import("./drift-summary.ts")).describeDrift(existing, plan.files);
  const missing = await missingCatalogEntries(paths.catalogPath, plan.catalog);
  if (missing.length > 0) {
    const lacks = `${relative(paths.root, paths.catalogPath)} lacks ${missing.map((e) => `\`${e.name}\``).join(", ")}`;
    notes.push(`${lacks}.`);
    changes.push(lacks);
  }
  const staleComments = missing.length === 0 && !(await catalogUpToDate(paths.catalogPath, plan.catalog));
  if (staleComments) {
    const stale = `${relative(paths.root, paths.catalogPath)} names the wrong cells in its comments`;
    notes.push(`${stale}; run \`npm run extract\` to refresh them.`);
    changes.push(stale);
  }
  if (staleHeaders && diffs.length === 0) {
    notes.push(
      "the modules match, but their header hashes are stale (an exploration cell or the extractor changed); run `npm run extract` to refresh them so `--check` stays fast.",
    );
  }
  return {
    source: paths.source,
    upToDate: diffs.length === 0 && missing.length === 0 && !staleComments,
    fast: false,
    diff: diffs.join(""),
    notes,
    changes,
  };
}
