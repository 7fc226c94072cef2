// eslint-plugin-cellforge: rules for TypeScript notebooks and cellforge pipeline modules, the `.ipynb` processor,
// and the recommended flat config.
import type { ESLint, Linter } from "eslint";
import { notebookProcessor } from "./processor/notebook-processor.ts";
import explicitBoundaryTypes from "./rules/explicit-boundary-types.ts";
import extractedUsesVars from "./rules/extracted-uses-vars.ts";
import maxCellLines from "./rules/max-cell-lines.ts";
import noCommittedOutputs from "./rules/no-committed-outputs.ts";
import noConsoleInNodes from "./rules/no-console-in-nodes.ts";
import noCrossCellMutation from "./rules/no-cross-cell-mutation.ts";
import noHardcodedPaths from "./rules/no-hardcoded-paths.ts";
import noHiddenState from "./rules/no-hidden-state.ts";
import noIoInNodes from "./rules/no-io-in-nodes.ts";
import noLabelLeakage from "./rules/no-label-leakage.ts";
import noUnseededRandom from "./rules/no-unseeded-random.ts";
import nodeInputsExtracted from "./rules/node-inputs-extracted.ts";
import typedDataframeColumns from "./rules/typed-dataframe-columns.ts";
import notebookStructure from "./rules/notebook-structure.ts";
import validDirectives from "./rules/valid-directives.ts";

/** Rules that only make sense on a notebook (they read the cells the processor describes). */
const notebookRules = {
  "valid-directives": validDirectives,
  "no-hidden-state": noHiddenState,
  "node-inputs-extracted": nodeInputsExtracted,
  "no-cross-cell-mutation": noCrossCellMutation,
  "no-committed-outputs": noCommittedOutputs,
  "notebook-structure": notebookStructure,
  "max-cell-lines": maxCellLines,
  "extracted-uses-vars": extractedUsesVars,
};

/** Rules for pipeline code: node, predict and export cells, and the modules under pipelines/. */
const pipelineRules = {
  "no-io-in-nodes": noIoInNodes,
  "no-hardcoded-paths": noHardcodedPaths,
  "no-unseeded-random": noUnseededRandom,
  "no-console-in-nodes": noConsoleInNodes,
  "explicit-boundary-types": explicitBoundaryTypes,
  "no-label-leakage": noLabelLeakage,
  "typed-dataframe-columns": typedDataframeColumns,
};

/** Style rules warn; the others are errors (they break extraction, reproducibility or the model). */
const WARNINGS = new Set(["notebook-structure", "max-cell-lines"]);

function severities(names: readonly string[]): Linter.RulesRecord {
  return Object.fromEntries(names.map((name) => [`cellforge/${name}`, WARNINGS.has(name) ? "warn" : "error"]));
}

const plugin = {
  meta: { name: "eslint-plugin-cellforge", version: "0.1.0", namespace: "cellforge" },
  // typescript-eslint's rule type and ESLint's differ only in how they type the AST.
  rules: { ...notebookRules, ...pipelineRules } as unknown as NonNullable<ESLint.Plugin["rules"]>,
  processors: { ipynb: notebookProcessor },
  configs: {} as Record<string, Linter.Config[]>,
};

/**
 * The recommended flat config: the processor for `.ipynb` files, every rule on the notebook views it makes, and the
 * pipeline rules on pipelines/. Typed linting must be on for notebooks (explicit-boundary-types needs it): see README.
 */
plugin.configs["recommended"] = [
  { name: "cellforge/notebooks", files: ["**/*.ipynb"], plugins: { cellforge: plugin }, processor: "cellforge/ipynb" },
  {
    name: "cellforge/notebook-cells",
    files: ["**/*.ipynb/*.ts"],
    plugins: { cellforge: plugin },
    rules: severities([...Object.keys(notebookRules), ...Object.keys(pipelineRules)]),
  },
  {
    name: "cellforge/pipelines",
    files: ["pipelines/**/*.ts"],
    plugins: { cellforge: plugin },
    rules: severities(Object.keys(pipelineRules)),
  },
];

export default plugin;
