/**
 * Reads a run filter in MLflow's search syntax into a tree: a tokenizer (quoted values, backticked
 * names, case-insensitive keywords) and a recursive-descent parser (OR of ANDs of comparisons or
 * parenthesised filters). Errors name the column and show it with a caret.
 */
import { didYouMeanHint } from "@cellforge/contract";

/** A filter expression that does not parse. */
export class RunFilterError extends Error {
  readonly code = "RUN_FILTER";
  constructor(filter: string, reason: string, column?: number) {
    const example =
      "Write clauses like `metrics.accuracy > 0.3 and (params.epochs = 50 or tags.team = 'dex') and status = FINISHED`.";
    super(
      column === undefined
        ? `Cannot read the filter \`${filter}\`: ${reason}. ${example}`
        : `Cannot read the filter \`${filter}\` at column ${column}: ${reason}.\n  ${filter}\n  ${" ".repeat(Math.max(0, column - 1))}^\n${example}`,
    );
    this.name = "RunFilterError";
  }
}

/** A comparison of a run filter. */
export type RunFilterOperator = "=" | "!=" | "<" | "<=" | ">" | ">=" | "LIKE" | "ILIKE" | "IN" | "NOT IN";

/** What a comparison names: a metric, a parameter (dotted path into nested ones), a tag, or a run attribute. */
export type RunFilterScope = "metrics" | "params" | "tags" | "attributes";

/** The run attributes a filter can compare (MLflow's names, plus the pipeline and experiment). */
export const RUN_ATTRIBUTES = ["status", "run_id", "start_time", "end_time", "pipeline", "experiment"] as const;

/** A value of a comparison: a number unless quoted or not numeric. */
export type RunFilterValue = string | number;

/** One `FIELD OP VALUE` comparison; IN and NOT IN hold a list, LIKE and ILIKE a text pattern. */
export interface RunFilterComparison {
  kind: "comparison";
  scope: RunFilterScope;
  key: string;
  /** The field as written, for messages (`metrics.accuracy`). */
  field: string;
  operator: RunFilterOperator;
  value: RunFilterValue | readonly RunFilterValue[];
}

/** A parsed filter: a comparison, or all (and) / any (or) of its items. An empty filter is an `and` of nothing. */
export type RunFilter =
  RunFilterComparison | { kind: "and"; items: readonly RunFilter[] } | { kind: "or"; items: readonly RunFilter[] };

type TokenKind = "word" | "string" | "field" | "op" | "(" | ")" | "," | "end";
interface Token {
  kind: TokenKind;
  text: string;
  /** 1-based column where it starts. */
  column: number;
  /** For a backticked field: its scope word and name. */
  scope?: string;
}

const OPERATORS = ["==", "!=", "<>", "<=", ">=", "=", "<", ">"];

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const quoted = (start: number): { text: string; end: number } => {
    const quote = filter[start]!;
    let text = "";
    let j = start + 1;
    for (;;) {
      if (j >= filter.length)
        throw new RunFilterError(filter, `the quote ${quote} is never closed: end the value with ${quote}`, start + 1);
      const char = filter[j]!;
      if (char === "\\" && j + 1 < filter.length) {
        text += filter[j + 1];
        j += 2;
      } else if (char === quote && filter[j + 1] === quote) {
        text += quote;
        j += 2;
      } else if (char === quote) return { text, end: j + 1 };
      else {
        text += char;
        j++;
      }
    }
  };
  while (i < filter.length) {
    const char = filter[i]!;
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    const column = i + 1;
    if (char === "(" || char === ")" || char === ",") {
      tokens.push({ kind: char, text: char, column });
      i++;
      continue;
    }
    const op = OPERATORS.find((o) => filter.startsWith(o, i));
    if (op !== undefined) {
      tokens.push({ kind: "op", text: op === "==" ? "=" : op === "<>" ? "!=" : op, column });
      i += op.length;
      continue;
    }
    if (char === "'" || char === '"') {
      const { text, end } = quoted(i);
      tokens.push({ kind: "string", text, column });
      i = end;
      continue;
    }
    if (char === "`") {
      const { text, end } = quoted(i);
      tokens.push({ kind: "field", text, column, scope: "" });
      i = end;
      continue;
    }
    const word = /^[^\s()=!<>,'"`]+/.exec(filter.slice(i))?.[0];
    if (word === undefined) throw new RunFilterError(filter, `\`${char}\` is not expected here`, column);
    i += word.length;
    if (word.endsWith(".") && filter[i] === "`") {
      // metrics.`my metric`: a scope, then a backticked name that may hold spaces, dots, operators.
      const { text, end } = quoted(i);
      tokens.push({ kind: "field", text, column, scope: word.slice(0, -1) });
      i = end;
      continue;
    }
    tokens.push({ kind: "word", text: word, column });
  }
  tokens.push({ kind: "end", text: "", column: filter.length + 1 });
  return tokens;
}

