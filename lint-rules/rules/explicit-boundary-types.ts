// explicit-boundary-types: the types at a node's boundary become the pipeline's contract (node signatures, catalog
// dataset types, the server's JSON schema), so none of them may be `any`, written or inferred.
import { AST_NODE_TYPES, ESLintUtils, TSESLint, type TSESTree } from "@typescript-eslint/utils";
import type * as TS from "typescript";
import { ts } from "../typescript.ts";
import { cellLabel } from "@cellforge/contract";
import { createRule } from "../create-rule.ts";
import { cellDataflow, declaringCellFor, type CellBinding } from "../notebook/cell-dataflow.ts";
import { describeCell, notebookView, roleOf, type CellView, type NotebookView } from "../notebook/notebook-view.ts";
import { generatedFrom } from "../notebook/generated-module.ts";

type MessageId = "anyInput" | "anyOutput" | "anyParameter" | "anyReturn";

/** Roles of the cells whose declarations a node can take as inputs. */
const EXTRACTED = new Set(["parameters", "load", "node", "export"]);

export default createRule<[], MessageId>({
  name: "explicit-boundary-types",
  meta: {
    type: "problem",
    docs: {
      description:
        "Disallow `any`, explicit or inferred, in node inputs and outputs, predict signatures and pipeline module functions",
      requiresTypeChecking: true,
    },
    schema: [],
    messages: {
      anyInput:
        "{{cell}} takes `{{name}}` as an input, and its type is {{what}} (declared in {{declaredIn}}): give the declaration a type, e.g. `const {{name}}: DataFrame = …`.",
      anyOutput:
        "`{{name}}` is an output of {{cell}} and its type is {{what}}: the type becomes the dataset's contract; annotate it or cast the value it comes from.",
      anyParameter:
        "parameter `{{name}}` of `{{fn}}` is {{what}}: the signature is the pipeline's contract; give it a type.",
      anyReturn: "`{{fn}}` returns {{what}}: the return type is the pipeline's contract; annotate it.",
    },
  },
  defaultOptions: [],
  create(context) {
    // A generated module repeats the notebook's code: its problems are reported in the notebook.
    if (generatedFrom(context.sourceCode) !== undefined) return {};
    const services = ESLintUtils.getParserServices(context);
    const checker = services.program.getTypeChecker();

    /** "`any`" or "an array of `any`" when the type is (or wraps) any, else undefined. */
    function anyIn(type: TS.Type): string | undefined {
      if ((type.flags & ts.TypeFlags.Any) !== 0) return "`any`";
      if (checker.isArrayType(type)) {
        const element = checker.getTypeArguments(type as TS.TypeReference)[0];
        if (element !== undefined && (element.flags & ts.TypeFlags.Any) !== 0) return "an array of `any`";
      }
      return undefined;
    }

    /** Whether the declaration writes `any` itself (explicit) rather than inferring it. */
    function written(node: TSESTree.Node): boolean {
      const annotation = "typeAnnotation" in node ? node.typeAnnotation : undefined;
      return annotation !== undefined && annotation !== null && context.sourceCode.getText(annotation).includes("any");
    }

    function describe(what: string, node: TSESTree.Node): string {
      return `${what}, ${written(node) ? "written explicitly" : "inferred"}`;
    }

    function typeOfBinding(binding: CellBinding): { type: TS.Type; node: TSESTree.Node } | undefined {
      const def = binding.variable.defs.find(
        (d) =>
          d.type === TSESLint.Scope.DefinitionType.Variable ||
          d.type === TSESLint.Scope.DefinitionType.FunctionName ||
          d.type === TSESLint.Scope.DefinitionType.ClassName,
      );
      if (def === undefined) return undefined;
      return { type: services.getTypeAtLocation(def.name), node: def.name };
    }

    function checkFunction(fn: TSESTree.FunctionLike, name: string): void {
      for (const parameter of fn.params) {
        const target = parameter.type === AST_NODE_TYPES.TSParameterProperty ? parameter.parameter : parameter;
        const what = anyIn(services.getTypeAtLocation(target));
        const label = target.type === AST_NODE_TYPES.Identifier ? target.name : context.sourceCode.getText(target);
        if (what !== undefined)
          context.report({
            node: target,
            messageId: "anyParameter",
            data: { name: label, fn: name, what: describe(what, target) },
          });
      }
      const signature = checker.getSignatureFromDeclaration(services.esTreeNodeToTSNodeMap.get(fn));
      if (signature === undefined) return;
      const returned =
        checker.getAwaitedType(checker.getReturnTypeOfSignature(signature)) ??
        checker.getReturnTypeOfSignature(signature);
      const what = anyIn(returned);
      const explicit = fn.returnType !== undefined && context.sourceCode.getText(fn.returnType).includes("any");
      if (what !== undefined) {
        context.report({
          node: fn.returnType ?? fn.id ?? fn,
          messageId: "anyReturn",
          data: { fn: name, what: `${what}, ${explicit ? "written explicitly" : "inferred"}` },
        });
        return;
      }
      // A node returns a record of its outputs (an object literal or type literal); class instances such as a TF.js
      // model carry library internals typed any, which are not the pipeline's contract.
      const objectFlags = (returned.flags & ts.TypeFlags.Object) !== 0 ? (returned as TS.ObjectType).objectFlags : 0;
      if (
        (objectFlags & (ts.ObjectFlags.Anonymous | ts.ObjectFlags.ObjectLiteral)) === 0 ||
        returned.getCallSignatures().length > 0
      )
        return;
      for (const property of returned.getProperties()) {
        const declaration = property.valueDeclaration;
        if (declaration === undefined) continue;
        const inner = anyIn(checker.getTypeOfSymbolAtLocation(property, declaration));
        if (inner !== undefined) {
          context.report({
            node: fn.returnType ?? fn.id ?? fn,
            messageId: "anyReturn",
            data: { fn: name, what: `an object whose \`${property.name}\` is ${inner}` },
          });
        }
      }
    }

    function checkNotebook(view: NotebookView): void {
      const { bindings, uses } = cellDataflow(context.sourceCode, view);
      const reported = new Set<string>();
      for (const use of uses) {
        if (roleOf(use.cell) !== "node" || use.binding.isImport || use.binding.declaredIn.includes(use.cell)) continue;
        const declaring = declaringCellFor(use.binding, use.cell);
        if (declaring === undefined || !EXTRACTED.has(roleOf(declaring) ?? "")) continue;
        const typed = typeOfBinding(use.binding);
        const what = typed === undefined ? undefined : anyIn(typed.type);
        const key = `${use.cell.number}:${use.binding.name}`;
        if (typed === undefined || what === undefined || reported.has(key)) continue;
        reported.add(key);
        context.report({
          node: use.identifier,
          messageId: "anyInput",
          data: {
            cell: describeCell(use.cell),
            name: use.binding.name,
            what: describe(what, typed.node),
            declaredIn: cellLabel(declaring.ref),
          },
        });
      }
      for (const binding of bindings) {
        const cell = binding.declaredIn[0];
        if (cell === undefined || roleOf(cell) !== "node" || binding.isImport) continue;
        if (!isOutput(binding, cell, uses)) continue;
        const typed = typeOfBinding(binding);
        const what = typed === undefined ? undefined : anyIn(typed.type);
        if (typed === undefined || what === undefined) continue;
        context.report({
          node: typed.node,
          messageId: "anyOutput",
          data: { cell: describeCell(cell), name: binding.name, what: describe(what, typed.node) },
        });
      }
      for (const cell of view.cells) {
        if (roleOf(cell) !== "predict") continue;
        for (const statement of context.sourceCode.ast.body) {
          if (statement.range[0] < cell.range[0] || statement.range[1] > cell.range[1]) continue;
          const fn = statement.type === AST_NODE_TYPES.ExportNamedDeclaration ? statement.declaration : statement;
          if (fn?.type === AST_NODE_TYPES.FunctionDeclaration) checkFunction(fn, fn.id?.name ?? "predict");
        }
      }
    }

    /** An output: read by a later cell, saved, or logged as a metric. */
    function isOutput(binding: CellBinding, cell: CellView, uses: ReturnType<typeof cellDataflow>["uses"]): boolean {
      if (cell.directives?.save.includes(binding.name) === true || cell.directives?.metrics === true) return true;
      return uses.some((use) => use.binding === binding && use.cell.number > cell.number);
    }

    function checkModule(program: TSESTree.Program): void {
      for (const statement of program.body) {
        if (statement.type !== AST_NODE_TYPES.ExportNamedDeclaration || statement.declaration === null) continue;
        const declaration = statement.declaration;
        if (declaration.type === AST_NODE_TYPES.FunctionDeclaration)
          checkFunction(declaration, declaration.id?.name ?? "default");
        if (declaration.type === AST_NODE_TYPES.VariableDeclaration) {
          for (const declarator of declaration.declarations) {
            const init = declarator.init;
            if (
              declarator.id.type === AST_NODE_TYPES.Identifier &&
              (init?.type === AST_NODE_TYPES.ArrowFunctionExpression ||
                init?.type === AST_NODE_TYPES.FunctionExpression)
            ) {
              checkFunction(init, declarator.id.name);
            }
          }
        }
      }
    }

    return {
      "Program:exit"(program) {
        const view = notebookView(context.sourceCode);
        if (view === undefined) checkModule(program);
        else checkNotebook(view);
      },
    };
  },
});
