// Cell directives as users write them: tags and `//| ` lines, unknown and conflicting ones.
import { describe, expect, it } from "vitest";
import { cellDirectives, notebookDirectives, parseNotebook, type NotebookCell } from "@cellforge/contract";

function code(source: string, tags: string[] = [], number = 1): NotebookCell {
  return { number, type: "code", source, tags };
}

function notebook(cells: Array<{ cell_type: string; source: string; tags?: string[] }>) {
  return parseNotebook(
    {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: cells.map(({ tags, ...cell }) => ({ ...cell, metadata: tags === undefined ? {} : { tags } })),
    },
    "notebooks/demo.ipynb",
  );
}

describe("cellDirectives", () => {
  it("reads the same directives from tags and from `//| ` lines", () => {
    const tagged = cellDirectives(code("const x = 1;", ["node:clean", "save: x"]));
    const commented = cellDirectives(code("//| node: clean\n//| save: x\nconst x = 1;"));
    for (const result of [tagged, commented]) {
      expect(result.role).toBe("node");
      expect(result.nodeName).toBe("clean");
      expect(result.save).toEqual(["x"]);
      expect(result.errors).toEqual([]);
    }
    expect(commented.directiveLines).toEqual([1, 2]);
  });

  it("gives every role and modifier", () => {
    for (const role of ["parameters", "load", "node", "export", "predict"] as const) {
      expect(cellDirectives(code(`//| ${role}\nconst a = 1;`)).role).toBe(role);
    }
    expect(cellDirectives(code("const a = 1;")).role).toBe("exploration");
    expect(cellDirectives(code("", ["skip"]))).toMatchObject({ role: "exploration", skip: true });
    expect(cellDirectives(code("//| metrics\nconst a = 1;"))).toMatchObject({ role: "node", metrics: true });
    expect(cellDirectives(code("//| save model, names\n")).save).toEqual(["model", "names"]);
  });

  it("ignores tags of other tools but flags near misses with a suggestion", () => {
    expect(cellDirectives(code("1", ["hide-input", "injected-parameters"])).errors).toEqual([]);
    const [error] = cellDirectives(code("1", ["paramters"])).errors;
    expect(error?.code).toBe("unknown-directive");
    expect(error?.message).toBe(
      "cell 1, tag `paramters`: unknown directive tag `paramters`: did you mean `parameters`?",
    );
  });

  it("rejects unknown comment directives with the line and a did-you-mean", () => {
    const [error] = cellDirectives(code("//| node\n//| metric\nconst a = 1;", [], 4)).errors;
    expect(error?.message).toBe("cell 4, line 2: unknown directive `//| metric`: did you mean `metrics`?");
  });

  it("rejects conflicting roles, skip with others, and two names", () => {
    expect(cellDirectives(code("//| load\n//| node\n")).errors[0]?.message).toContain(
      "the cell is both `load` and `node`, but a cell has one role: split it into two cells.",
    );
    expect(cellDirectives(code("//| skip\n", ["node"])).errors[0]?.code).toBe("conflicting-directives");
    expect(cellDirectives(code("//| node: a\n", ["node:b"])).errors[0]?.message).toContain("already names it `b`");
    expect(cellDirectives(code("//| parameters\n//| save: a\n")).errors[0]?.message).toContain(
      "`save` applies to node cells",
    );
  });

  it("rejects a directive comment below code and bad arguments", () => {
    expect(cellDirectives(code("const a = 1;\n//| node\n")).errors[0]?.code).toBe("misplaced-directive");
    expect(cellDirectives(code("//| node: 1st\n")).errors[0]?.code).toBe("invalid-argument");
    expect(cellDirectives(code("//| save\n")).errors[0]?.code).toBe("invalid-argument");
    expect(cellDirectives(code("//| load: x\n")).errors[0]?.message).toContain("`load` takes no argument");
  });
});

describe("notebookDirectives", () => {
  it("names nodes after the nearest heading and numbers every cell", () => {
    const result = notebookDirectives(
      notebook([
        { cell_type: "markdown", source: "# Training\n## Clean the Pokémon data" },
        { cell_type: "code", source: "//| node\nconst a = 1;" },
        { cell_type: "markdown", source: "Some prose without a heading." },
        { cell_type: "code", source: "const b = a;", tags: ["node"] },
      ]),
    );
    expect(result.cells.map((c) => [c.cell, c.nodeName])).toEqual([
      [2, "clean-the-pokemon-data"],
      [4, "clean-the-pokemon-data"],
    ]);
    expect(result.errors.map((e) => e.message)).toEqual([
      "code cell 2: node name `clean-the-pokemon-data` is already used by code cell 1: node names are unique; give one of them another name with `node: NAME`.",
    ]);
  });

  it("asks for a name when no heading is above, and rejects names that collide as functions", () => {
    const result = notebookDirectives(
      notebook([
        { cell_type: "code", source: "//| node\n" },
        { cell_type: "code", source: "//| node: clean-data\n" },
        { cell_type: "code", source: "//| node: clean_data\n" },
      ]),
    );
    expect(result.errors.map((e) => e.code)).toEqual(["missing-node-name", "duplicate-node-name"]);
    expect(result.errors[1]?.message).toContain("both become `cleanData`");
  });

  it("names nodes after headings in any script, and says so when a heading has no letters", () => {
    const result = notebookDirectives(
      notebook([
        { cell_type: "markdown", source: "## Подготовка данных" },
        { cell_type: "code", source: "//| node\n" },
        { cell_type: "markdown", source: "## 训练" },
        { cell_type: "code", source: "//| node\n" },
        { cell_type: "markdown", source: "## 🚀" },
        { cell_type: "code", source: "//| node\n" },
      ]),
    );
    expect(result.cells.map((c) => c.nodeName)).toEqual(["подготовка-данных", "训练", undefined]);
    expect(result.errors.map((e) => e.message)).toEqual([
      "code cell 3: the node has no name, and the heading above it, `🚀`, has no letters to take one from: write `node: NAME` or give the heading a word.",
    ]);
  });

  it("rejects directive tags on markdown cells and a second predict cell", () => {
    const result = notebookDirectives(
      notebook([
        { cell_type: "markdown", source: "# A", tags: ["node"] },
        { cell_type: "code", source: "//| predict\n" },
        { cell_type: "code", source: "//| predict\n" },
      ]),
    );
    expect(result.errors.map((e) => e.code)).toEqual(["misplaced-directive", "duplicate-predict"]);
  });
});

describe("parseNotebook", () => {
  it("joins line arrays and rejects what is not nbformat 4", () => {
    const nb = parseNotebook(
      { nbformat: 4, metadata: {}, cells: [{ cell_type: "code", source: ["a\n", "b"], metadata: {} }] },
      "x.ipynb",
    );
    expect(nb.cells[0]).toEqual({
      number: 1,
      type: "code",
      source: "a\nb",
      tags: [],
      codeNumber: 1,
      executionCount: null,
    });
    expect(() => parseNotebook("{", "x.ipynb")).toThrow(/x\.ipynb: is not valid JSON/);
    expect(() => parseNotebook({ nbformat: 3, cells: [] }, "x.ipynb")).toThrow(
      expect.objectContaining({ code: "unsupported-format" }),
    );
  });
});