const SCOPES: Readonly<Record<string, RunFilterScope>> = {
  metrics: "metrics",
  metric: "metrics",
  params: "params",
  param: "params",
  parameters: "params",
  tags: "tags",
  tag: "tags",
  attributes: "attributes",
  attribute: "attributes",
  attr: "attributes",
  run: "attributes",
};

const ATTRIBUTE_ALIASES: Readonly<Record<string, (typeof RUN_ATTRIBUTES)[number]>> = {
  id: "run_id",
  run_id: "run_id",
  status: "status",
  start_time: "start_time",
  end_time: "end_time",
  pipeline: "pipeline",
  experiment: "experiment",
};

const KEYWORDS = new Set(["and", "or", "not", "in", "like", "ilike"]);
const isKeyword = (token: Token, keyword: string): boolean =>
  token.kind === "word" && token.text.toLowerCase() === keyword;

/** The recursive-descent parser over the tokens of one filter. */
class Parser {
  private position = 0;
  constructor(
    private readonly filter: string,
    private readonly tokens: Token[],
  ) {}

  private peek(): Token {
    return this.tokens[this.position]!;
  }

  private fail(reason: string, token: Token = this.peek()): never {
    throw new RunFilterError(this.filter, reason, token.column);
  }

  private describe(token: Token): string {
    return token.kind === "end" ? "the end of the filter" : `\`${token.text}\``;
  }

  parse(): RunFilter {
    if (this.peek().kind === "end") return { kind: "and", items: [] };
    const filter = this.parseOr();
    if (this.peek().kind !== "end")
      this.fail(
        `expected AND, OR or the end of the filter, not ${this.describe(this.peek())} (quote values that hold spaces)`,
      );
    return filter;
  }

  private parseOr(): RunFilter {
    const items = [this.parseAnd()];
    while (isKeyword(this.peek(), "or")) {
      this.position++;
      items.push(this.parseAnd());
    }
    return items.length === 1 ? items[0]! : { kind: "or", items };
  }

  private parseAnd(): RunFilter {
    const items = [this.parsePrimary()];
    while (isKeyword(this.peek(), "and")) {
      this.position++;
      items.push(this.parsePrimary());
    }
    return items.length === 1 ? items[0]! : { kind: "and", items };
  }

  private parsePrimary(): RunFilter {
    if (this.peek().kind === "(") {
      this.position++;
      const inner = this.parseOr();
      if (this.peek().kind !== ")") this.fail(`expected \`)\` to close the \`(\`, not ${this.describe(this.peek())}`);
      this.position++;
      return inner;
    }
    return this.parseComparison();
  }

  private parseField(): { scope: RunFilterScope; key: string; field: string } {
    const token = this.peek();
    if (token.kind === "field") {
      this.position++;
      if (token.scope === "") return this.fieldOf(`${token.text}`, token);
      const scope = SCOPES[token.scope!.toLowerCase()];
      if (scope === undefined) this.fail(`\`${token.scope}\` is not metrics, params, tags or attributes`, token);
      return this.checked(scope, token.text, `${token.scope}.\`${token.text}\``, token);
    }
    if (token.kind !== "word" || KEYWORDS.has(token.text.toLowerCase()))
      this.fail(`expected a field (metrics.NAME, params.NAME, tags.NAME or status…), not ${this.describe(token)}`);
    this.position++;
    return this.fieldOf(token.text, token);
  }

