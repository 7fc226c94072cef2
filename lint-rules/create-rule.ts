// The rule factory of eslint-plugin-cellforge: typed rules whose docs URL points at lint-rules/docs/<rule>.md.
import { ESLintUtils } from "@typescript-eslint/utils";

/** Extra `meta.docs` fields of cellforge rules. */
export interface CellforgeRuleDocs {
  /** Whether the rule needs type information (typescript-eslint's parserServices). */
  requiresTypeChecking?: boolean;
}

/** Creates a rule with `meta.docs.url` set to its doc, shipped with the package. */
export const createRule = ESLintUtils.RuleCreator<CellforgeRuleDocs>((name) => new URL(`./docs/${name}.md`, import.meta.url).href);
