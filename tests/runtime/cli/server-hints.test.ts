// What a user is told when a server cannot start or a page is not there: a taken port names --port, and /ui on a
// server started without the web UI names `cellforge ui` and `npm start`.
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSession } from "../../../runtime/session/run-session.ts";
import { ModelServer } from "../../../runtime/serve/model-server.ts";
import { createProject, type FixtureProject } from "../fixture-project.ts";

describe("server hints", () => {
  let project: FixtureProject;
  let taken: Server;
  let port: number;
  beforeAll(async () => {
    project = createProject(["train"]);
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    port = (taken.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => taken.close(resolve));
    project.remove();
  });

  it("a taken port says so and names --port, instead of a bare EADDRINUSE", async () => {
    const { code, stderr } = await project.cli(["ui", "--port", String(port)]);
    expect(code).toBe(1);
    expect(stderr).toContain(`127.0.0.1:${port} is already in use`);
    expect(stderr).toContain(`--port ${port + 1}`);
    expect(stderr).toContain(`npm start -- --port ${port + 1}`);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  }, 60_000);

  it("/ui on a server without the web UI names the commands that serve it", async () => {
    process.env["CELLFORGE_TF_BACKEND"] = "wasm";
    await runSession({ cwd: project.root, pipeline: "train", write: () => undefined });
    const server = await ModelServer.open({ cwd: project.root });
    try {
      await server.load();
      for (const url of ["/ui", "/ui/runs"]) {
        const response = await server.app.inject({ method: "GET", url });
        expect(response.statusCode).toBe(404);
        expect(response.json<{ message: string }>().message).toContain("`cellforge ui`");
        expect(response.json<{ message: string }>().message).toContain("`npm start`");
      }
      const other = await server.app.inject({ method: "GET", url: "/nope" });
      expect(other.json<{ message: string }>().message).not.toContain("cellforge ui");
    } finally {
      await server.close();
    }
  }, 120_000);
});
