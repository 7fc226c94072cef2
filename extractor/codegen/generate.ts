// Turns a pipeline model into the files of pipelines/<name>/ and the catalog entries, deterministically.
import { createHash } from "node:crypto";
import { ts } from "ts-morph";
import type { PipelineModel } from "../analysis/model.ts";
import { catalogEntries, type CatalogEntry } from "./catalog.ts";
import { formatModule } from "./format.ts";
import { formatHeader, type GeneratedHeader } from "./header.ts";
import { importsFor, usageOf, type LocalModule } from "./imports.ts";
import { nodesModuleBody } from "./nodes-module.ts";
import { parametersModuleBody } from "./parameters-module.ts";
import { pipelineModule } from "./pipeline-module.ts";
import { predictModuleBody } from "./predict-module.ts";
import { sharedModuleBody } from "./shared-module.ts";

/** One generated file, named relative to the output folder. */
export interface GeneratedFile {
  name: string;
  text: string;
}

/** Everything extraction produces for one notebook. */
export interface Generation {
  files: GeneratedFile[];
  catalog: CatalogEntry[];
}

/** What generated modules use of the runtime: schema types, and the helper that revives a saved class instance where it is read. */
const RUNTIME: LocalModule = {
  specifier: "@cellforge/runtime/pipeline",
  names: [
    { name: "JsonSchema", typeOnly: true },
    { name: "reviveInstance", typeOnly: false },
  ],
};

/**
 * sha256 of each node function's text in the formatted nodes.ts, by function name. The runner skips a node whose
 * hash did not change, so a node that calls into shared.ts also hashes shared.ts: editing an `export` cell reruns it.
 */
function functionHashes(
  text: string,
  shared: { names: ReadonlySet<string>; body: string } | undefined,
): Map<string, string> {
  const file = ts.createSourceFile("nodes.ts", text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const hashes = new Map<string, string>();
  for (const statement of file.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name !== undefined) {
      const source = statement.getText(file);
      const hash = createHash("sha256").update(source);
      if (shared !== undefined && [...usageOf(source).keys()].some((name) => shared.names.has(name)))
        hash.update("\0shared.ts\0").update(shared.body);
      hashes.set(statement.name.text, hash.digest("hex"));
    }
  }
  return hashes;
}

/**
 * sha256 of predict.ts's code (without the header, whose notebook hash changes with any cell) and, when it uses
 * shared.ts, of shared.ts's: the registry records it with each model version, so a version is served only with its code.
 */
function predictHash(
  text: string,
  head: string,
  shared: { names: ReadonlySet<string>; body: string } | undefined,
): string {
  const code = text.startsWith(head) ? text.slice(head.length) : text;
  const hash = createHash("sha256").update(code);
  if (shared !== undefined && [...usageOf(code).keys()].some((name) => shared.names.has(name)))
    hash.update("\0shared.ts\0").update(shared.body);
  return hash.digest("hex");
}

/** Generates the modules of `model` for the folder `outDir` (relative imports of the notebook are re-pointed from there). */
export function generateModules(model: PipelineModel, outDir: string, header: GeneratedHeader): Generation {
  const head = formatHeader(header);
  const module = (body: string, locals: readonly LocalModule[]): string => {
    const imports = importsFor(body, model.imports, locals, outDir);
    return formatModule(`${head}${imports === "" ? "" : `${imports}\n\n`}${body}\n`);
  };
  const shared: LocalModule | undefined =
    model.shared === undefined ? undefined : { specifier: "./shared.ts", names: model.shared.names };
  const nodeTypes: LocalModule = {
    specifier: "./nodes.ts",
    names: model.nodeTypes.map((t) => ({ name: t.name, typeOnly: true })),
  };
  const files: GeneratedFile[] = [];

  const sharedBody = sharedModuleBody(model);
  if (sharedBody !== undefined) files.push({ name: "shared.ts", text: module(sharedBody, []) });
  const nodes = module(nodesModuleBody(model), [...(shared === undefined ? [] : [shared]), RUNTIME]);
  files.push({ name: "nodes.ts", text: nodes });
  files.push({ name: "parameters.ts", text: module(parametersModuleBody(model), [RUNTIME]) });
  const sharedCode =
    sharedBody === undefined ? undefined : { names: new Set(model.shared?.names.map((n) => n.name)), body: sharedBody };
  const predictBody = predictModuleBody(model);
  let predictCodeHash: string | undefined;
  if (predictBody !== undefined) {
    const parameters: LocalModule[] =
      (model.predict?.parameters.length ?? 0) === 0
        ? []
        : [{ specifier: "./parameters.ts", names: [{ name: "Parameters", typeOnly: true }] }];
    const text = module(predictBody, [RUNTIME, ...(shared === undefined ? [] : [shared]), nodeTypes, ...parameters]);
    files.push({ name: "predict.ts", text });
    predictCodeHash = predictHash(text, head, sharedCode);
  }

  const byFunction = functionHashes(nodes, sharedCode);
  const codeHashes = new Map(model.nodes.map((node) => [node.name, byFunction.get(node.functionName) ?? ""]));
  files.push({
    name: "pipeline.ts",
    text: formatModule(`${head}${pipelineModule(model, codeHashes, predictCodeHash)}`),
  });
  files.sort((a, b) => a.name.localeCompare(b.name));
  return { files, catalog: catalogEntries(model.datasets, model.source, model.name) };
}
