/** Jupyter messaging protocol v5.3 on the wire: multipart frames, HMAC-SHA256 signatures. */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { KernelProtocolError } from "./errors.ts";

/** A JSON value as it travels in a message. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object: message contents, metadata, mime bundles. */
export type JsonObject = { [key: string]: JsonValue };

/** The header every message carries. */
export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

/** A decoded message; `parent_header` is `{}` when the message answers nothing. */
export interface JupyterMessage {
  identities: Buffer[];
  header: MessageHeader;
  parent_header: Partial<MessageHeader>;
  metadata: JsonObject;
  content: JsonObject;
  buffers: Buffer[];
}

export const PROTOCOL_VERSION = "5.3";
const DELIMITER = Buffer.from("<IDS|MSG>");

/** Builds a request from this client's session. */
export function createMessage(session: string, msgType: string, content: JsonObject): JupyterMessage {
  return {
    identities: [],
    header: {
      msg_id: randomUUID(),
      session,
      username: "cellforge",
      date: new Date().toISOString(),
      msg_type: msgType,
      version: PROTOCOL_VERSION,
    },
    parent_header: {},
    metadata: {},
    content,
    buffers: [],
  };
}

/** A string field of a message or notebook object, or `fallback` when it is missing or not a string. */
export function stringField(object: JsonObject, key: string, fallback = ""): string {
  const value = object[key];
  return typeof value === "string" ? value : fallback;
}

/** Whether a parsed JSON value is an object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseObject(frame: Buffer, what: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(frame.toString("utf8"));
  } catch {
    throw new KernelProtocolError(`the kernel sent a message whose ${what} is not JSON`);
  }
  if (!isObject(value)) throw new KernelProtocolError(`the kernel sent a message whose ${what} is not an object`);
  return value;
}

function isHeader(value: JsonObject): value is JsonObject & MessageHeader {
  return typeof value["msg_id"] === "string" && typeof value["msg_type"] === "string";
}

/** Signs and verifies messages with the connection file's key. */
export class MessageCodec {
  constructor(private readonly key: string) {}

  private sign(parts: readonly (string | Buffer)[]): string {
    if (this.key === "") return "";
    const hmac = createHmac("sha256", this.key);
    for (const part of parts) hmac.update(part);
    return hmac.digest("hex");
  }

  /** The frames to send: identities, delimiter, signature, header, parent, metadata, content, buffers. */
  encode(message: JupyterMessage): Buffer[] {
    const parts = [
      JSON.stringify(message.header),
      JSON.stringify(message.parent_header),
      JSON.stringify(message.metadata),
      JSON.stringify(message.content),
    ];
    return [
      ...message.identities,
      DELIMITER,
      Buffer.from(this.sign(parts)),
      ...parts.map((part) => Buffer.from(part)),
      ...message.buffers,
    ];
  }

  /** Parses received frames and checks their signature; throws KernelProtocolError on anything malformed. */
  decode(frames: readonly Buffer[]): JupyterMessage {
    const at = frames.findIndex((frame) => frame.equals(DELIMITER));
    if (at < 0) throw new KernelProtocolError("the kernel sent a message without the <IDS|MSG> delimiter");
    const signature = frames[at + 1];
    const [header, parent, metadata, content] = frames.slice(at + 2, at + 6);
    if (
      signature === undefined ||
      header === undefined ||
      parent === undefined ||
      metadata === undefined ||
      content === undefined
    ) {
      throw new KernelProtocolError("the kernel sent a message with missing frames");
    }
    const expected = Buffer.from(this.sign([header, parent, metadata, content]));
    if (expected.length !== signature.length || !timingSafeEqual(expected, signature)) {
      throw new KernelProtocolError(
        "the kernel sent a message with a bad HMAC signature (wrong key in the connection file?)",
      );
    }
    const headerObject = parseObject(header, "header");
    if (!isHeader(headerObject))
      throw new KernelProtocolError("the kernel sent a message header without msg_id/msg_type");
    const parentObject = parseObject(parent, "parent header");
    return {
      identities: frames.slice(0, at),
      header: headerObject,
      parent_header: isHeader(parentObject) ? parentObject : {},
      metadata: parseObject(metadata, "metadata"),
      content: parseObject(content, "content"),
      buffers: frames.slice(at + 6),
    };
  }
}
