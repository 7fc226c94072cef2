// Parses one cell's directives, from its tags and the `//| ` comment lines at its top; both forms mean the same.
import { cellRef, type CellRef } from "./cell-label.ts";
import { didYouMean } from "./did-you-mean.ts";
import { DirectiveError, type DirectiveLocation } from "./errors.ts";
import { NODE_NAME } from "./names.ts";
import type { NotebookCell } from "./notebook.ts";

/** Every directive keyword, as DESIGN.md lists them. */
export const DIRECTIVE_KINDS = ["parameters", "load", "node", "save", "metrics", "export", "predict", "skip"] as const;

/** A directive keyword. */
export type DirectiveKind = (typeof DIRECTIVE_KINDS)[number];

/** Where a directive is written: a cell tag, or a `//| ` comment on a 1-based line of the cell. */
export type DirectiveSource = { form: "tag"; tag: string } | { form: "comment"; line: number; text: string };

/** One directive of a cell, with its argument parsed. */
export type CellDirective =
  | { kind: "parameters" | "load" | "export" | "predict" | "skip"; source: DirectiveSource }
  | { kind: "metrics"; names?: readonly string[]; source: DirectiveSource }
  | { kind: "node"; name?: string; source: DirectiveSource }
  | { kind: "save"; variables: readonly string[]; source: DirectiveSource };

/** What extraction does with a cell; untagged and `skip` cells are exploration. */
export const CELL_ROLES = ["parameters", "load", "node", "export", "predict", "exploration"] as const;

/** One of CELL_ROLES. */
export type CellRole = (typeof CELL_ROLES)[number];

/** The directives of one cell and what they add up to. */
export interface CellDirectives {
  cell: number;
  role: CellRole;
  /** The name written as `node: NAME`, if any (the notebook-level pass fills in heading slugs). */
  nodeName?: string;
  /** Variables to persist through the catalog (`save: VAR…`), in order, without duplicates. */
  save: readonly string[];
  /** Whether the cell logs run metrics: its numeric top-level variables, or those `metricNames` lists. */
  metrics: boolean;
  /** The metrics named by `metrics: f1, auc`, in order; undefined when the directive lists none. */
  metricNames?: readonly string[];
  /** Whether the cell is tagged `skip` (exploration on purpose). */
  skip: boolean;
  directives: readonly CellDirective[];
  /** 1-based lines holding `//| ` directives (they are comments to TypeScript; generated code leaves them out). */
  directiveLines: readonly number[];
  errors: readonly DirectiveError[];
}

const ROLE_OF: Partial<Record<DirectiveKind, CellRole>> = {
  parameters: "parameters",
  load: "load",
  node: "node",
  export: "export",
  predict: "predict",
};

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const COMMENT_DIRECTIVE = /^\s*\/\/\|(.*)$/;

function locate(cell: CellRef, source: DirectiveSource): DirectiveLocation {
  return source.form === "tag" ? { ...cell, tag: source.tag } : { ...cell, line: source.line };
}

function spell(source: DirectiveSource): string {
  return source.form === "tag" ? `tag \`${source.tag}\`` : `\`${source.text.trim()}\``;
}

