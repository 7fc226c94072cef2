// The rule factory of eslint-plugin-cellforge: typed rules whose docs URL points at lint-rules/docs/<rule>.md.
import { CELL_ROLES } from "@cellforge/contract";
import { ESLintUtils, type JSONSchema } from "@typescript-eslint/utils";

type JSONSchema4 = JSONSchema.JSONSchema4;

/** Extra `meta.docs` fields of cellforge rules. */
export interface CellforgeRuleDocs {
  /** Whether the rule needs type information (typescript-eslint's parserServices). */
  requiresTypeChecking?: boolean;
}

/** Creates a rule with `meta.docs.url` set to its doc, shipped with the package. */
export const createRule = ESLintUtils.RuleCreator<CellforgeRuleDocs>(
  (name) => new URL(`./docs/${name}.md`, import.meta.url).href,
);

/** The `roles` option of rules that check some kinds of cells: which cell roles they look at. */
export function rolesOption(description: string): JSONSchema4 {
  return { type: "array", items: { type: "string", enum: [...CELL_ROLES] }, uniqueItems: true, description };
}
