// ESLint for the whole repository: typescript-eslint's type-checked rules on all code, notebooks included, and the
// cellforge plugin's recommended config on notebooks/ and pipelines/.
import js from "@eslint/js";
import globals from "globals";
import { register } from "tsx/esm/api";
import tseslint from "typescript-eslint";

// The plugin is TypeScript run through tsx, like every workspace package (no build step).
register();
const { default: cellforge } = await import("eslint-plugin-cellforge");

// Modules under pipelines/ that carry a notebook's cells (nodes, shared code, predict, parameters) are linted in the
// notebook, where the author fixes them: every rule the notebook gets is off for them, so each problem is reported
// once. pipeline.ts, the generated wiring no cell shows, keeps every rule.
const notebookRules = [
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...cellforge.configs.recommended,
].flatMap((config) => Object.keys(config.rules ?? {}));
const reportedInNotebook = Object.fromEntries(
  [
    ...notebookRules,
    "@typescript-eslint/no-unused-vars",
    "@typescript-eslint/consistent-type-imports",
    "cellforge/no-label-leakage",
  ].map((name) => [name, "off"]),
);

export default tseslint.config(
  {
    // Fixture notebooks are test inputs, some broken on purpose; .tmp/ is git-ignored scratch.
    ignores: [
      "node_modules/",
      "**/node_modules/",
      "data/",
      "reports/",
      ".cellforge/",
      ".tmp/",
      "tests/fixtures/**/*.ipynb",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: {
        // A notebook is linted as one virtual file, notebooks/<name>.ipynb/0_notebook.ts, typed in the default
        // project with this tsconfig's options (lint-rules/README.md explains why).
        projectService: { allowDefaultProject: ["*.js", "*/bin/*.js", "*/tfjs/*.js", "notebooks/*.ipynb/*.ts"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      // Interfaces such as a CLI command's run() are async by contract, even where one body needs no await.
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    files: ["**/*.js"],
    ...tseslint.configs.disableTypeChecked,
  },
  ...cellforge.configs.recommended,
  {
    // The example predicts the primary type and legendary status; the against_* multipliers are computed from the types.
    files: ["notebooks/**/*.ipynb/*.ts", "pipelines/**/*.ts"],
    rules: { "cellforge/no-label-leakage": ["error", { label: ["type1", "is_legendary"], derived: ["^against_"] }] },
  },
  {
    // `extract` and cellforge/explicit-boundary-types ask for an annotation where an `any` crosses cells (danfojs'
    // `df.tensor`, `df.values`): `const x: tf.Tensor2D = df.tensor` is that fix, so assigning an `any` to a declared
    // type is not reported in notebooks. Using an `any` (member access, calls, arguments, returns) still is.
    files: ["notebooks/**/*.ipynb/*.ts"],
    rules: { "@typescript-eslint/no-unsafe-assignment": "off" },
  },
  {
    files: ["pipelines/*/nodes.ts", "pipelines/*/shared.ts", "pipelines/*/predict.ts", "pipelines/*/parameters.ts"],
    rules: reportedInNotebook,
  },
);
