// POST /invocations with text/csv answered as a stream (Accept: NDJSON or CSV), on a real socket with a real HTTP client.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelServer } from "../../../runtime/serve/model-server.ts";
import type { FixtureProject } from "../fixture-project.ts";
import { registeredProject } from "./registered-model.ts";

let project: FixtureProject;
let server: ModelServer;
let url: string;

beforeAll(async () => {
  project = await registeredProject();
  server = await ModelServer.open({ cwd: project.root, settings: { port: 0, host: "127.0.0.1" } });
  url = await server.listen();
  await server.load();
});

afterAll(async () => {
  await server.close();
  project.remove();
});

/** `rows` CSV rows of the fixture's two columns; the row at `bad` (if any) has text where a number belongs. */
function table(rows: number, bad?: number): string {
  const lines = ["x1,x2"];
  for (let i = 0; i < rows; i++) lines.push(i === bad ? "oops,0.5" : `${(i % 7) / 3 - 1},${(i % 5) / 2 - 1}`);
  return lines.join("\n") + "\n";
}

function score(body: string, accept: string) {
  return fetch(`${url}/invocations`, { method: "POST", headers: { "content-type": "text/csv", accept }, body });
}

describe("streamed CSV scoring", () => {
  it("answers NDJSON, one prediction per row in order, for a table bigger than one block", async () => {
    const response = await score(table(40_000), "application/x-ndjson");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-ndjson");
    const lines = (await response.text()).trimEnd().split("\n");
    expect(lines).toHaveLength(40_000);
    const buffered = await fetch(`${url}/invocations`, {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: table(40_000).split("\n").slice(0, 3).join("\n"),
    });
    const { predictions } = (await buffered.json()) as { predictions: unknown[] };
    // The same rows answer the same predictions streamed or not.
    expect(lines.slice(0, 2).map((line) => JSON.parse(line) as unknown)).toEqual(predictions);
  });

  it("answers CSV with a header when Accept asks for text/csv", async () => {
    const response = await score(table(3), "text/csv");
    expect(response.status).toBe(200);
    const [header, ...rows] = (await response.text()).trimEnd().split("\n");
    expect(header!.split(",").length).toBeGreaterThan(0);
    expect(rows).toHaveLength(3);
  });

  it("answers 400 naming the row when the first block has a bad row, and ends the stream with an error line for a later one", async () => {
    const early = await score(table(10, 4), "application/x-ndjson");
    expect(early.status).toBe(400);
    expect(((await early.json()) as { message: string }).message).toMatch(/row 4/);

    const late = await score(table(40_000, 39_000), "application/x-ndjson");
    expect(late.status).toBe(200);
    const lines = (await late.text()).trimEnd().split("\n");
    const last = JSON.parse(lines.at(-1)!) as { error: string; message: string; row: number };
    expect(last.error).toBe("INVALID_REQUEST");
    expect(last.message).toMatch(/row 39000/);
    // Every line before it is a prediction of a row before the failing block.
    expect(lines.length - 1).toBe(last.row);
    expect(last.row).toBeLessThanOrEqual(39_000);
  });
});
