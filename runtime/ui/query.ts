/** Reads the UI's query-string values, which Fastify gives as a string, an array of strings (a repeated key) or nothing. */

/** The value of a query parameter (the last one when repeated), "" when absent. */
export function queryText(value: unknown): string {
  if (Array.isArray(value)) return queryText(value.at(-1));
  return typeof value === "string" ? value : "";
}

/** Every value of a query parameter, repeated (`run=a&run=b`) or comma-separated (`run=a,b`). */
export function queryList(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(queryList);
  return typeof value === "string" && value !== "" ? value.split(",").filter((v) => v !== "") : [];
}
