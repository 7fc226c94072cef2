/**
 * HTML templates with escaping by default: `html` escapes every interpolated value unless it is
 * already `Html` (another template's output), so a run name or parameter never becomes markup.
 */

/** Markup that is safe to insert as is. */
export class Html {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function render(value: unknown): string {
  if (value instanceof Html) return value.text;
  if (value === undefined || value === null || value === false) return "";
  if (Array.isArray(value)) return value.map(render).join("");
  if (typeof value === "string") return escapeHtml(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return escapeHtml(JSON.stringify(value) ?? "");
}

/** Tagged template: `html`<td>${name}</td>`` escapes `name`; arrays are joined; null, undefined and false render nothing. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let text = strings[0] ?? "";
  values.forEach((value, i) => {
    text += render(value) + (strings[i + 1] ?? "");
  });
  return new Html(text);
}

/** Trusted markup (e.g. SVG built from escaped parts), inserted without escaping. */
export function trusted(text: string): Html {
  return new Html(text);
}

/**
 * Data for the page's script, as `<script type="application/json">`: `<` is written as `\u003c`,
 * so no value can close the script element.
 */
export function jsonScript(id: string, value: unknown): Html {
  const json = JSON.stringify(value ?? null)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
  return html`<script type="application/json" id="${id}">${trusted(json)}</script>`;
}

/** `class="…"` from the names whose condition holds. */
export function classes(names: Record<string, boolean>): string {
  return Object.entries(names)
    .filter(([, on]) => on)
    .map(([name]) => name)
    .join(" ");
}
