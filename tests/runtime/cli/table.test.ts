// Terminal tables and durations as `cellforge runs` prints them.
import { expect, it } from "vitest";
import { formatDuration, renderPairs, renderTable } from "../../../runtime/cli/table.ts";

it("rounds a duration before choosing its unit, so the carry is never shown as 60", () => {
  expect(formatDuration(840)).toBe("840 ms");
  expect(formatDuration(999.6)).toBe("1.00 s");
  expect(formatDuration(2410)).toBe("2.41 s");
  expect(formatDuration(59_999)).toBe("1 min 00 s");
  expect(formatDuration(119_600)).toBe("2 min 00 s");
  expect(formatDuration(185_000)).toBe("3 min 05 s");
  expect(formatDuration(7_380_000)).toBe("2 h 03 min");
});

it("aligns columns by what the terminal shows: a wide character takes two columns", () => {
  const table = renderTable(
    ["name", "accuracy"],
    [
      ["ピカチュウ", "0.91"],
      ["Pikachu", "0.9"],
    ],
    true,
  );
  const [header, first, second] = table.split("\n");
  // Every row's second column ends in the same terminal column.
  const endOf = (line: string) => line.length + [...line].filter((c) => /\p{Script=Katakana}/u.test(c)).length;
  expect(endOf(first!)).toBe(endOf(header!));
  expect(endOf(second!)).toBe(endOf(header!));
  expect(
    renderPairs([
      ["種族", "pikachu"],
      ["type", "electric"],
    ]),
  ).toBe("  種族  pikachu\n  type  electric");
});