/** Parses "keyword", "keyword: argument" or "keyword argument" into a directive, or an error. */
function parseDirective(text: string, source: DirectiveSource, cell: CellRef): CellDirective | DirectiveError {
  const match = /^\s*([A-Za-z][\w-]*)\s*(?::\s*|\s+|$)(.*?)\s*$/.exec(text);
  const keyword = match?.[1] ?? text.trim();
  const argument = match?.[2] ?? "";
  const location = locate(cell, source);
  const kind = DIRECTIVE_KINDS.find((k) => k === keyword);
  if (match === null || kind === undefined) {
    const guess = didYouMean(keyword, DIRECTIVE_KINDS);
    const hint =
      guess !== undefined
        ? `did you mean \`${guess}\`?`
        : `the directives are ${DIRECTIVE_KINDS.map((k) => `\`${k}\``).join(", ")}.`;
    return new DirectiveError("unknown-directive", location, `unknown directive ${spell(source)}: ${hint}`);
  }
  if (kind === "node") {
    if (argument === "") return { kind, source };
    if (!NODE_NAME.test(argument)) {
      return new DirectiveError(
        "invalid-argument",
        location,
        `node name \`${argument}\` is not valid: use letters, digits, \`-\` and \`_\`, starting with a letter (e.g. \`node: clean-data\`).`,
      );
    }
    return { kind, name: argument, source };
  }
  if (kind === "save") {
    const variables = argument.split(/[\s,]+/).filter((name) => name !== "");
    const invalid = variables.find((name) => !IDENTIFIER.test(name));
    if (variables.length === 0 || invalid !== undefined) {
      const what = invalid === undefined ? "names no variable" : `names \`${invalid}\`, which is not a variable name`;
      return new DirectiveError(
        "invalid-argument",
        location,
        `\`save\` ${what}: list the variables to persist, e.g. \`save: model, typeNames\`.`,
      );
    }
    return { kind, variables, source };
  }
  if (kind === "metrics" && argument !== "") {
    const names = argument.split(/[\s,]+/).filter((name) => name !== "");
    const invalid = names.find((name) => !IDENTIFIER.test(name));
    if (invalid !== undefined) {
      return new DirectiveError(
        "invalid-argument",
        location,
        `\`metrics\` names \`${invalid}\`, which is not a variable name: list the variables to log, e.g. \`metrics: f1, auc\`.`,
      );
    }
    return { kind, names, source };
  }
  if (argument !== "") {
    return new DirectiveError(
      "invalid-argument",
      location,
      `\`${kind}\` takes no argument, but ${spell(source)} gives \`${argument}\`: write just \`${kind}\`.`,
    );
  }
  return { kind, source };
}

/** Whether a tag is meant for cellforge: a directive keyword or a near miss of one; other tags belong to other tools (Jupyter Book, papermill). */
function isDirectiveTag(tag: string): boolean {
  const keyword = /^\s*([A-Za-z][\w-]*)/.exec(tag)?.[1] ?? tag;
  return (
    DIRECTIVE_KINDS.some((kind) => kind === keyword) ||
    didYouMean(keyword, DIRECTIVE_KINDS) !== undefined ||
    /^\s*[A-Za-z][\w-]*\s*:/.test(tag)
  );
}

/** Reads the directives written in a cell, both forms, in order: tags first, then comment lines. */
function collect(cell: NotebookCell): {
  directives: CellDirective[];
  directiveLines: number[];
  errors: DirectiveError[];
} {
  const directives: CellDirective[] = [];
  const directiveLines: number[] = [];
  const errors: DirectiveError[] = [];
  const add = (result: CellDirective | DirectiveError): void => {
    if (result instanceof DirectiveError) errors.push(result);
    else directives.push(result);
  };
  for (const tag of cell.tags) {
    if (!isDirectiveTag(tag)) continue;
    const source: DirectiveSource = { form: "tag", tag };
    if (cell.type !== "code") {
      errors.push(
        new DirectiveError(
          "misplaced-directive",
          locate(cellRef(cell), source),
          `tag \`${tag}\` is on a ${cell.type} cell: directives apply to code cells; move the tag to the code cell it describes.`,
        ),
      );
      continue;
    }
    add(parseDirective(tag, source, cellRef(cell)));
  }
  if (cell.type !== "code") return { directives, directiveLines, errors };
  let atTop = true;
  cell.source.split(/\r?\n/).forEach((text, index) => {
    const line = index + 1;
    const match = COMMENT_DIRECTIVE.exec(text);
    if (match === null) {
      if (text.trim() !== "") atTop = false;
      return;
    }
    const source: DirectiveSource = { form: "comment", line, text };
    directiveLines.push(line);
    if (!atTop) {
      errors.push(
        new DirectiveError(
          "misplaced-directive",
          locate(cellRef(cell), source),
          `\`${text.trim()}\` comes after code: directive comments must be the first lines of the cell; move it to the top.`,
        ),
      );
      return;
    }
    add(parseDirective(match[1] ?? "", source, cellRef(cell)));
  });
  return { directives, directiveLines, errors };
}

