/** `cellforge models list|show|promote`: the model registry. */
import { describeSchemaType } from "../../config/json-schema.ts";
import type { JsonSchema } from "../../pipeline/definition.ts";
import { parseModelRef } from "../../registry/model-ref.ts";
import type { ModelVersion } from "../../registry/registry-store.ts";
import { commandWithActions, UsageError } from "../command.ts";
import { parseOptions, stringOption } from "../options.ts";
import { formatBytes, formatTime, formatValue, renderPairs, renderTable, truncate } from "../table.ts";
import { withProjectStore } from "../tracking-store.ts";

const usage = `Usage: cellforge models <list|show|promote> [options]

  cellforge models list
      registered models with their latest version and aliases
  cellforge models show NAME | NAME:VERSION | NAME@ALIAS
      a model's versions, or one version: run, metrics, artifacts with sha256, request/response schemas
  cellforge models promote NAME VERSION --alias ALIAS [--force]
      point ALIAS (e.g. champion) at VERSION; refused when VERSION's request schema breaks the
      alias's current clients (a field removed, retyped or newly required) unless --force

Options:
  --env ENV   configuration environment (for conf/ENV/tracking.yml)`;

function schemaFields(schema: JsonSchema): [string, string][] {
  const properties = (schema["properties"] ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(schema["required"]) ? (schema["required"] as string[]) : []);
  const fields = Object.entries(properties).map(([name, s]): [string, string] => [
    name,
    `${describeSchemaType(s, schema)}${required.has(name) ? "" : " (optional)"}`,
  ]);
  return fields.length > 0 ? fields : [["(value)", describeSchemaType(schema)]];
}

function describeVersion(v: ModelVersion): string {
  const out = [
    `Model ${v.name} version ${v.version}${v.aliases.length > 0 ? `  ${v.aliases.map((a) => `@${a}`).join(" ")}` : ""}`,
  ];
  out.push(
    renderPairs([
      ["registered", formatTime(v.createdAt)],
      ["run", v.runId ?? "—"],
      [
        "training data",
        v.trainingDataDigest === undefined
          ? "—"
          : `sha256 ${v.trainingDataDigest.slice(0, 16)}  (${v.inputs.map((i) => i.name).join(", ")})`,
      ],
      [
        "predict code",
        v.predictCodeHash === undefined
          ? "— (not recorded: registered before cellforge kept it)"
          : `sha256 ${v.predictCodeHash.slice(0, 16)}`,
      ],
    ]),
  );
  out.push(
    "",
    "Metrics",
    Object.keys(v.metrics).length === 0
      ? "  (none)"
      : renderPairs(Object.entries(v.metrics).map(([k, m]) => [k, formatValue(m)])),
  );
  if (v.predictParameters !== undefined)
    out.push(
      "",
      "Parameters predict reads (training run's values)",
      renderPairs(Object.entries(v.predictParameters).map(([k, value]) => [k, JSON.stringify(value)])),
    );
  out.push("", "Artifacts");
  const files = v.artifacts.flatMap((a) =>
    a.files.map((f) => [a.dataset, a.type, f.path, f.sha256.slice(0, 16), formatBytes(f.size)]),
  );
  out.push(renderTable(["dataset", "type", "path", "sha256", "size"], files).replace(/^/gm, "  "));
  out.push("", "Request (one record)", renderPairs(schemaFields(v.inputSchema)));
  out.push("", "Response (one record)", renderPairs(schemaFields(v.outputSchema)));
  return out.join("\n");
}

async function list(args: string[]): Promise<number> {
  const parsed = parseOptions(args, { env: { type: "string" } }, 0);
  const models = await withProjectStore(stringOption(parsed, "env"), (_, registry) => registry.listModels());
  if (models.length === 0) {
    console.log("No models registered yet: run a pipeline that has a predict cell (cellforge run).");
    return 0;
  }
  const rows = models.map((m) => [
    m.name,
    String(m.latestVersion),
    String(m.versions),
    Object.entries(m.aliases)
      .map(([alias, version]) => `@${alias}→${version}`)
      .join(" "),
    formatTime(m.updatedAt),
  ]);
  console.log(renderTable(["name", "latest", "versions", "aliases", "updated"], rows));
  return 0;
}

async function show(args: string[]): Promise<number> {
  const parsed = parseOptions(args, { env: { type: "string" } }, 1);
  const text = parsed.positionals[0];
  if (text === undefined) throw new UsageError("models show needs NAME, NAME:VERSION or NAME@ALIAS.");
  const ref = parseModelRef(text);
  const output = await withProjectStore(stringOption(parsed, "env"), async (_, registry) => {
    if (ref.kind !== "latest") return describeVersion(await registry.resolve(ref));
    const latest = await registry.resolve(ref);
    const versions = await registry.listVersions(ref.name);
    const rows = [...versions].reverse().map((v) => [
      String(v.version),
      v.aliases.map((a) => `@${a}`).join(" "),
      formatTime(v.createdAt),
      v.runId?.slice(0, 8) ?? "",
      truncate(
        Object.entries(v.metrics)
          .map(([k, m]) => `${k}=${formatValue(m)}`)
          .join(" "),
        60,
      ),
    ]);
    return `${renderTable(["version", "aliases", "registered", "run", "metrics"], rows)}\n\n${describeVersion(latest)}`;
  });
  console.log(output);
  return 0;
}

async function promote(args: string[]): Promise<number> {
  const parsed = parseOptions(
    args,
    { alias: { type: "string" }, force: { type: "boolean" }, env: { type: "string" } },
    2,
  );
  const [name, versionText] = parsed.positionals;
  const alias = stringOption(parsed, "alias");
  if (name === undefined || versionText === undefined || alias === undefined)
    throw new UsageError("models promote needs NAME VERSION --alias ALIAS.");
  const version = Number(versionText);
  if (!Number.isInteger(version) || version <= 0)
    throw new UsageError(`VERSION must be a version number such as 3, not \`${versionText}\`.`);
  if (!/^[\w.-]+$/.test(alias)) throw new UsageError(`an alias is letters, digits, ".", "_" or "-", not \`${alias}\`.`);
  const { previous, changes } = await withProjectStore(stringOption(parsed, "env"), (_, registry) =>
    registry.promote(name, version, alias, { force: parsed.values["force"] === true }),
  );
  const from = previous === undefined ? "" : previous === version ? " (unchanged)" : ` (was version ${previous})`;
  console.log(`${name}@${alias} → version ${version}${from}.`);
  if (changes.length > 0)
    console.log(`Forced despite breaking request-schema changes:\n${changes.map((c) => `  - ${c}`).join("\n")}`);
  return 0;
}

const models = commandWithActions({
  name: "models",
  summary: "list, show and promote registered model versions",
  usage,
  actions: { list, show, promote },
  defaultAction: "list",
});

export default models;
