// The pre-commit hook's checks (simple-git-hooks runs `lint-staged --continue-on-error`): ESLint on the staged
// TypeScript files and notebooks with eslint.hook.config.js, the project's rules without the type-checked ones (messages
// point at "cell N, line L"), and `extract --check` when notebooks/ or pipelines/ change, so the committed pipeline
// modules always match their notebooks. The two run side by side, and --continue-on-error lets both finish, so a fast
// failing `extract --check` does not cut ESLint's cell-mapped messages short. Commands run from node_modules/.bin
// (no npx, which costs half a second each).
export default {
  // Prettier first (it rewrites the staged files; notebooks and generated modules are in .prettierignore), then ESLint.
  "*.{ts,ipynb}": [
    "prettier --write --ignore-unknown --log-level warn",
    "eslint --config eslint.hook.config.js --no-warn-ignored",
  ],
  // A function, so lint-staged does not append the staged files: the check covers every notebook and its modules.
  "{notebooks,pipelines}/**": () => "extract --all --check",
};
