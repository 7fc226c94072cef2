// Node names: the slug of a heading, validation, and the camelCase function name generated for a node.

/**
 * A node name: a letter, then letters, digits, `-` or `_`, in any script ("clean-data", "подготовка-данных", "训练"):
 * its camelCase is the generated function's name, so letters and decimal digits only (`x²` is no identifier).
 */
export const NODE_NAME = /^\p{L}[\p{L}\p{Nd}_-]*$/u;

/**
 * Turns a markdown heading into a node name: "## Clean the Pokémon data" → "clean-the-pokemon-data",
 * "## Подготовка данных" → "подготовка-данных"; Latin accents are dropped, other scripts kept; undefined when
 * nothing usable is left.
 */
export function slugify(heading: string): string | undefined {
  const slug = heading
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .normalize("NFC")
    .toLowerCase()
    .replace(/[^\p{L}\p{Nd}]+/gu, "-")
    .replace(/^[-\p{Nd}]+|-+$/gu, "");
  return slug === "" ? undefined : slug;
}

/** The function name generated for a node: "clean-data" and "clean_data" → "cleanData". */
export function camelCase(name: string): string {
  const [first = "", ...rest] = name.split(/[-_]+/).filter((part) => part !== "");
  return (
    first.charAt(0).toLowerCase() +
    first.slice(1) +
    rest.map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join("")
  );
}

/** The text of the last markdown heading (`#`…`######`) in `markdown`, without the hashes. */
export function lastHeading(markdown: string): string | undefined {
  let heading: string | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    const match = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (match?.[1] !== undefined && match[1] !== "") heading = match[1];
  }
  return heading;
}
