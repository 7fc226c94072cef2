/**
 * Spools a streamed CSV body to a temp file as fast as it arrives: the request is then complete
 * (Node's request timeout counts until the last byte is read) while scoring proceeds at the model's
 * pace, and memory holds only a socket buffer. The file is unlinked as soon as it is opened for
 * reading, so nothing is left behind whatever becomes of the request.
 */
import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream, openSync, rmSync, unlinkSync, type ReadStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ServeError } from "./errors.ts";

/** A streamed CSV body bigger than stream_body_limit allows. */
export class StreamTooLargeError extends ServeError {
  constructor(limit: number) {
    super(
      "BODY_TOO_LARGE",
      `A streamed CSV body may have at most ${limit} bytes; split the file and send the parts one after the other.`,
      413,
    );
  }
}

/** A body spooled to a file, read once. */
export class SpooledCsv {
  constructor(readonly path: string) {}

  /** Opens the file for reading and unlinks it (the open file stays readable until the stream closes). */
  open(): ReadStream {
    const fd = openSync(this.path, "r");
    unlinkSync(this.path);
    return createReadStream("", { fd, encoding: "utf8", highWaterMark: 64 * 1024 });
  }
}

/** Writes `body` to a new temp file, refusing more than `limit` bytes. */
export async function spoolCsv(body: NodeJS.ReadableStream, limit: number): Promise<SpooledCsv> {
  const path = join(tmpdir(), `cellforge-csv-${randomUUID()}.csv`);
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback(bytes > limit ? new StreamTooLargeError(limit) : null, chunk);
    },
  });
  try {
    await pipeline(body, counter, createWriteStream(path, { flags: "wx", mode: 0o600 }));
  } catch (error) {
    rmSync(path, { force: true });
    throw error;
  }
  return new SpooledCsv(path);
}
