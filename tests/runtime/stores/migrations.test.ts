// The embedded and the PostgreSQL store keep one schema history: the same numbered migrations, each saying the same,
// so a column added to one (a model version's predict parameters, say) cannot be missing from the other.
import { describe, expect, it } from "vitest";
import { postgresMigrations } from "../../../runtime/tracking/postgres-migrations.ts";
import { migrations as sqliteMigrations } from "../../../runtime/tracking/sqlite-migrations.ts";

describe("store migrations", () => {
  it("are the same numbered steps, with the same descriptions, on SQLite and PostgreSQL", () => {
    const steps = (list: typeof postgresMigrations): [number, string][] => list.map((m) => [m.version, m.description]);
    expect(steps(postgresMigrations)).toEqual(steps(sqliteMigrations));
  });
});
