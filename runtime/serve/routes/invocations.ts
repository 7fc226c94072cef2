/** POST /invocations: MLflow's scoring protocol (dataframe_split, dataframe_records, instances, inputs, or a CSV body → {"predictions": [...]}). */
import { errorCodes, type FastifyPluginAsync } from "fastify";
import type { Readable } from "node:stream";
import type { Batcher } from "../batcher.ts";
import { csvRowsInTurns } from "../csv-input.ts";
import { SpooledCsv, spoolCsv } from "../csv-spool.ts";
import { scoreCsvStream, STREAM_TYPES, streamFormat } from "../csv-stream.ts";
import type { ServedContract, ValidatedRows } from "../served-contract.ts";
import type { ServedModel } from "../served-model.ts";
import { PredictionsAnswer } from "../json-answer.ts";
import { mlflowRowsInTurns } from "../mlflow-input.ts";
import { validateRowsInTurns } from "../row-validation.ts";
import { MODEL_VERSION_HEADER, REQUEST_ID, type ServingSchemas } from "../schemas.ts";
import { admission } from "./admission.ts";
import { errorResponses, requestBodyDocs } from "./docs-schemas.ts";

const JSON_TYPE = "application/json; charset=utf-8";

/** A text/csv body, as the content-type parser hands it over. */
class CsvText {
  constructor(readonly text: string) {}
}

/** What the route needs. */
export interface InvocationsRouteOptions {
  batcher: Batcher;
  schemas: ServingSchemas;
  /** The contract of the version served now. */
  contract: () => ServedContract;
  /** The model served now: a request is predicted by the version it was validated for. */
  served: () => ServedModel | undefined;
  /** body_limit_bytes: a CSV body read whole may have this many bytes, a streamed one STREAM_BODY_LIMIT_FACTOR times more. */
  bodyLimit: number;
}

/** How many times body_limit_bytes a streamed CSV body may have (1 GiB by default): enough for millions of rows, not a full disk. */
export const STREAM_BODY_LIMIT_FACTOR = 64;

