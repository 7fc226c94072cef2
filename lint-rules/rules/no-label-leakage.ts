// no-label-leakage: the features a model learns from must not contain the label, nor columns computed from it
// (the Pokédex's against_* damage multipliers are a function of the types, so they give a type model the answer).
import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/utils";
import { declaredNames, statementsIn } from "../analysis/declarations.ts";
import { createRule } from "../create-rule.ts";
import { notebookView, PIPELINE_ROLES, roleOf, type CellView, type NotebookView } from "../notebook/notebook-view.ts";
import { generatedFrom } from "../notebook/generated-module.ts";

type Options = [{ label?: string[]; derived?: string[]; featurePattern?: string; dropMethods?: string[] }];
type MessageId = "derivedColumn" | "labelColumn";

/** Properties whose value lists feature columns. */
const COLUMN_LIST_KEYS = new Set(["columns", "features", "featureNames", "featureColumns"]);

export default createRule<Options, MessageId>({
  name: "no-label-leakage",
  meta: {
    type: "problem",
    docs: { description: "Disallow the label, or columns derived from it, in code that builds features" },
    schema: [
      {
        type: "object",
        properties: {
          label: {
            type: "array",
            items: { type: "string" },
            uniqueItems: true,
            description: 'The label column(s) the model predicts, e.g. ["type1"].',
          },
          derived: {
            type: "array",
            items: { type: "string" },
            uniqueItems: true,
            description: 'Regular expressions of columns computed from the label, e.g. ["^against_"].',
          },
          featurePattern: {
            type: "string",
            description:
              'Regular expression (case-insensitive) of node and declaration names that build features; default "feature".',
          },
          dropMethods: {
            type: "array",
            items: { type: "string" },
            uniqueItems: true,
            description:
              'Methods whose arguments remove columns (naming a leaking column there is the fix); default ["drop"].',
          },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      derivedColumn:
        "`{{column}}` is computed from the label ({{label}}), so a model trained on it learns the answer: leave it out of the features.",
      labelColumn: "`{{column}}` is the label: it must not be in the feature columns.",
    },
  },
  defaultOptions: [{ label: [], derived: [], featurePattern: "feature", dropMethods: ["drop"] }],
  create(context, [options]) {
    // A generated module repeats the notebook's code: its problems are reported in the notebook.
    if (generatedFrom(context.sourceCode) !== undefined) return {};
    const labels = new Set(options.label ?? []);
    const derived = (options.derived ?? []).map((pattern) => new RegExp(pattern, "u"));
    const featurePattern = new RegExp(options.featurePattern ?? "feature", "iu");
    const dropMethods = new Set(options.dropMethods ?? ["drop"]);
    if (labels.size === 0 && derived.length === 0) return {};
    const sourceCode = context.sourceCode;
    const labelText = labels.size === 0 ? "the label" : [...labels].map((label) => `\`${label}\``).join(", ");

    /** Top-level statements whose code builds features, and (in a notebook) which cells do. */
    let featureCells: Set<CellView> | undefined;
    let featureRanges: (readonly [number, number])[] = [];

    function findFeatureCode(program: TSESTree.Program, view: NotebookView | undefined): void {
      if (view === undefined) {
        featureRanges = program.body
          .filter((statement) => declaredNames(statement).some((name) => featurePattern.test(name)))
          .map((s) => s.range);
        return;
      }
      featureCells = new Set();
      for (const cell of view.cells) {
        const role = roleOf(cell);
        if (role === undefined || !PIPELINE_ROLES.includes(role)) continue;
        const names = statementsIn(program, cell.range).flatMap(declaredNames);
        if (featurePattern.test(cell.directives?.nodeName ?? "") || names.some((name) => featurePattern.test(name)))
          featureCells.add(cell);
      }
    }

    function inFeatureCode(node: TSESTree.Node): boolean {
      const view = notebookView(sourceCode);
      if (view !== undefined) {
        const cell = view.cellOf(node);
        return cell !== undefined && featureCells?.has(cell) === true;
      }
      return featureRanges.some(([start, end]) => node.range[0] >= start && node.range[1] <= end);
    }

    /** Inside the arguments of a drop call: naming the column there removes it. */
    function inDrop(node: TSESTree.Node): boolean {
      for (let current: TSESTree.Node | null | undefined = node.parent; current; current = current.parent) {
        if (current.type === AST_NODE_TYPES.CallExpression) {
          const callee = current.callee;
          const name =
            callee.type === AST_NODE_TYPES.MemberExpression && callee.property.type === AST_NODE_TYPES.Identifier
              ? callee.property.name
              : callee.type === AST_NODE_TYPES.Identifier
                ? callee.name
                : "";
          if (dropMethods.has(name)) return true;
        }
        if (
          current.type === AST_NODE_TYPES.FunctionDeclaration ||
          current.type === AST_NODE_TYPES.ArrowFunctionExpression ||
          current.type === AST_NODE_TYPES.FunctionExpression
        )
          return false;
      }
      return false;
    }

    /** A string in a list of columns: an array element, or the value of a `columns`/`features` property. */
    function inColumnList(node: TSESTree.Node): boolean {
      const parent = node.parent;
      if (parent?.type === AST_NODE_TYPES.ArrayExpression) return true;
      return (
        parent?.type === AST_NODE_TYPES.Property &&
        parent.value === node &&
        parent.key.type === AST_NODE_TYPES.Identifier &&
        COLUMN_LIST_KEYS.has(parent.key.name)
      );
    }

    function check(node: TSESTree.Node, column: string, asString: boolean): void {
      if (!inFeatureCode(node) || inDrop(node)) return;
      if (derived.some((pattern) => pattern.test(column))) {
        context.report({ node, messageId: "derivedColumn", data: { column, label: labelText } });
      } else if (asString && labels.has(column) && inColumnList(node)) {
        context.report({ node, messageId: "labelColumn", data: { column } });
      }
    }

    return {
      Program(program) {
        findFeatureCode(program, notebookView(sourceCode));
      },
      Literal(node) {
        if (typeof node.value === "string") check(node, node.value, true);
      },
      TemplateLiteral(node) {
        // `against_${type}` names a derived column by its prefix.
        const first = node.quasis[0]?.value.cooked ?? "";
        if (node.expressions.length > 0) check(node, first, false);
        else check(node, first, true);
      },
      MemberExpression(node) {
        if (!node.computed && node.property.type === AST_NODE_TYPES.Identifier)
          check(node.property, node.property.name, false);
      },
      Property(node) {
        if (
          !node.computed &&
          node.key.type === AST_NODE_TYPES.Identifier &&
          node.parent.type === AST_NODE_TYPES.ObjectExpression
        )
          check(node.key, node.key.name, false);
      },
    };
  },
});
