// The parameters cell as the TypeScript parser reads it: the names, types and literal values `nb run -p` may override.
import { describe, expect, it } from "vitest";
import { declaredParameters } from "@cellforge/contract";

const names = (source: string): string[] => declaredParameters(source).map((parameter) => parameter.name);

describe("the parameters cell's declarations", () => {
  it("are found after a regular expression whose class holds a slash and quotes", () => {
    // A hand tokenizer read `/[/"']/g` as a division and an unterminated string, and lost `epochs`.
    expect(names(`//| parameters\nconst re = /[/"']/g;\nconst epochs = 3;\n`)).toEqual(["re", "epochs"]);
  });

  it("are found after template literals, comments and nested blocks that hold declarations of their own", () => {
    const source = [
      "const label = `run ${1 + 1} /* not a comment */`;",
      "/* const hidden = 1; */",
      "function f() { const inner = 1; return inner; }",
      "if (label) { var scoped = 2; }",
      "const { x } = { x: 1 };",
      "export const rate = 0.5",
      "const seed = 42",
    ].join("\n");
    expect(names(source)).toEqual(["label", "rate", "seed"]);
  });

  it("carry their annotation verbatim and the literal's kind and value", () => {
    const declared = declaredParameters(
      'const epochs = 20;\nconst rate: number = 1e-3, seed = -4;\nconst mode: "a" | "b" = "a";\nconst on = true;\n',
    );
    expect(declared).toEqual([
      { name: "epochs", type: null, literal: "number", value: 20 },
      { name: "rate", type: "number", literal: "number", value: 0.001 },
      { name: "seed", type: null, literal: "number", value: -4 },
      { name: "mode", type: '"a" | "b"', literal: "string", value: "a" },
      { name: "on", type: null, literal: "boolean", value: true },
    ]);
  });

  it("give arrays and objects of literals a value but no scalar kind, and computed values neither", () => {
    const declared = declaredParameters(
      'const features = ["hp", "attack"];\nconst split = { test: 0.2, "seed": 7 };\nconst now = Date.now();\n',
    );
    expect(declared).toEqual([
      { name: "features", type: null, literal: null, value: ["hp", "attack"] },
      { name: "split", type: null, literal: null, value: { test: 0.2, seed: 7 } },
      { name: "now", type: null, literal: null },
    ]);
  });
});
