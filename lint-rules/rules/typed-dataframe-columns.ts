// typed-dataframe-columns: danfojs types `df["speed"]` as `any` (DataFrame has an index signature), so every use of
// the column is unchecked and typescript-eslint reports each; `df.column("speed")` is the same Series, typed.
import { AST_NODE_TYPES, ESLintUtils, type TSESTree } from "@typescript-eslint/utils";
import { createRule } from "../create-rule.ts";
import { generatedFrom } from "../notebook/generated-module.ts";
import type * as TS from "typescript";

/** Whether `type` is danfojs' DataFrame class (from danfojs-node or danfojs; exported as a default, so named by its declaration). */
function isDanfoDataFrame(type: TS.Type): boolean {
  return (type.getSymbol()?.getDeclarations() ?? []).some(
    (d) =>
      (d as TS.ClassDeclaration).name?.text === "DataFrame" &&
      /[\\/]danfojs[^\\/]*[\\/]/.test(d.getSourceFile().fileName),
  );
}

export default createRule<[], "untypedColumn">({
  name: "typed-dataframe-columns",
  meta: {
    type: "suggestion",
    docs: {
      description: "Require `df.column(name)` over `df[name]` on danfojs DataFrames, which type the latter as `any`",
      requiresTypeChecking: true,
    },
    fixable: "code",
    schema: [],
    messages: {
      untypedColumn:
        '`{{frame}}["{{name}}"]` is typed `any` by danfojs, so nothing checks what is done with the column: write `{{frame}}.column("{{name}}")`, the same Series, typed (`eslint --fix` does it).',
    },
  },
  defaultOptions: [],
  create(context) {
    // A generated module repeats the notebook's code: its problems are reported in the notebook.
    if (generatedFrom(context.sourceCode) !== undefined) return {};
    const services = ESLintUtils.getParserServices(context);
    const checker = services.program.getTypeChecker();
    return {
      MemberExpression(node: TSESTree.MemberExpression) {
        if (!node.computed || node.optional) return;
        const key = node.property;
        if (key.type !== AST_NODE_TYPES.Literal || typeof key.value !== "string") return;
        // `df["x"] = series` adds or replaces a column: that is what the index signature is for.
        const parent = node.parent;
        if (parent.type === AST_NODE_TYPES.AssignmentExpression && parent.left === node) return;
        const type = services.getTypeAtLocation(node.object);
        if (!isDanfoDataFrame(type) || checker.getPropertyOfType(type, key.value) !== undefined) return;
        const frame = context.sourceCode.getText(node.object);
        context.report({
          node,
          messageId: "untypedColumn",
          data: { frame, name: key.value },
          fix: (fixer) => fixer.replaceText(node, `${frame}.column(${JSON.stringify(key.value)})`),
        });
      },
    };
  },
});
