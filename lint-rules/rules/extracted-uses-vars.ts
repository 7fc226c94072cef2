// extracted-uses-vars: the pipeline reads some of a notebook's top-level names (saved variables, metrics, export and
// predict cells' declarations) even when no later cell does; mark them used so no-unused-vars does not report them,
// as react/jsx-uses-vars does for JSX.
import { declaredNames, statementsIn } from "../analysis/declarations.ts";
import { createRule } from "../create-rule.ts";
import { notebookView } from "../notebook/notebook-view.ts";

export default createRule<[], never>({
  name: "extracted-uses-vars",
  meta: {
    type: "problem",
    docs: {
      description: "Mark the top-level names the pipeline consumes (saved, metrics, export and predict cells) as used",
    },
    schema: [],
    messages: {},
  },
  defaultOptions: [],
  create(context) {
    const sourceCode = context.sourceCode;
    return {
      Program(program) {
        const view = notebookView(sourceCode);
        if (view === undefined) return;
        for (const cell of view.cells) {
          const directives = cell.directives;
          if (directives === undefined) continue;
          const consumed = new Set(directives.save);
          if (directives.role === "export" || directives.role === "predict" || directives.metrics) {
            for (const name of statementsIn(program, cell.range).flatMap(declaredNames)) consumed.add(name);
          }
          for (const name of consumed) sourceCode.markVariableAsUsed(name, program);
        }
      },
    };
  },
});
