// Prints checker types as TypeScript source that is valid in a generated module, preferring the names the notebook imports.
import { Node, ts, type Project, type SourceFile, type Type } from "ts-morph";

// Without UseAliasDefinedOutsideCurrentScope: with it the checker prints inaccessible names bare (`DataFrame`), which do not compile.
const FLAGS = ts.NodeBuilderFlags.NoTruncation;

/** A name the notebook's imports make accessible: `dfd.DataFrame` for `import * as dfd from "danfojs-node"`. */
interface ImportedName {
  text: string;
  symbol: ts.Symbol;
}

/**
 * Turns types into source text. Where the checker can only name a type by a deep import
 * (danfojs' readCSV returns the internal `danfojs-base` DataFrame), it uses a name the notebook
 * imports instead (`dfd.DataFrame`) when the type is assignable to it, so signatures read as the user wrote them.
 */
export class TypePrinter {
  private readonly checker: ts.TypeChecker;
  private readonly program: ts.Program;
  private readonly importedNames = new Map<string, ImportedName[]>();
  private readonly printer = ts.createPrinter({ removeComments: true });

  constructor(
    project: Project,
    private readonly file: SourceFile,
  ) {
    this.program = project.getProgram().compilerObject;
    this.checker = this.program.getTypeChecker();
    this.collectImportedNames();
  }

  private collectImportedNames(): void {
    for (const declaration of this.file.getImportDeclarations()) {
      if (
        declaration.isTypeOnly() &&
        declaration.getNamespaceImport() === undefined &&
        declaration.getNamedImports().length === 0
      )
        continue;
      const moduleSymbol = this.checker.getSymbolAtLocation(declaration.getModuleSpecifier().compilerNode);
      const namespace = declaration.getNamespaceImport()?.getText();
      if (moduleSymbol !== undefined && namespace !== undefined) {
        for (const exported of this.checker.getExportsOfModule(moduleSymbol)) {
          this.addImportedName(exported.getName(), `${namespace}.${exported.getName()}`, exported);
        }
      }
      for (const specifier of declaration.getNamedImports()) {
        const symbol = this.checker.getSymbolAtLocation(specifier.getNameNode().compilerNode);
        const local = specifier.getAliasNode()?.getText() ?? specifier.getName();
        if (symbol !== undefined) this.addImportedName(specifier.getName(), local, symbol);
      }
    }
  }

  private addImportedName(exportName: string, text: string, symbol: ts.Symbol): void {
    const resolved = symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
    if (
      !(
        resolved.flags &
        (ts.SymbolFlags.Class | ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Enum)
      )
    )
      return;
    const list = this.importedNames.get(exportName) ?? [];
    list.push({ text, symbol: resolved });
    this.importedNames.set(exportName, list);
  }

  /** The declared type that `import("specifier").A.B` names, resolved from the notebook's location. */
  private resolveImportType(specifier: string, qualifier: readonly string[]): ts.Type | undefined {
    const resolved = ts.resolveModuleName(
      specifier,
      this.file.getFilePath(),
      this.program.getCompilerOptions(),
      ts.sys,
    ).resolvedModule;
    const sourceFile = resolved === undefined ? undefined : this.program.getSourceFile(resolved.resolvedFileName);
    let symbol = sourceFile === undefined ? undefined : this.checker.getSymbolAtLocation(sourceFile);
    for (const name of qualifier) {
      if (symbol === undefined) return undefined;
      symbol = this.checker.getExportsOfModule(symbol).find((s) => s.getName() === name);
      if (symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    }
    return symbol === undefined ? undefined : this.checker.getDeclaredTypeOfSymbol(symbol);
  }

  /** A notebook-imported name for the type an `import("…").Name` node denotes, if the type is assignable to it. */
  private substitute(node: ts.ImportTypeNode): ts.TypeNode | undefined {
    if (
      node.qualifier === undefined ||
      !ts.isLiteralTypeNode(node.argument) ||
      !ts.isStringLiteral(node.argument.literal)
    )
      return undefined;
    const qualifier: string[] = [];
    let entity: ts.EntityName = node.qualifier;
    while (ts.isQualifiedName(entity)) {
      qualifier.unshift(entity.right.text);
      entity = entity.left;
    }
    qualifier.unshift(entity.text);
    const name = qualifier[qualifier.length - 1] ?? "";
    const original = this.resolveImportType(node.argument.literal.text, qualifier);
    if (original === undefined) return undefined;
    for (const candidate of this.importedNames.get(name) ?? []) {
      const target = this.checker.getDeclaredTypeOfSymbol(candidate.symbol);
      const same = original.symbol !== undefined && original.symbol === candidate.symbol;
      if (same || this.checker.isTypeAssignableTo(original, target)) {
        const parts = candidate.text.split(".");
        let entityName: ts.EntityName = ts.factory.createIdentifier(parts[0] ?? name);
        for (const part of parts.slice(1)) entityName = ts.factory.createQualifiedName(entityName, part);
        return ts.factory.createTypeReferenceNode(entityName, node.typeArguments);
      }
    }
    return undefined;
  }

  /** The type as source text valid at `enclosing` (and so in generated modules that import what the notebook imports). */
  print(type: Type, enclosing: Node): string {
    const node = this.checker.typeToTypeNode(type.compilerType, enclosing.compilerNode, FLAGS);
    if (node === undefined) return "unknown";
    const visit = (child: ts.Node): ts.Node => {
      if (ts.isImportTypeNode(child)) {
        const replacement = this.substitute(child);
        if (replacement !== undefined) return replacement;
      }
      return ts.visitEachChild(child, visit, undefined);
    };
    const rewritten = ts.visitNode(node, visit);
    // The printer ends one-line type literals with "; }"; the project's style (and Prettier's) is " }".
    return this.printer
      .printNode(ts.EmitHint.Unspecified, rewritten ?? node, this.file.compilerNode)
      .replace(/; }/g, " }");
  }

  /** The declared type of a variable: its annotation as written when it has one, else the checker's type. */
  printDeclared(nameNode: Node, options: { widenLiterals?: boolean } = {}): string {
    const declaration = nameNode.getParent();
    if (
      declaration !== undefined &&
      Node.isVariableDeclaration(declaration) &&
      declaration.getNameNode() === nameNode
    ) {
      const annotation = declaration.getTypeNode();
      if (annotation !== undefined) return annotation.getText();
    }
    let type = nameNode.getType();
    if (options.widenLiterals === true) type = type.getBaseTypeOfLiteralType();
    return this.print(type, nameNode);
  }
}
