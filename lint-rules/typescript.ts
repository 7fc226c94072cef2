/**
 * The TypeScript compiler API, loaded with `require`. An ESM `import ts from "typescript"` makes Node scan the whole
 * 9 MB CommonJS file for export names on every lint run (~0.3 s); typescript-eslint's parser has already required it,
 * so this costs nothing.
 */
import { createRequire } from "node:module";
import type * as TypeScript from "typescript";

export const ts = createRequire(import.meta.url)("typescript") as typeof TypeScript;
