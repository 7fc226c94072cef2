// The notebook contract shared by the extractor, the lint rules and the runtime (none of them imports another).
export { didYouMean, didYouMeanHint, type DidYouMeanOptions } from "./did-you-mean.ts";
export {
  readNotebook,
  parseNotebook,
  notebookOf,
  type Notebook,
  type NotebookCell,
  type CellType,
} from "./notebook.ts";
export {
  cellDirectives,
  DIRECTIVE_KINDS,
  CELL_ROLES,
  type CellDirective,
  type CellDirectives,
  type CellRole,
  type DirectiveKind,
  type DirectiveSource,
} from "./directives.ts";
export {
  notebookDirectives,
  hasDirectives,
  type NotebookDirectives,
  type ResolvedCellDirectives,
} from "./notebook-directives.ts";
export {
  NotebookError,
  DirectiveError,
  describeLocation,
  type NotebookErrorCode,
  type DirectiveErrorCode,
  type DirectiveLocation,
} from "./errors.ts";
export { cellLabel, cellRef, stableCellLabel, type CellRef } from "./cell-label.ts";
export { helperCellMessage, type HelperBlocker } from "./helper-cells.ts";
export { MUTATING_METHODS, MUTATING_FUNCTIONS } from "./mutating-calls.ts";
export { camelCase, slugify, lastHeading, NODE_NAME } from "./names.ts";
export { declaredParameters, numericOperation, type DeclaredParameter } from "./parameters-cell.ts";
export type { JsonValue, JsonObject } from "./json-value.ts";
export { writeFileAtomic } from "./atomic-write.ts";
export { stableJson } from "./stable-json.ts";
export { nearestProjectRoot, projectRootOf } from "./project-root.ts";
export {
  newCellId,
  cellTags,
  CELL_ID,
  type NotebookDocument,
  type Cell,
  type CodeCell,
  type MarkdownCell,
  type RawCell,
  type Output,
  type StreamOutput,
  type DisplayDataOutput,
  type ExecuteResultOutput,
  type ErrorOutput,
  type MimeBundle,
} from "./nbformat.ts";
export { parseNotebookDocument, readNotebookDocument } from "./notebook-reader.ts";
export { serializeNotebook, writeNotebook } from "./notebook-writer.ts";
export * from "./dataset-types.ts";