/** The body as text, refusing more than `limit` bytes as Fastify does for the bodies it reads itself. */
async function readText(payload: NodeJS.ReadableStream, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of payload as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > limit) {
      (payload as Readable).destroy();
      throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Registers POST /invocations. */
export const invocationsRoute: FastifyPluginAsync<InvocationsRouteOptions> = async (
  app,
  { batcher, schemas, contract, served, bodyLimit },
) => {
  const streamBodyLimit = STREAM_BODY_LIMIT_FACTOR * bodyLimit;
  const streams = new WeakMap<object, Readable>();
  /** The version each request started on. */
  const pinned = new WeakMap<object, ServedModel>();
  const record = { $ref: `${REQUEST_ID}#` };
  const columns = schemas.fields;
  const documentedBody = {
    type: "object",
    description: `Exactly one of the MLflow input formats. Positional rows list values in the order ${columns.join(", ")}.`,
    oneOf: [
      {
        title: "dataframe_split",
        type: "object",
        properties: {
          dataframe_split: {
            type: "object",
            properties: {
              columns: { type: "array", items: { type: "string" } },
              data: { type: "array", items: { type: "array" } },
            },
            required: ["columns", "data"],
          },
        },
        required: ["dataframe_split"],
      },
      {
        title: "dataframe_records",
        type: "object",
        properties: { dataframe_records: { type: "array", items: record } },
        required: ["dataframe_records"],
      },
      {
        title: "instances",
        type: "object",
        properties: { instances: { type: "array", items: record } },
        required: ["instances"],
      },
      {
        title: "inputs",
        type: "object",
        properties: {
          inputs: {
            oneOf: [
              { type: "array", items: record },
              { type: "object", additionalProperties: { type: "array" } },
            ],
          },
        },
        required: ["inputs"],
      },
    ],
  };
  const csvBody = {
    type: "string",
    description: `A header row of column names (${columns.join(", ")}), then one row per record, as pandas' to_csv writes them: an empty cell is null, a list is JSON or a Python list.`,
  };
  const schema = {
    summary: "Predict a batch, MLflow scoring-server style",
    description:
      'Compatible with `mlflow models serve`: send one of `dataframe_split`, `dataframe_records`, `instances` or `inputs` as `application/json`, or a CSV table as `text/csv`; the answer is `{"predictions": [...]}`. ' +
      "Large batches are split into model calls of max_batch_size rows.",
    tags: ["predict"],
    // The rows, once read out of whichever MLflow envelope carried them (see preValidation).
    body: schemas.batchRequest,
    response: {
      200: { ...schemas.batchResponse, description: "One prediction per row, in order." },
      ...errorResponses(schemas),
    },
  };
  // CSV for this route only: /predict stays JSON.
  // Wrapped, so that a JSON string body is never mistaken for CSV.
  // Asked for a streamed answer (Accept: application/x-ndjson or text/csv), a CSV body of any length is spooled to
  // disk and scored block by block (csv-stream.ts); otherwise it is read whole, within body_limit_bytes.
  app.addContentTypeParser("text/csv", (request, payload, done) => {
    if (streamFormat(request.headers.accept) !== undefined) {
      spoolCsv(payload, streamBodyLimit).then(
        (spooled) => done(null, spooled),
        (error: Error) => done(error, undefined),
      );
      return;
    }
    readText(payload, bodyLimit).then(
      (text) => {
        request.bodyReceivedAt = performance.now();
        done(null, new CsvText(text));
      },
      (error: Error) => done(error, undefined),
    );
  });
  app.post(
    "/invocations",
    {
      schema,
      config: {
        rowNaming: "row",
        mlflowErrors: true,
        swaggerTransform: requestBodyDocs({
          content: { "application/json": { schema: documentedBody }, "text/csv": { schema: csvBody } },
        }),
      },
      onRequest: admission(batcher),
      // dataframe_split's positional data cannot be checked against a per-record schema, so every
      // format is first read as rows, and the rows are validated by Fastify's Ajv as for /predict.
      // Callback style, as every per-request hook here: an async hook costs a promise per request.
      preValidation: (request, reply, done) => {
        const body = request.body;
        if (body instanceof SpooledCsv) {
          void reply.header(MODEL_VERSION_HEADER, contract().label);
          const text = body.open();
          reply.raw.once("close", () => text.destroy());
          streams.set(request, text);
          request.body = { instances: [] };
          done();
          return;
        }
        // The version served now reads, validates, predicts and answers the request, even if a reload comes
        // meanwhile: a big one's rows are read and validated a piece per turn of the event loop (so that /health and
        // small /predict requests are answered between pieces), and it is held until the answer is sent.
        const model = served();
        const current = model?.contract ?? contract();
        void reply.header(MODEL_VERSION_HEADER, current.label);
        if (model !== undefined) {
          reply.raw.once("close", model.hold());
          pinned.set(request, model);
        }
        const { request: record, fields } = current.schemas;
        const rows =
          body instanceof CsvText
            ? csvRowsInTurns(body.text, record, { maxRows: batcher.maxRequestRows })
            : mlflowRowsInTurns(body, fields);
        rows
          .then((instances) => {
            const refusal = batcher.rowLimitRefusal(instances.length);
            if (refusal !== undefined) throw refusal;
            return validateRowsInTurns(instances, current);
          })
          .then(
            (validated) => {
              request.body = validated;
              done();
            },
            (error: Error) => done(error),
          );
      },
    },
    async (request, reply) => {
      const text = streams.get(request);
      const format = streamFormat(request.headers.accept);
      if (text !== undefined && format !== undefined) {
        // The whole table is scored by the version it started on, kept until the answer ends.
        const model = served();
        const release = model?.hold();
        if (release !== undefined) reply.raw.once("close", release);
        const answer = await scoreCsvStream({
          text,
          format,
          contract: model?.contract ?? contract(),
          batcher,
          requester: request.raw.socket,
          target: model,
        });
        return reply.type(STREAM_TYPES[format]).send(answer);
      }
      const { instances } = request.body as ValidatedRows;
      // Written as the model returned them, as MLflow's scoring server writes a pyfunc's output (float32 numbers in
      // their own digits, json-bytes.ts), while the rest is predicted (json-answer.ts); the batcher has checked every
      // number is finite.
      const answer = new PredictionsAnswer();
      const predictions = await batcher.submit(
        instances,
        request.raw.socket,
        request.bodyReceivedAt,
        pinned.get(request) ?? served(),
        answer.predicted,
      );
      return reply.type(JSON_TYPE).send(await answer.finish(predictions));
    },
  );
};
