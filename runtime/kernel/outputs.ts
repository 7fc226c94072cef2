/** Turns the IOPub messages of one cell into nbformat outputs, as Jupyter front-ends do. */
import type { DisplayDataOutput, ErrorOutput, ExecuteResultOutput, MimeBundle, Output } from "@cellforge/contract";
import { isObject, type JsonObject, type JsonValue, type JupyterMessage, stringField } from "./wire.ts";

function asObject(value: JsonValue | undefined): JsonObject {
  return isObject(value) ? value : {};
}

function displayId(content: JsonObject): string | null {
  const id = asObject(content["transient"])["display_id"];
  return typeof id === "string" ? id : null;
}

/** Display ids across the whole run: `update_display_data` rewrites every output shown under its id. */
export class DisplayRegistry {
  private readonly byId = new Map<string, (DisplayDataOutput | ExecuteResultOutput)[]>();

  register(id: string, output: DisplayDataOutput | ExecuteResultOutput): void {
    const outputs = this.byId.get(id) ?? [];
    outputs.push(output);
    this.byId.set(id, outputs);
  }

  update(id: string, data: MimeBundle, metadata: JsonObject): void {
    for (const output of this.byId.get(id) ?? []) {
      output.data = data;
      output.metadata = metadata;
    }
  }
}

/** The outputs of one code cell, built message by message. */
export class CellOutputs {
  readonly outputs: Output[] = [];
  private clearBeforeNext = false;

  constructor(private readonly displays: DisplayRegistry) {}

  /** The cell's first error output, if it has one. */
  get error(): ErrorOutput | undefined {
    return this.outputs.find((output): output is ErrorOutput => output.output_type === "error");
  }

  /** All stderr text of the cell (to explain failures of kernels that send no error message). */
  get stderr(): string {
    return this.outputs
      .map((output) => (output.output_type === "stream" && output.name === "stderr" ? output.text : ""))
      .join("");
  }

  private push(output: Output): Output {
    if (this.clearBeforeNext) {
      this.outputs.length = 0;
      this.clearBeforeNext = false;
    }
    this.outputs.push(output);
    return output;
  }

  /** Applies one IOPub message; returns the output it added or extended, if any. */
  add(message: JupyterMessage): Output | null {
    const content = message.content;
    switch (message.header.msg_type) {
      case "stream": {
        const name = content["name"] === "stderr" ? "stderr" : "stdout";
        const text = typeof content["text"] === "string" ? content["text"] : "";
        const last = this.clearBeforeNext ? undefined : this.outputs.at(-1);
        if (last?.output_type === "stream" && last.name === name) {
          last.text += text;
          return last;
        }
        return this.push({ output_type: "stream", name, text });
      }
      case "display_data": {
        const output: DisplayDataOutput = {
          output_type: "display_data",
          data: asObject(content["data"]),
          metadata: asObject(content["metadata"]),
        };
        const id = displayId(content);
        if (id !== null) this.displays.register(id, output);
        return this.push(output);
      }
      case "update_display_data": {
        const id = displayId(content);
        if (id !== null) this.displays.update(id, asObject(content["data"]), asObject(content["metadata"]));
        return null;
      }
      case "execute_result": {
        const count = content["execution_count"];
        const output: ExecuteResultOutput = {
          output_type: "execute_result",
          execution_count: typeof count === "number" ? count : null,
          data: asObject(content["data"]),
          metadata: asObject(content["metadata"]),
        };
        const id = displayId(content);
        if (id !== null) this.displays.register(id, output);
        return this.push(output);
      }
      case "error": {
        const traceback = content["traceback"];
        return this.push({
          output_type: "error",
          ename: stringField(content, "ename", "Error"),
          evalue: stringField(content, "evalue"),
          traceback: Array.isArray(traceback) ? traceback.map(String) : [],
        });
      }
      case "clear_output":
        if (content["wait"] === true) this.clearBeforeNext = true;
        else this.outputs.length = 0;
        return null;
      default:
        // execute_input, comm messages and the like leave no output.
        return null;
    }
  }

  /** Appends an error output the kernel did not send itself (timeout, kernel death, interruption). */
  addError(error: ErrorOutput): void {
    this.push(error);
  }
}
