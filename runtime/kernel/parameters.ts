/** Papermill-style parameters: `-p name=value` becomes a tagged cell of `const`s right after the parameters cell. */
import { ParameterError } from "./errors.ts";
import { type Cell, type CodeCell, cellTags, newCellId, type Notebook } from "./notebook.ts";
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

/** A top-level declaration of the parameters cell. */
export interface DeclaredParameter {
  name: string;
  /** The declared type annotation, verbatim, if any. */
  type: string | null;
  /** The kind of a literal default (`10`, `"a"`, `true`), or null for anything else. */
  literal: "number" | "string" | "boolean" | null;
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
  if (cellTags(cell).includes(PARAMETERS_TAG)) return true;
  for (const line of cell.source.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "") continue;
    const directive = /^\/\/\|\s*(.*)$/.exec(trimmed);
    if (directive === null) return false;
    if (directive[1]?.trim() === PARAMETERS_TAG) return true;
  }
  return false;
}

// ---- a small TypeScript scanner: enough to list a parameters cell's top-level declarations ----

interface Token {
  kind: "word" | "number" | "string" | "punct" | "newline";
  text: string;
  start: number;
  end: number;
}

const PUNCTUATION = ["===", "!==", "...", "=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "**"];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: Token["kind"], start: number, end: number): void => {
    tokens.push({ kind, text: source.slice(start, end), start, end });
  };
  while (i < source.length) {
    const c = source[i] ?? "";
    const next = source[i + 1] ?? "";
    if (c === "\n") {
      push("newline", i, i + 1);
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else if (c === "/" && next === "/") {
      while (i < source.length && source[i] !== "\n") i++;
    } else if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      i = end < 0 ? source.length : end + 2;
    } else if (c === '"' || c === "'") {
      const start = i++;
      while (i < source.length && source[i] !== c && source[i] !== "\n") i += source[i] === "\\" ? 2 : 1;
      push("string", start, ++i);
    } else if (c === "`") {
      const start = i++;
      let depth = 0;
      while (i < source.length) {
        const d = source[i];
        if (d === "\\") i += 2;
        else if (depth === 0 && d === "`") break;
        else if (d === "$" && source[i + 1] === "{") {
          depth++;
          i += 2;
        } else if (depth > 0 && d === "}") {
          depth--;
          i++;
        } else i++;
      }
      push("string", start, ++i);
    } else if (/[A-Za-z_$]/.test(c)) {
      const start = i;
      while (i < source.length && /[\w$]/.test(source[i] ?? "")) i++;
      push("word", start, i);
    } else if (/\d/.test(c) || (c === "." && /\d/.test(next))) {
      const start = i;
      while (i < source.length && /[\w.]/.test(source[i] ?? "")) {
        i += /[eE]/.test(source[i] ?? "") && /[+-]/.test(source[i + 1] ?? "") ? 2 : 1;
      }
      push("number", start, i);
    } else {
      const op = PUNCTUATION.find((p) => source.startsWith(p, i)) ?? c;
      push("punct", i, i + op.length);
      i += op.length;
    }
  }
  return tokens;
}

const OPENERS = new Set(["(", "[", "{"]);
const CLOSERS = new Set([")", "]", "}"]);
/** Tokens that, at the start of the next line, continue an expression rather than start a statement. */
const CONTINUATIONS = new Set([".", "?.", "?", ":", "+", "-", "*", "/", "%", "&", "|", "^", "&&", "||", "??", "=>", ",", "=", "==", "===", "!=", "!==", "<", ">", "<=", ">=", "**"]);

function literalKind(tokens: Token[]): DeclaredParameter["literal"] {
  const texts = tokens.filter((t) => t.kind !== "newline");
  const [first, second] = texts;
  if (texts.length === 1 && first !== undefined) {
    if (first.kind === "number") return "number";
    if (first.kind === "string" && !first.text.includes("${")) return "string";
    if (first.text === "true" || first.text === "false") return "boolean";
  }
  if (texts.length === 2 && first !== undefined && second !== undefined && (first.text === "-" || first.text === "+") && second.kind === "number") {
    return "number";
  }
  return null;
}

/** Lists the top-level `const`/`let`/`var` declarations of a cell (simple names; destructuring is skipped). */
export function declaredParameters(source: string): DeclaredParameter[] {
  const tokens = tokenize(source);
  const declared: DeclaredParameter[] = [];
  let depth = 0;
  let statementStart = true;
  let i = 0;
  const at = (k: number): Token | undefined => tokens[k];
  /** Index of the first token at nesting depth 0 (from `from`) that `stop` accepts, honouring line-ends as ASI. */
  const scanTo = (from: number, stop: (t: Token) => boolean, angles: boolean): number => {
    let level = 0;
    let k = from;
    for (; k < tokens.length; k++) {
      const t = tokens[k];
      if (t === undefined) break;
      if (level === 0 && stop(t)) return k;
      if (t.kind !== "punct") {
        if (t.kind === "newline" && level === 0) {
          let n = k + 1;
          while (at(n)?.kind === "newline") n++;
          const following = at(n);
          if (following === undefined || !(following.kind === "punct" && CONTINUATIONS.has(following.text))) return k;
        }
        continue;
      }
      if (OPENERS.has(t.text) || (angles && t.text === "<")) level++;
      else if (CLOSERS.has(t.text) || (angles && t.text === ">")) level = Math.max(0, level - 1);
    }
    return k;
  };
  while (i < tokens.length) {
    const t = tokens[i];
    if (t === undefined) break;
    if (depth === 0 && statementStart && t.kind === "word" && (t.text === "export" || t.text === "declare")) {
      i++;
      continue;
    }
    if (depth === 0 && statementStart && t.kind === "word" && (t.text === "const" || t.text === "let" || t.text === "var")) {
      i++;
      for (;;) {
        while (at(i)?.kind === "newline") i++;
        const name = at(i);
        if (name === undefined || name.kind !== "word") {
          // Destructuring or something unusual: skip the statement.
          i = scanTo(i, (x) => x.text === ";", false);
          break;
        }
        i++;
        let type: string | null = null;
        if (at(i)?.text === ":") {
          const end = scanTo(i + 1, (x) => x.text === "=" || x.text === "," || x.text === ";", true);
          const first = at(i + 1);
          const stop = at(end);
          type = source.slice(first?.start ?? 0, stop?.start ?? source.length).trim() || null;
          i = end;
        }
        let literal: DeclaredParameter["literal"] = null;
        if (at(i)?.text === "=") {
          const end = scanTo(i + 1, (x) => x.text === "," || x.text === ";", false);
          literal = literalKind(tokens.slice(i + 1, end));
          i = end;
        }
        declared.push({ name: name.text, type, literal });
        if (at(i)?.text !== ",") break;
        i++;
      }
      statementStart = false;
      continue;
    }
    if (t.kind === "punct") {
      if (OPENERS.has(t.text)) depth++;
      else if (CLOSERS.has(t.text)) depth = Math.max(0, depth - 1);
    }
    statementStart = depth === 0 && (t.kind === "newline" || t.text === ";" || t.text === "}");
    i++;
  }
  return declared;
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
export function injectParameters(notebook: Notebook, parameters: readonly Parameter[], notebookName = "the notebook"): Notebook {
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
