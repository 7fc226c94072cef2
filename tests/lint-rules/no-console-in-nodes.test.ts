import rule from "../../lint-rules/rules/no-console-in-nodes.ts";
import { asEslintRule, md, NOTEBOOK_FILENAME, notebook, ruleTester, typedRuleTester } from "./rule-tester.ts";

const withLog = 'import { log } from "@cellforge/runtime";';
const node = (code: string, imports = withLog): string => notebook(imports, md("## Train"), `//| node\n${code}`);

ruleTester.run("no-console-in-nodes", asEslintRule(rule), {
  valid: [
    { code: notebook("console.log('exploring');") },
    { code: node("log.info(`epoch ${epoch}`);") },
    { code: notebook('//| load\nconsole.log("loaded");') },
    {
      code: "const console = { log: (m: string) => m };\nexport const x = console.log('a');",
      filename: "pipelines/x/nodes.ts",
    },
  ],
  invalid: [
    {
      name: "fixed to the run logger when it is imported",
      code: node("console.log(`epoch ${epoch}`);\nconsole.error('bad');"),
      output: node("log.info(`epoch ${epoch}`);\nlog.warn('bad');"),
      errors: [
        {
          message:
            '`console.log` in pipeline code prints outside the run\'s progress and is not recorded with the run: use `log.info(…)` (`import { log } from "@cellforge/runtime"`), which shows the message in the progress under its node and records it with the run.',
        },
        { messageId: "console" },
      ],
    },
    {
      name: "only reported without the logger import, or with arguments the logger does not take",
      code: node("console.log('a');\nconsole.table(rows);", ""),
      output: null,
      errors: [{ messageId: "console" }, { messageId: "console" }],
    },
    {
      name: "not fixed for several arguments or a non-string without type information",
      code: node("console.log('a', b);\nconsole.log(value);"),
      output: null,
      errors: [{ messageId: "console" }, { messageId: "console" }],
    },
    {
      name: "a pipeline module with a logger from a subpath and a custom name",
      filename: "pipelines/train/nodes.ts",
      code: 'import { logger } from "@acme/run/tracking";\nexport function f(): void { console.warn("w"); }',
      output: 'import { logger } from "@acme/run/tracking";\nexport function f(): void { logger.warn("w"); }',
      options: [{ logger: "logger", loggerModule: "@acme/run" }],
      errors: [{ messageId: "console" }],
    },
  ],
});

typedRuleTester.run("no-console-in-nodes (typed)", asEslintRule(rule), {
  valid: [],
  invalid: [
    {
      name: "a string-typed variable is fixed, a number is not",
      filename: NOTEBOOK_FILENAME,
      code: node("const message: string = 'm';\nconst n = 1;\nconsole.log(message);\nconsole.log(n);"),
      output: node("const message: string = 'm';\nconst n = 1;\nlog.info(message);\nconsole.log(n);"),
      errors: [{ messageId: "console" }, { messageId: "console" }],
    },
  ],
});
