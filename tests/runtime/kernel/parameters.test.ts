import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ParameterError } from "../../../runtime/kernel/errors.ts";
import { cellTags, parseNotebookDocument as parseNotebook } from "@cellforge/contract";
import { declaredParameters } from "@cellforge/contract";
import { injectParameters, parseParameterArgument, parseParameterValue } from "../../../runtime/kernel/parameters.ts";
import { fixture } from "./support.ts";

const load = (name: string) => parseNotebook(readFileSync(fixture(name), "utf8"), name);

describe("parameter values", () => {
  it("are parsed like papermill's -p: numbers stay numbers", () => {
    expect(parseParameterValue("3")).toBe(3);
    expect(parseParameterValue("-0.5")).toBe(-0.5);
    expect(parseParameterValue("1e-3")).toBe(0.001);
    expect(parseParameterValue("true")).toBe(true);
    expect(parseParameterValue("null")).toBeNull();
    expect(parseParameterValue('["hp","attack"]')).toEqual(["hp", "attack"]);
    expect(parseParameterValue('{"a":1}')).toEqual({ a: 1 });
    expect(parseParameterValue("grass")).toBe("grass");
    expect(parseParameterValue("[not json")).toBe("[not json");
  });

  it("need name=value", () => {
    expect(parseParameterArgument("epochs=3")).toEqual({ name: "epochs", value: 3, text: "3" });
    expect(parseParameterArgument("query=a=b").value).toBe("a=b");
    expect(() => parseParameterArgument("epochs")).toThrow(/name=value/);
  });
});

describe("the parameters cell", () => {
  it("declares its top-level consts, with their annotations", () => {
    const declared = declaredParameters(
      '//| parameters\nconst epochs = 20; // n\nconst rate: number = 1e-3, seed = 42;\nconst mode: "a" | "b" = "a";\n' +
        'const features = [\n  "hp",\n];\nfunction f() { const inner = 1; }\nconst { x } = obj;\nconst last = "z"\n',
    );
    expect(declared).toEqual([
      { name: "epochs", type: null, literal: "number", value: 20 },
      { name: "rate", type: "number", literal: "number", value: 0.001 },
      { name: "seed", type: null, literal: "number", value: 42 },
      { name: "mode", type: '"a" | "b"', literal: "string", value: "a" },
      { name: "features", type: null, literal: null, value: ["hp"] },
      { name: "last", type: null, literal: "string", value: "z" },
    ]);
  });

  it("gets a tagged injected cell right after it (tag form)", () => {
    const notebook = injectParameters(load("outputs.ipynb"), [
      parseParameterArgument("repeat=3"),
      parseParameterArgument("greeting=7"),
    ]);
    const at = notebook.cells.findIndex((cell) => cellTags(cell).includes("parameters"));
    const injected = notebook.cells[at + 1];
    expect(injected && cellTags(injected)).toEqual(["injected-parameters"]);
    // Typed as declared; a string parameter keeps "7" as text.
    expect(injected?.source).toContain("const repeat: number = 3;");
    expect(injected?.source).toContain('const greeting: string = "7";');
    expect(notebook.cells).toHaveLength(load("outputs.ipynb").cells.length + 1);
  });

  it("is recognised by a //| parameters directive, and an earlier injected cell is replaced", () => {
    const before = load("directive-parameters.ipynb");
    const notebook = injectParameters(before, [parseParameterArgument("epochs=3")]);
    const injected = notebook.cells.filter((cell) => cellTags(cell).includes("injected-parameters"));
    expect(injected).toHaveLength(1);
    expect(notebook.cells[1]).toBe(injected[0]);
    expect(injected[0]?.source).toContain("const epochs: number = 3;");
    expect(injected[0]?.source).not.toContain("99");
    expect(notebook.cells).toHaveLength(before.cells.length);
  });

  it("rejects unknown names, listing the valid ones", () => {
    const run = () =>
      injectParameters(load("directive-parameters.ipynb"), [parseParameterArgument("epoch=3")], "train.ipynb");
    expect(run).toThrow(ParameterError);
    expect(run).toThrow(
      "unknown parameter `epoch` for train.ipynb; its parameters cell (cell 1) declares: epochs, learningRate, features, runName",
    );
  });

  it("cannot be missing when parameters are given", () => {
    expect(() => injectParameters(load("fails-in-cell-3.ipynb"), [parseParameterArgument("a=1")])).toThrow(
      /has no parameters cell/,
    );
    expect(injectParameters(load("fails-in-cell-3.ipynb"), [])).toEqual(load("fails-in-cell-3.ipynb"));
  });
});
