// ESLint for the pre-commit hook: the project's config (eslint.config.js) without the type-checked rules.
// Typed linting builds a TypeScript program of everything a file imports (TF.js, danfojs, Fastify…), ~5 s even for one
// notebook, which a commit should not wait for; every cellforge rule but explicit-boundary-types reads syntax only, so the
// hook still refuses misspelled directives, hidden state or Math.random in a node. `npm run lint` and CI run everything.
import tseslint from "typescript-eslint";
import config from "./eslint.config.js";

/** The rules that need type information; dropped rather than turned off, so ESLint does not even load them. */
const typed = new Set([
  ...Object.keys(tseslint.configs.disableTypeChecked.rules ?? {}),
  "cellforge/explicit-boundary-types",
]);

export default [
  ...config.map((block) =>
    block.rules === undefined
      ? block
      : { ...block, rules: Object.fromEntries(Object.entries(block.rules).filter(([rule]) => !typed.has(rule))) },
  ),
  {
    files: ["**/*.ts", "**/*.js", "**/*.ipynb/*.ts"],
    languageOptions: tseslint.configs.disableTypeChecked.languageOptions,
  },
];
