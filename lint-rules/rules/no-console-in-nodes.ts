// no-console-in-nodes: pipeline code logs through the run's logger (`log` from @cellforge/runtime), which records the
// message with the run and shows it under its node in the progress; console output is printed around the progress and kept nowhere.
import { AST_NODE_TYPES, ESLintUtils, TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { ts } from "../typescript.ts";
import { createRule } from "../create-rule.ts";
import { isGlobal } from "../analysis/references.ts";
import { isPipelineCode } from "../notebook/notebook-view.ts";
import { generatedFrom } from "../notebook/generated-module.ts";

type Options = [{ logger?: string; loggerModule?: string }];

/** The logger method each console method becomes. */
const LEVEL: Record<string, "info" | "warn"> = {
  log: "info",
  info: "info",
  debug: "info",
  warn: "warn",
  error: "warn",
};

export default createRule<Options, "console">({
  name: "no-console-in-nodes",
  meta: {
    type: "suggestion",
    docs: { description: "Disallow console output in pipeline code: log through the run's logger" },
    fixable: "code",
    schema: [
      {
        type: "object",
        properties: {
          logger: { type: "string", description: "Name of the imported run logger; default `log`." },
          loggerModule: {
            type: "string",
            description: "Module the logger is imported from; default `@cellforge/runtime`.",
          },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      console:
        '`console.{{method}}` in pipeline code prints outside the run\'s progress and is not recorded with the run: use `{{logger}}.{{level}}(…)` (`import { {{logger}} } from "{{module}}"`), which shows the message in the progress under its node and records it with the run.',
    },
  },
  defaultOptions: [{ logger: "log", loggerModule: "@cellforge/runtime" }],
  create(context, [options]) {
    // A generated module repeats the notebook's code: its problems are reported in the notebook.
    if (generatedFrom(context.sourceCode) !== undefined) return {};
    const sourceCode = context.sourceCode;
    const logger = options.logger ?? "log";
    const loggerModule = options.loggerModule ?? "@cellforge/runtime";
    const services = ESLintUtils.getParserServices(context, true);
    const checker = services.program?.getTypeChecker();

    /** Whether the logger is in scope at `at` as an import from the logger module (or a subpath of it). */
    function hasLogger(at: TSESTree.Node): boolean {
      for (let scope: TSESLint.Scope.Scope | null = sourceCode.getScope(at); scope !== null; scope = scope.upper) {
        const def = scope.set.get(logger)?.defs[0];
        if (def === undefined) continue;
        if (
          def.type !== TSESLint.Scope.DefinitionType.ImportBinding ||
          def.parent?.type !== AST_NODE_TYPES.ImportDeclaration
        )
          return false;
        const origin = def.parent.source.value;
        return origin === loggerModule || origin.startsWith(`${loggerModule}/`);
      }
      return false;
    }

    /** Whether the one argument is surely a string (the logger takes a message string). */
    function isString(argument: TSESTree.Node): boolean {
      if (argument.type === AST_NODE_TYPES.TemplateLiteral) return true;
      if (argument.type === AST_NODE_TYPES.Literal) return typeof argument.value === "string";
      if (checker === undefined || services.program === null) return false;
      const type = checker.getTypeAtLocation(services.esTreeNodeToTSNodeMap.get(argument));
      return (type.flags & ts.TypeFlags.StringLike) !== 0;
    }

    return {
      MemberExpression(node) {
        if (
          node.object.type !== AST_NODE_TYPES.Identifier ||
          node.object.name !== "console" ||
          node.computed ||
          node.property.type !== AST_NODE_TYPES.Identifier
        )
          return;
        if (!isGlobal(sourceCode, node.object) || !isPipelineCode(sourceCode, node)) return;
        const method = node.property.name;
        const level = LEVEL[method] ?? "info";
        const call =
          node.parent.type === AST_NODE_TYPES.CallExpression && node.parent.callee === node ? node.parent : undefined;
        const argument = call?.arguments.length === 1 ? call.arguments[0] : undefined;
        const fixable =
          LEVEL[method] !== undefined &&
          argument !== undefined &&
          argument.type !== AST_NODE_TYPES.SpreadElement &&
          isString(argument) &&
          hasLogger(node);
        context.report({
          node,
          messageId: "console",
          data: { method, logger, level, module: loggerModule },
          fix: fixable ? (fixer) => fixer.replaceText(node, `${logger}.${level}`) : null,
        });
      },
    };
  },
});
