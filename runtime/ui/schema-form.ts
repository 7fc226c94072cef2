/**
 * A form generated from a request JSON schema (the notebook's predict parameter type): one labelled
 * field per property, typed by the schema; the page script turns the fields back into the JSON
 * record by each field's `data-kind`.
 */
import { isSchema, schemaTypes } from "../config/json-schema.ts";
import type { JsonSchema } from "../pipeline/definition.ts";
import { html, type Html } from "./html.ts";

/** How a field's text becomes JSON. */
export type FieldKind = "number" | "integer" | "boolean" | "string" | "list" | "number-list" | "json";

/** One field of the form. */
export interface FormField {
  name: string;
  kind: FieldKind;
  required: boolean;
  nullable: boolean;
  description: string | undefined;
  options: string[] | undefined;
}

function kindOf(schema: JsonSchema): FieldKind {
  const types = schemaTypes(schema).filter((t) => t !== "null");
  if (types.length !== 1) return "json";
  const [type] = types;
  if (type === "number" || type === "integer" || type === "boolean" || type === "string") return type;
  if (type === "array") {
    const items = isSchema(schema["items"]) ? schema["items"] : {};
    const itemTypes = schemaTypes(items);
    if (itemTypes.length === 1 && itemTypes[0] === "string") return "list";
    if (itemTypes.length === 1 && (itemTypes[0] === "number" || itemTypes[0] === "integer")) return "number-list";
  }
  return "json";
}

/** The fields of an object schema, in its property order. */
export function formFields(schema: JsonSchema): FormField[] {
  const properties = (schema["properties"] ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(schema["required"]) ? (schema["required"] as string[]) : []);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    kind: kindOf(property),
    required: required.has(name),
    nullable: schemaTypes(property).includes("null"),
    description: typeof property["description"] === "string" ? property["description"] : undefined,
    options: Array.isArray(property["enum"]) ? (property["enum"] as unknown[]).map(String) : undefined,
  }));
}

function scalarText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function textOf(value: unknown, kind: FieldKind): string {
  if (kind === "list" || kind === "number-list")
    return Array.isArray(value) ? value.map(scalarText).join(", ") : scalarText(value);
  if (kind === "json") return value === undefined || value === null ? "" : JSON.stringify(value);
  return scalarText(value);
}

function field(f: FormField, value: unknown): Html {
  const id = `field-${f.name}`;
  const hintId = `${id}-hint`;
  const hints = [
    f.description,
    f.kind === "list" || f.kind === "number-list" ? "Comma-separated." : undefined,
    f.nullable ? "Leave empty for null." : undefined,
    f.required ? undefined : "Optional.",
  ].filter((h): h is string => h !== undefined);
  const data = html` name="${f.name}" id="${id}" data-kind="${f.kind}" data-nullable="${String(f.nullable)}" data-required="${String(f.required)}"${hints.length > 0 ? html` aria-describedby="${hintId}"` : ""}`;
  const requiredAttr = f.required && !f.nullable ? html` required` : "";
  let control: Html;
  if (f.kind === "boolean") {
    control = html`<input type="checkbox"${data}${value === true ? html` checked` : ""}>`;
  } else if (f.options !== undefined) {
    control = html`<select${data}${requiredAttr}>${f.required ? "" : html`<option value=""></option>`}${f.options.map((o) => html`<option${scalarText(value) === o ? html` selected` : ""}>${o}</option>`)}</select>`;
  } else if (f.kind === "number" || f.kind === "integer") {
    control = html`<input type="number" step="${f.kind === "integer" ? "1" : "any"}" inputmode="decimal"${data}${requiredAttr} value="${textOf(value, f.kind)}">`;
  } else if (f.kind === "json") {
    control = html`<textarea rows="2"${data}${requiredAttr}>${textOf(value, f.kind)}</textarea>`;
  } else {
    control = html`<input type="text" autocomplete="off"${data}${requiredAttr} value="${textOf(value, f.kind)}">`;
  }
  return html`<div class="field${f.kind === "list" || f.kind === "json" ? " wide" : ""}">
<label for="${id}">${f.name}${f.required ? "" : html` <span class="muted">(optional)</span>`}</label>
${control}
${hints.length > 0 ? html`<p class="hint" id="${hintId}">${hints.join(" ")}</p>` : ""}
</div>`;
}

/** The fields of `schema`, filled from `values`. */
export function schemaFormFields(schema: JsonSchema, values: Readonly<Record<string, unknown>>): Html {
  return html`${formFields(schema).map((f) => field(f, values[f.name]))}`;
}
