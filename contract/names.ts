// Node names: the slug of a heading, validation, and the camelCase function name generated for a node.

/** A node name: a letter, then letters, digits, `-` or `_`. */
export const NODE_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** Turns a markdown heading into a node name: "## Clean the Pokémon data" → "clean-the-pokemon-data"; undefined when nothing usable is left. */
export function slugify(heading: string): string | undefined {
  const slug = heading
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^[-0-9]+|-+$/g, "");
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