  private fieldOf(text: string, token: Token): { scope: RunFilterScope; key: string; field: string } {
    const dot = text.indexOf(".");
    const scope = dot < 0 ? undefined : SCOPES[text.slice(0, dot).toLowerCase()];
    if (scope !== undefined) return this.checked(scope, text.slice(dot + 1), text, token);
    if (ATTRIBUTE_ALIASES[text.toLowerCase()] !== undefined) return this.checked("attributes", text, text, token);
    this.fail(
      `\`${text}\` is not a field${didYouMeanHint(text, [...RUN_ATTRIBUTES])}: write metrics.${text}, params.${text}, tags.${text} or an attribute (${RUN_ATTRIBUTES.join(", ")})`,
      token,
    );
  }

  private checked(
    scope: RunFilterScope,
    key: string,
    field: string,
    token: Token,
  ): { scope: RunFilterScope; key: string; field: string } {
    if (key === "")
      this.fail(`\`${field}\` names no ${scope === "attributes" ? "attribute" : scope.slice(0, -1)}`, token);
    if (scope !== "attributes") return { scope, key, field };
    const attribute = ATTRIBUTE_ALIASES[key.toLowerCase()];
    if (attribute === undefined)
      this.fail(
        `\`${key}\` is not a run attribute${didYouMeanHint(key, [...RUN_ATTRIBUTES])}; attributes: ${RUN_ATTRIBUTES.join(", ")}`,
        token,
      );
    return { scope, key: attribute, field };
  }

  private parseOperator(): RunFilterOperator {
    const token = this.peek();
    if (token.kind === "op") {
      this.position++;
      return token.text as RunFilterOperator;
    }
    for (const keyword of ["like", "ilike", "in"] as const)
      if (isKeyword(token, keyword)) {
        this.position++;
        return keyword.toUpperCase() as RunFilterOperator;
      }
    if (isKeyword(token, "not") && isKeyword(this.tokens[this.position + 1]!, "in")) {
      this.position += 2;
      return "NOT IN";
    }
    this.fail(
      `expected an operator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN), not ${this.describe(token)} (quote values that hold spaces)`,
    );
  }

  private parseValue(): { value: RunFilterValue; raw: string } {
    const token = this.peek();
    if (token.kind === "string") {
      this.position++;
      return { value: token.text, raw: token.text };
    }
    if (token.kind === "word" && !KEYWORDS.has(token.text.toLowerCase())) {
      this.position++;
      const number = Number(token.text);
      return { value: Number.isFinite(number) ? number : token.text, raw: token.text };
    }
    this.fail(`expected a value (a number or a quoted text), not ${this.describe(token)}`);
  }

  private parseComparison(): RunFilterComparison {
    const { scope, key, field } = this.parseField();
    const operatorToken = this.peek();
    const operator = this.parseOperator();
    if (operator === "IN" || operator === "NOT IN") {
      if (this.peek().kind !== "(") this.fail(`expected \`(\` and a list of values after ${operator}`);
      this.position++;
      const values = [this.parseValue().value];
      while (this.peek().kind === ",") {
        this.position++;
        values.push(this.parseValue().value);
      }
      if (this.peek().kind !== ")")
        this.fail(`expected \`,\` or \`)\` in the list of values, not ${this.describe(this.peek())}`);
      this.position++;
      return { kind: "comparison", scope, key, field, operator, value: values };
    }
    if ((operator === "LIKE" || operator === "ILIKE") && scope === "metrics")
      this.fail(`metrics compare with numbers: ${operator} applies to params, tags and attributes`, operatorToken);
    const { value, raw } = this.parseValue();
    return {
      kind: "comparison",
      scope,
      key,
      field,
      operator,
      value: operator === "LIKE" || operator === "ILIKE" ? raw : value,
    };
  }
}

/** Parses `filter` into its tree; throws RunFilterError naming the column it cannot read. */
export function readRunFilter(filter: string): RunFilter {
  return new Parser(filter, tokenize(filter)).parse();
}

/** Every comparison of `filter`, in the order written. */
export function filterComparisons(filter: RunFilter): RunFilterComparison[] {
  return filter.kind === "comparison" ? [filter] : filter.items.flatMap(filterComparisons);
}
