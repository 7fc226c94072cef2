// ESLint for the pre-commit hook: the project's config (eslint.config.js) without the type-checked rules.
// Typed linting builds a TypeScript program of everything a file imports (TF.js, danfojs, Fastify…), ~5 s even for one
// notebook, which a commit should not wait for; most cellforge rules read syntax only (those that do not say so in
// `meta.docs.requiresTypeChecking`), so the hook still refuses misspelled directives, hidden state or Math.random in a
// node. `npm run lint` and CI run everything.
import tseslint from "typescript-eslint";
import config from "./eslint.config.js";

const { default: cellforge } = await import("eslint-plugin-cellforge");

/** The rules that need type information; dropped rather than turned off, so ESLint does not even load them. */
const typed = new Set([
  ...Object.keys(tseslint.configs.disableTypeChecked.rules ?? {}),
  ...Object.entries(cellforge.rules)
    .filter(([, rule]) => rule.meta?.docs?.requiresTypeChecking === true)
    .map(([name]) => `cellforge/${name}`),
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
