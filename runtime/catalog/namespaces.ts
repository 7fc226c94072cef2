/**
 * Dataset names are namespaced by pipeline, as Kedro's modular pipelines: pipeline `capture`'s dataset
 * `model` is the catalog entry `capture.model`, else an un-namespaced `model` shared on purpose (by
 * every pipeline, or by those its `pipelines` lists), else in memory.
 */

/** The pipelines an entry's `pipelines` key shares it with, or undefined when it has none. */
function sharedWith(entry: unknown): unknown[] | undefined {
  const pipelines =
    typeof entry === "object" && entry !== null ? (entry as Record<string, unknown>)["pipelines"] : undefined;
  return Array.isArray(pipelines) ? pipelines : undefined;
}

/** The name of the entry `pipeline`'s dataset `name` stands for, or undefined when the catalog lists none (memory). */
export function entryNameFor(
  entries: ReadonlyMap<string, unknown>,
  name: string,
  pipeline: string | undefined,
): string | undefined {
  if (pipeline !== undefined && entries.has(`${pipeline}.${name}`)) return `${pipeline}.${name}`;
  if (!entries.has(name)) return undefined;
  const pipelines = sharedWith(entries.get(name));
  return pipeline === undefined || pipelines === undefined || pipelines.includes(pipeline) ? name : undefined;
}

/** The catalog entries a pipeline can name, keyed by the names it uses (`model` for `capture.model`). */
export function pipelineEntries(entries: Readonly<Record<string, unknown>>, pipeline: string): Record<string, unknown> {
  const all = new Map(Object.entries(entries));
  const seen: Record<string, unknown> = {};
  for (const name of all.keys()) {
    const local = name.startsWith(`${pipeline}.`) ? name.slice(pipeline.length + 1) : name;
    const resolved = entryNameFor(all, local, pipeline);
    if (resolved === name) seen[local] = all.get(name);
  }
  return seen;
}
