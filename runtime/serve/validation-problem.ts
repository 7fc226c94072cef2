/**
 * Turns Fastify's Ajv validation errors into one InvalidRequestError that names the field, in the
 * user's words: "instances[2]: field `x1` must be a number, not the string \"abc\"".
 */
import { InvalidRequestError } from "./errors.ts";

/** What Fastify attaches to a validation error (a subset of Ajv's ErrorObject). */
export interface AjvIssue {
  keyword: string;
  instancePath: string;
  schemaPath?: string;
  params: Record<string, unknown>;
  message?: string;
}

/** How the rows of a batch are called in messages: `instances[2]` for /predict, `row 2` for /invocations. */
export type RowNaming = "instances" | "row";

function segments(pointer: string): string[] {
  return pointer === ""
    ? []
    : pointer
        .slice(1)
        .split("/")
        .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function valueAt(body: unknown, pointer: string): unknown {
  let node = body;
  for (const part of segments(pointer)) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string")
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === "object") return "an object";
  return typeof value === "number" || typeof value === "boolean" ? `${typeof value} ${String(value)}` : typeof value;
}

/** `stats.hp`, `abilities[1]`. */
function fieldName(parts: readonly string[]): string {
  return parts.map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : i === 0 ? part : `.${part}`)).join("");
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** The first (most relevant) issue as an InvalidRequestError, reading offending values from `body`. */
export function validationProblem(
  issues: readonly AjvIssue[],
  body: unknown,
  naming: RowNaming,
  knownFields: readonly string[],
): InvalidRequestError {
  // With if/then/else the branch's own error comes first; the trailing `if` error says nothing new.
  const issue = issues.find((i) => i.keyword !== "if") ?? issues[0];
  if (issue === undefined) return new InvalidRequestError("The request does not match the model's request schema.");
  const parts = segments(issue.instancePath);
  let prefix = "";
  let fieldParts = parts;
  if (parts[0] === "instances" && parts.length >= 2 && /^\d+$/.test(parts[1]!)) {
    prefix = naming === "row" ? `row ${parts[1]}: ` : `instances[${parts[1]}]: `;
    fieldParts = parts.slice(2);
  }
  const params = issue.params;
  let field = fieldName(fieldParts);
  let message: string;
  switch (issue.keyword) {
    case "required": {
      const missing = String(params["missingProperty"]);
      if (missing === "instances" && parts.length === 0) {
        return new InvalidRequestError(
          `The request body must be one record or {"instances": [...]}; it is missing \`instances\`.`,
          "instances",
          "/instances",
        );
      }
      field = field === "" ? missing : `${field}.${missing}`;
      message = `missing required field \`${field}\``;
      break;
    }
    case "additionalProperties": {
      const extra = String(params["additionalProperty"]);
      field = field === "" ? extra : `${field}.${extra}`;
      const batchRoot = parts.length === 0 && typeof body === "object" && body !== null && "instances" in body;
      const recordRoot = prefix !== "" ? fieldParts.length === 0 : parts.length === 0 && !batchRoot;
      const hint = batchRoot
        ? ' (a batch is {"instances": [...]} and nothing else)'
        : recordRoot && knownFields.length > 0
          ? ` (the model takes ${knownFields.join(", ")})`
          : "";
      message = `unknown field \`${field}\`${hint}`;
      return new InvalidRequestError(prefix + message, field, `${issue.instancePath}/${extra}`);
    }
    case "type": {
      const expected = String(params["type"]).split(",").join(" or ");
      const got = describeValue(valueAt(body, issue.instancePath));
      message =
        field === ""
          ? `the request body must be ${article(expected)}, not ${got}`
          : `field \`${field}\` must be ${article(expected)}, not ${got}`;
      break;
    }
    case "enum": {
      const allowed = Array.isArray(params["allowedValues"])
        ? (params["allowedValues"] as unknown[]).map((v) => JSON.stringify(v)).join(", ")
        : "";
      message = `field \`${field}\` must be one of ${allowed}, not ${describeValue(valueAt(body, issue.instancePath))}`;
      break;
    }
    case "const":
      message = `field \`${field}\` must be ${JSON.stringify(params["allowedValue"])}`;
      break;
    default:
      message =
        field === ""
          ? `the request ${issue.message ?? "is invalid"}`
          : `field \`${field}\` ${issue.message ?? "is invalid"}`;
  }
  const path =
    issue.keyword === "required" ? `${issue.instancePath}/${String(params["missingProperty"])}` : issue.instancePath;
  return new InvalidRequestError(prefix + message, field === "" ? undefined : field, path === "" ? undefined : path);
}

/** `issues` of a piece of a batch's rows that starts at row `first`: their paths shifted to rows of the whole batch. */
export function shiftedIssues(issues: readonly AjvIssue[], first: number): AjvIssue[] {
  return issues.map((issue) => ({
    ...issue,
    instancePath: issue.instancePath.replace(
      /^\/instances\/(\d+)/,
      (_, i: string) => `/instances/${first + Number(i)}`,
    ),
  }));
}
