// One CSV reader and one cell-typing rule: the catalog, the UI's try-it sample and /invocations read a file the same way.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Catalog } from "../../../runtime/catalog/catalog.ts";
import type { JsonSchema } from "../../../runtime/pipeline/definition.ts";
import { csvRows } from "../../../runtime/serve/csv-input.ts";
import { cellValue, parseCsv, sampleRecord } from "../../../runtime/ui/sample-record.ts";

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "cellforge-csv-reader-"));
  mkdirSync(join(root, "data"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const schema: JsonSchema = {
  type: "object",
  properties: {
    name: { type: "string" },
    hp: { type: "number" },
    legendary: { type: "boolean" },
    abilities: { type: "array", items: { type: ["string", "null", "boolean"] } },
  },
  required: ["name", "hp", "legendary", "abilities"],
};

function write(name: string, text: string): string {
  const path = join(root, "data", name);
  writeFileSync(path, text);
  return path;
}

describe("a CSV file reads the same wherever it is read", () => {
  it("a byte-order mark is not part of the first column's name", async () => {
    const path = write("bom.csv", "\ufeffname,hp,legendary,abilities\nMew,100,true,['Synchronize']\n");
    expect(parseCsv("\ufeffname,hp\nMew,100\n")[0]).toEqual(["name", "hp"]);
    expect(sampleRecord({ bom: path }, schema, "Mew")?.record).toEqual({
      name: "Mew",
      hp: 100,
      legendary: true,
      abilities: ["Synchronize"],
    });
    const frame = (await new Catalog({ bom: { type: "csv", path: "data/bom.csv" } }, { root }).load("bom")) as {
      columns: string[];
    };
    expect(frame.columns).toEqual(["name", "hp", "legendary", "abilities"]);
  });

  it("a quoted value that never ends is an error naming its line, not a silently merged row", async () => {
    const text = 'name,hp\nMew,100\n"Mewtwo,106\nAbra,25\n';
    expect(() => parseCsv(text)).toThrow(/quoted value that never ends \(it opens on line 3\)/);
    expect(() => csvRows(text, schema)).toThrow(/quoted value that never ends \(it opens on line 3\)/);
    write("open.csv", text);
    await expect(new Catalog({ open: { type: "csv", path: "data/open.csv" } }, { root }).load("open")).rejects.toThrow(
      /data\/open\.csv.*quoted value that never ends \(it opens on line 3\)/s,
    );
  });

  it("1 and 0 are numbers, not booleans: a boolean field takes true or false", () => {
    expect(cellValue("1", { type: "boolean" })).toBeUndefined();
    expect(cellValue("0", { type: "boolean" })).toBeUndefined();
    expect(cellValue("TRUE", { type: "boolean" })).toBe(true);
    const [row] = csvRows("name,hp,legendary,abilities\nMew,100,1,[]\n", schema);
    expect(row?.["legendary"]).toBe("1");
  });

  it("None, True and False in a list cell read as pandas wrote them, the same in the sample and in /invocations", () => {
    const line = `Mew,100,false,"['Synchronize', None, True]"`;
    const path = write("lists.csv", `name,hp,legendary,abilities\n${line}\n`);
    const expected = { name: "Mew", hp: 100, legendary: false, abilities: ["Synchronize", null, true] };
    expect(sampleRecord({ lists: path }, schema, "Mew")?.record).toEqual(expected);
    expect(csvRows(`name,hp,legendary,abilities\n${line}\n`, schema)).toEqual([expected]);
  });
});
