// The pre-commit hook's checks (simple-git-hooks runs `npx lint-staged --concurrent false`): ESLint on the staged
// TypeScript files and notebooks (messages point at "cell N, line L"), then `extract --check` when notebooks/ or
// pipelines/ change, so the committed pipeline modules always match their notebooks. Serial, because lint-staged kills
// the other tasks when one fails: a fast failing `extract --check` would hide ESLint's cell-mapped messages.
export default {
  "*.{ts,ipynb}": "eslint --no-warn-ignored",
  // A function, so lint-staged does not append the staged files: the check covers every notebook and its modules.
  "{notebooks,pipelines}/**": () => "npx extract --all --check",
};
