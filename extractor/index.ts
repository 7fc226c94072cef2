// The public API of @cellforge/extractor: extraction as the CLI runs it (ts-morph loads lazily).
export {
  planExtraction,
  writeExtraction,
  readForExtraction,
  type ExtractOptions,
  type PlannedExtraction,
  type ReadNotebook,
  type WrittenExtraction,
} from "./cli/extract.ts";
export { checkNotebook, type CheckResult } from "./cli/check.ts";
export { ExtractionFailed, ExtractionProblem, type ProblemCode, type Severity } from "./analysis/problems.ts";
export { CatalogError, type CatalogEntry } from "./codegen/catalog.ts";
export { main } from "./cli/main.ts";
