/** Papermill-style parameters: `-p name=value` becomes a tagged cell of `const`s right after the parameters cell. */
import { ParameterError } from "./errors.ts";
import {
  type Cell,
  type CodeCell,
  cellDirectives,
  cellTags,
  declaredParameters,
  type DeclaredParameter,
  newCellId,
  type NotebookDocument,
} from "@cellforge/contract";
import type { JsonValue } from "./wire.ts";

/** The tag papermill gives the cell it injects (a later run replaces that cell). */
export const INJECTED_TAG = "injected-parameters";
/** The tag (or `//| parameters` directive) that marks the parameters cell. */
export const PARAMETERS_TAG = "parameters";

/** One parameter to inject. `text` is its command-line spelling, kept when the declared default is a string. */
export interface Parameter {
  name: string;
  value: JsonValue;
  text?: string;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses a value like papermill's `-p`: numbers stay numbers, true/false/null, JSON arrays and objects, else a string. */
export function parseParameterValue(text: string): JsonValue {
  if (text === "true") return true;
  if (text === "false") return false;
  if (text === "null") return null;
  if (NUMBER.test(text)) return Number(text);
  const first = text.trimStart()[0];
  if (first === "[" || first === "{") {
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      return text;
    }
  }
  return text;
}

/** Parses one `name=value` argument. */
export function parseParameterArgument(argument: string): Parameter {
  const at = argument.indexOf("=");
  const name = at < 0 ? argument : argument.slice(0, at);
  if (at < 0 || !IDENTIFIER.test(name)) {
    throw new ParameterError(`bad parameter \`${argument}\`: write it as name=value, e.g. -p epochs=3`);
  }
  const text = argument.slice(at + 1);
  return { name, value: parseParameterValue(text), text };
}

/** Whether a cell is the parameters cell: tagged `parameters`, or a `//| parameters` directive at its top. */
export function isParametersCell(cell: Cell): boolean {
  if (cell.cell_type !== "code") return false;
  const { directives } = cellDirectives({ number: 1, type: "code", source: cell.source, tags: cellTags(cell) });
  return directives.some((directive) => directive.kind === PARAMETERS_TAG);
}

// ---- injection ----

function widenedType(declared: DeclaredParameter): string | null {
  return declared.type ?? declared.literal;
}

/** The value to inject: the command-line text stays a string when the parameter is declared as a string. */
function effectiveValue(parameter: Parameter, declared: DeclaredParameter): JsonValue {
  const wantsString = declared.literal === "string" || declared.type === "string";
  if (wantsString && typeof parameter.value !== "string" && parameter.text !== undefined) return parameter.text;
  return parameter.value;
}

/** The injected cell's source: one `const` per parameter, typed as the parameters cell declares it. */
export function injectedSource(parameters: readonly Parameter[], declared: readonly DeclaredParameter[]): string {
  const lines = ["// Parameters injected by `cellforge nb run` (they shadow the parameters cell's declarations)"];
  for (const parameter of parameters) {
    const declaration = declared.find((d) => d.name === parameter.name);
    const value = declaration === undefined ? parameter.value : effectiveValue(parameter, declaration);
    const type = declaration === undefined ? null : widenedType(declaration);
    lines.push(`const ${parameter.name}${type === null ? "" : `: ${type}`} = ${JSON.stringify(value)};`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Returns a copy of the notebook with a code cell tagged `injected-parameters` right after the parameters
 * cell (an earlier injected cell is removed). Throws ParameterError for unknown names or a missing
 * parameters cell. With no parameters the notebook is returned unchanged.
 */
export function injectParameters(
  notebook: NotebookDocument,
  parameters: readonly Parameter[],
  notebookName = "the notebook",
): NotebookDocument {
  if (parameters.length === 0) return notebook;
  const cells = notebook.cells.filter((cell) => !cellTags(cell).includes(INJECTED_TAG));
  const at = cells.findIndex(isParametersCell);
  const parametersCell = cells[at];
  if (parametersCell === undefined) {
    throw new ParameterError(
      `${notebookName} has no parameters cell, so ${parameters.map((p) => `\`${p.name}\``).join(", ")} cannot be set: ` +
        "tag the cell of parameter constants `parameters` or start it with `//| parameters`",
    );
  }
  const declared = declaredParameters(parametersCell.source);
  const valid = declared.map((d) => d.name);
  const unknown = parameters.filter((p) => !valid.includes(p.name));
  if (unknown.length > 0) {
    const names = unknown.map((p) => `\`${p.name}\``).join(", ");
    throw new ParameterError(
      `unknown parameter${unknown.length > 1 ? "s" : ""} ${names} for ${notebookName}; ` +
        (valid.length === 0
          ? "its parameters cell declares none"
          : `its parameters cell (cell ${notebook.cells.indexOf(parametersCell) + 1}) declares: ${valid.join(", ")}`),
    );
  }
  // A later -p of the same name wins, as on papermill's command line.
  const latest = new Map(parameters.map((p) => [p.name, p]));
  const injected: CodeCell = {
    id: newCellId(),
    cell_type: "code",
    metadata: { tags: [INJECTED_TAG] },
    source: injectedSource([...latest.values()], declared),
    execution_count: null,
    outputs: [],
  };
  return { ...notebook, cells: [...cells.slice(0, at + 1), injected, ...cells.slice(at + 1)] };
}
