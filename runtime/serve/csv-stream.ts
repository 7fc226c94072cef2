/**
 * Scores a CSV table of any length as a stream: the body (spooled to a temp file as it arrives, so
 * the request is read at network speed and never held in memory) is read in blocks of whole records,
 * each block is typed, validated, predicted through the batcher like any request, and its
 * predictions are written out while the next block is predicted — NDJSON (one prediction per line) or
 * CSV (one row per prediction), as the client's Accept header asks. Memory stays bounded by two blocks.
 *
 * An error in the first block (a bad header, a bad row) is an ordinary 4xx answer. Once predictions
 * have been sent, the status is 200: NDJSON then ends with one error line
 * (`{"error": ..., "message": ..., "row": n}`) after the rows before it; CSV has no way to say so in
 * band, so the answer is cut off without its final chunk, which HTTP clients report as an error.
 */
import type { Readable } from "node:stream";
import { Readable as ReadableStream } from "node:stream";
import type { JsonSchema } from "../pipeline/definition.ts";
import type { Batcher, Requester } from "./batcher.ts";
import { csvRecordBlocks } from "./csv-input.ts";
import { JsonBytes, numberText } from "./json-bytes.ts";
import { OverloadedError, ServeError } from "./errors.ts";
import type { ServedContract } from "./served-contract.ts";
import { shiftedIssues, validationProblem } from "./validation-problem.ts";

/** The streamed answer formats, by media type. */
export const STREAM_TYPES = {
  ndjson: "application/x-ndjson",
  csv: "text/csv; charset=utf-8",
} as const;

/** Which streamed format an Accept header asks for, if any (NDJSON for application/x-ndjson or application/jsonl, CSV for text/csv). */
export function streamFormat(accept: string | undefined): keyof typeof STREAM_TYPES | undefined {
  for (const part of (accept ?? "").split(",")) {
    const type = part.split(";")[0]!.trim().toLowerCase();
    if (type === "application/x-ndjson" || type === "application/jsonl") return "ndjson";
    if (type === "text/csv") return "csv";
  }
  return undefined;
}

/** A CSV cell: quoted when it holds a comma, quote or line break. */
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text =
    typeof value === "string"
      ? value
      : typeof value === "number"
        ? numberText(value)
        : typeof value === "boolean"
          ? String(value)
          : (JSON.stringify(value) ?? "");
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The CSV columns of a prediction: its schema's fields, an object field with declared fields spread as `field.sub`; `prediction` for a scalar. */
export function predictionColumns(outputSchema: JsonSchema): { header: string; line: (prediction: unknown) => string } {
  const properties = outputSchema["properties"] as Record<string, JsonSchema> | undefined;
  if (properties === undefined) return { header: "prediction", line: (p) => csvCell(p) };
  const paths: [string, string | undefined][] = [];
  for (const [name, field] of Object.entries(properties)) {
    const inner = field["properties"] as Record<string, JsonSchema> | undefined;
    if (inner === undefined) paths.push([name, undefined]);
    else for (const sub of Object.keys(inner)) paths.push([name, sub]);
  }
  return {
    header: paths.map(([name, sub]) => csvCell(sub === undefined ? name : `${name}.${sub}`)).join(","),
    line: (prediction) => {
      const record = prediction as Record<string, unknown>;
      return paths
        .map(([name, sub]) =>
          csvCell(sub === undefined ? record[name] : (record[name] as Record<string, unknown>)?.[sub]),
        )
        .join(",");
    },
  };
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What a streamed scoring needs. */
export interface CsvStreamOptions {
  /** The body's text, in order. */
  text: AsyncIterable<string>;
  format: keyof typeof STREAM_TYPES;
  /** The served version's contract the request started on. */
  contract: ServedContract;
  /** Predicts a block; the batcher's refusals when it is busy are waited out. */
  batcher: Batcher;
  requester: Requester | undefined;
  /** The model version that predicts every block. */
  target: unknown;
}

/** Submits a block to the batcher, waiting while the server is at capacity (other clients' rows come first). */
async function predictBlock(
  batcher: Batcher,
  rows: unknown[],
  requester: Requester | undefined,
  target: unknown,
): Promise<unknown[]> {
  for (let waited = 0; ; waited += 50) {
    try {
      return await batcher.submit(rows, requester, undefined, target);
    } catch (error) {
      if (!(error instanceof OverloadedError) || waited > 60_000) throw error;
      await pause(50);
    }
  }
}

/**
 * The answer to a streamed CSV scoring request: resolves once the first block is predicted (so that
 * its errors are ordinary 4xx answers), then streams the rest.
 */
export async function scoreCsvStream(options: CsvStreamOptions): Promise<Readable> {
  const { format, contract, batcher, requester, target } = options;
  const { request: schema, fields, batchRequest } = contract.schemas;
  const validate = contract.validator(batchRequest);
  const output = predictionColumns(contract.version.outputSchema);
  let row = 0;
  let started = format === "ndjson";

  /** One block's answer lines (after the CSV header, the first time). */
  function answerLines(predictions: readonly unknown[]): Buffer {
    const out = new JsonBytes(predictions.length * 256);
    if (!started) {
      out.text(output.header + "\n");
      started = true;
    }
    for (const prediction of predictions) {
      if (format === "ndjson") out.value(prediction);
      else out.text(output.line(prediction));
      out.ascii("\n");
    }
    row += predictions.length;
    return out.bytes();
  }

  async function* pieces(): AsyncGenerator<string | Buffer> {
    /** Rows read so far (`row` counts those answered). */
    let readRows = 0;
    // The block being predicted while the next one is read: with the model on its own thread, reading and answering
    // overlap the model's work.
    let predicting: Promise<unknown[]> | undefined;
    for await (const instances of csvRecordBlocks(options.text, schema)) {
      if (!validate({ instances })) {
        // Paths name rows of this block: shift them to rows of the whole table.
        const first = readRows;
        const issues = shiftedIssues(validate.errors ?? [], first);
        if (predicting !== undefined) yield answerLines(await predicting); // the rows before it are answered
        const rows = Object.fromEntries(instances.map((record, i) => [first + i, record]));
        throw validationProblem(issues, { instances: rows }, "row", fields);
      }
      readRows += instances.length;
      const next = predictBlock(batcher, instances, requester, target);
      next.catch(() => undefined); // awaited in turn below; a failure meanwhile is not unhandled
      if (predicting !== undefined) yield answerLines(await predicting);
      predicting = next;
    }
    if (predicting !== undefined) yield answerLines(await predicting);
    if (!started) yield output.header + "\n";
  }

  const source = pieces();
  const first = await source.next(); // errors here are the request's 4xx
  async function* rest(): AsyncGenerator<string | Buffer> {
    if (first.done !== true) yield first.value;
    try {
      for (;;) {
        const next = await source.next();
        if (next.done === true) return;
        yield next.value;
      }
    } catch (error) {
      if (format === "csv") throw error;
      const serve = error instanceof ServeError ? error : undefined;
      yield (
        JSON.stringify({
          error: serve?.code ?? "STREAM_FAILED",
          message: error instanceof Error ? error.message : String(error),
          row,
        }) + "\n"
      );
    }
  }
  return ReadableStream.from(rest(), { objectMode: false });
}