/** Parses a cell's directives (tags and top `//| ` lines) and resolves its role; problems are returned in `errors`, not thrown. */
export function cellDirectives(cell: NotebookCell): CellDirectives {
  const { directives, directiveLines, errors } = collect(cell);
  const roles = new Map<CellRole, CellDirective>();
  let nodeName: { name: string; directive: CellDirective } | undefined;
  const save: string[] = [];
  let metrics = false;
  const metricNames: string[] = [];
  let listed = false;
  let skip: CellDirective | undefined;
  for (const directive of directives) {
    const role = ROLE_OF[directive.kind];
    if (role !== undefined && !roles.has(role)) roles.set(role, directive);
    if (directive.kind === "skip") skip = directive;
    if (directive.kind === "metrics") {
      metrics = true;
      if (directive.names !== undefined) listed = true;
      metricNames.push(...(directive.names ?? []).filter((name) => !metricNames.includes(name)));
    }
    if (directive.kind === "save") save.push(...directive.variables.filter((name) => !save.includes(name)));
    if (directive.kind === "node" && directive.name !== undefined) {
      if (nodeName !== undefined && nodeName.name !== directive.name) {
        errors.push(
          new DirectiveError(
            "conflicting-directives",
            locate(cellRef(cell), directive.source),
            `${spell(directive.source)} names the node \`${directive.name}\`, but ${spell(nodeName.directive.source)} already names it \`${nodeName.name}\`: keep one name.`,
          ),
        );
      } else {
        nodeName = { name: directive.name, directive };
      }
    }
  }
  const here = (directive: CellDirective | undefined): DirectiveLocation =>
    directive === undefined ? cellRef(cell) : locate(cellRef(cell), directive.source);
  let role: CellRole = roles.keys().next().value ?? "exploration";
  if (skip !== undefined && directives.some((d) => d.kind !== "skip")) {
    const other = directives.find((d) => d.kind !== "skip");
    errors.push(
      new DirectiveError(
        "conflicting-directives",
        here(skip),
        `\`skip\` keeps the cell out of extraction, but it also has ${other === undefined ? "other directives" : spell(other.source)}: remove \`skip\` or the other directives.`,
      ),
    );
    role = "exploration";
  } else if (roles.size > 1) {
    const [a, b] = [...roles.values()];
    role = "exploration"; // undecided: extracting it either way would only add errors that follow from this one
    errors.push(
      new DirectiveError(
        "conflicting-directives",
        here(b),
        `the cell is both \`${a?.kind}\` and \`${b?.kind}\`, but a cell has one role: split it into two cells.`,
      ),
    );
  } else if (skip === undefined && roles.size === 0 && (metrics || save.length > 0)) {
    role = "node"; // `save` and `metrics` describe a node's outputs, so they make the cell a node by themselves.
  } else if (role !== "node" && role !== "exploration") {
    const modifier = directives.find((d) => d.kind === "save" || d.kind === "metrics");
    if (modifier !== undefined) {
      errors.push(
        new DirectiveError(
          "conflicting-directives",
          here(modifier),
          `\`${modifier.kind}\` applies to node cells, but this cell is \`${role}\`: move the ${modifier.kind === "save" ? "variables to save" : "metrics"} into a node cell.`,
        ),
      );
    }
  }
  const base: CellDirectives = {
    cell: cell.number,
    role,
    save,
    metrics,
    skip: skip !== undefined,
    directives,
    directiveLines,
    errors,
  };
  const result: CellDirectives = listed ? { ...base, metricNames } : base;
  return nodeName === undefined ? result : { ...result, nodeName: nodeName.name };
}
