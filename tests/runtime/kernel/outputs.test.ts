import { describe, expect, it } from "vitest";
import { CellOutputs, DisplayRegistry } from "../../../runtime/kernel/outputs.ts";
import { createMessage, type JsonObject } from "../../../runtime/kernel/wire.ts";

const message = (msgType: string, content: JsonObject) => createMessage("session", msgType, content);

describe("cell outputs from IOPub messages", () => {
  it("merges consecutive writes to one stream, keeps stdout/stderr interleaving", () => {
    const outputs = new CellOutputs(new DisplayRegistry());
    outputs.add(message("stream", { name: "stdout", text: "a\n" }));
    outputs.add(message("stream", { name: "stdout", text: "b\n" }));
    outputs.add(message("stream", { name: "stderr", text: "warn\n" }));
    outputs.add(message("stream", { name: "stdout", text: "c\n" }));
    expect(outputs.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "a\nb\n" },
      { output_type: "stream", name: "stderr", text: "warn\n" },
      { output_type: "stream", name: "stdout", text: "c\n" },
    ]);
    expect(outputs.stderr).toBe("warn\n");
  });

  it("updates displays by id across cells, and honours clear_output(wait)", () => {
    const displays = new DisplayRegistry();
    const first = new CellOutputs(displays);
    first.add(message("display_data", { data: { "text/plain": "0%" }, metadata: {}, transient: { display_id: "p" } }));
    const second = new CellOutputs(displays);
    second.add(
      message("update_display_data", { data: { "text/plain": "100%" }, metadata: {}, transient: { display_id: "p" } }),
    );
    expect(first.outputs).toEqual([{ output_type: "display_data", data: { "text/plain": "100%" }, metadata: {} }]);
    expect(second.outputs).toEqual([]);

    second.add(message("stream", { name: "stdout", text: "old\n" }));
    second.add(message("clear_output", { wait: true }));
    expect(second.outputs).toHaveLength(1);
    second.add(message("stream", { name: "stdout", text: "new\n" }));
    expect(second.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "new\n" }]);
  });

  it("keeps execute_result and error outputs as sent", () => {
    const outputs = new CellOutputs(new DisplayRegistry());
    outputs.add(message("execute_input", { code: "x", execution_count: 3 }));
    outputs.add(message("execute_result", { execution_count: 3, data: { "text/plain": "42" }, metadata: {} }));
    outputs.add(
      message("error", { ename: "TypeError", evalue: "boom", traceback: ["TypeError: boom", "    at cell"] }),
    );
    expect(outputs.outputs).toEqual([
      { output_type: "execute_result", execution_count: 3, data: { "text/plain": "42" }, metadata: {} },
      { output_type: "error", ename: "TypeError", evalue: "boom", traceback: ["TypeError: boom", "    at cell"] },
    ]);
    expect(outputs.error?.ename).toBe("TypeError");
  });
});
