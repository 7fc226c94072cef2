import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Kernel } from "../../../runtime/kernel/kernel-client.ts";
import type { JupyterMessage } from "../../../runtime/kernel/wire.ts";
import { kernelsUnder, tempRoot } from "./support.ts";

// One kernel for this file: these tests are about the protocol conversation, not start-up.
const root = tempRoot();
const cwd = mkdtempSync(join(root.path, "cwd-"));
let kernel: Kernel;

function collect(): { messages: JupyterMessage[]; onOutput: (message: JupyterMessage) => void } {
  const messages: JupyterMessage[] = [];
  return { messages, onOutput: (message) => messages.push(message) };
}

beforeAll(async () => {
  kernel = await Kernel.start({ cwd, tmpDir: root.path });
});
afterAll(async () => {
  await kernel.shutdown();
  expect(kernelsUnder(root.path)).toEqual([]);
  root.remove();
});
afterEach(() => {
  expect(kernel.process.hasExited).toBe(false);
});

describe("the patched tslab kernel over the Jupyter protocol", () => {
  it("says it is patched", () => {
    expect(kernel.info.implementation).toBe("tslab");
    expect(kernel.info.implementationVersion).toBe("1.0.22+cellforge.2");
    expect(kernel.info.protocolVersion).toBe("5.3");
  });

  it("sends an error message and an error reply with ename, evalue and traceback", async () => {
    const { messages, onOutput } = collect();
    const reply = await kernel.execute('const n: number = "x";', { onOutput });
    expect(reply.status).toBe("error");
    expect(reply.content).toMatchObject({
      ename: "TSError",
      evalue: "1:7 - Type 'string' is not assignable to type 'number'.",
    });
    expect(messages.map((m) => m.header.msg_type)).toEqual(["execute_input", "error"]);
  });

  it("aborts requests queued behind a failure, but runs one sent after the error reply", async () => {
    const results = await Promise.all([
      kernel.execute('throw new Error("first fails")', { onOutput: () => undefined }),
      kernel.execute("1", { onOutput: () => undefined }),
      kernel.execute("2", { onOutput: () => undefined }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["error", "aborted", "aborted"]);
    // Immediately after the error reply (tslab used to abort anything within 200 ms).
    const { messages, onOutput } = collect();
    const after = await kernel.execute('"runs"', { onOutput });
    expect(after.status).toBe("ok");
    expect(messages.at(-1)?.content["data"]).toEqual({ "text/plain": "'runs'" });
  });

  it("keeps working after files change on disk (tslab's pending-timer bug)", async () => {
    const failed = await kernel.execute('import * as later from "./later";', { onOutput: () => undefined });
    expect(failed.status).toBe("error");
    writeFileSync(join(cwd, "later.ts"), "export const x = 41;\n");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const { messages, onOutput } = collect();
    const reply = await kernel.execute('import * as later from "./later";\nlater.x + 1', { onOutput });
    expect(reply.status).toBe("ok");
    expect(messages.at(-1)?.content["data"]).toEqual({ "text/plain": "42" });
  });

  it("delivers thousands of separate display messages without loss", async () => {
    const { messages, onOutput } = collect();
    const code = 'import * as tslab from "tslab";\nfor (let i = 0; i < 5000; i++) tslab.display.text(String(i));';
    expect((await kernel.execute(code, { onOutput })).status).toBe("ok");
    const shown = messages
      .filter((m) => m.header.msg_type === "display_data")
      .map((m) => (m.content["data"] as { "text/plain": string })["text/plain"]);
    expect(shown).toEqual(Array.from({ length: 5000 }, (_, i) => String(i)));
  });

  it("updates a display in place through its display id", async () => {
    const { messages, onOutput } = collect();
    await kernel.execute(
      'import * as tslab from "tslab";\nconst d = tslab.newDisplay();\nd.text("one");\nd.text("two");',
      { onOutput },
    );
    expect(messages.map((m) => m.header.msg_type)).toEqual(["execute_input", "display_data", "update_display_data"]);
  });
});
