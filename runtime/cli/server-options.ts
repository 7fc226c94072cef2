/** What the commands that start a server (serve, start, ui) read alike: --port and --host, and the environment's admin token and log level. */
import { UsageError } from "./command.ts";
import { stringOption, type Parsed } from "./options.ts";

/** The server settings of the command line, the admin token and Fastify's logger. */
export interface ServerOptions {
  /** --port and --host, over serving.yml. */
  settings: { port?: number; host?: string };
  /** CELLFORGE_ADMIN_TOKEN; unset when empty. */
  adminToken: string | undefined;
  /** CELLFORGE_LOG_LEVEL (default warn). */
  logger: { level: string };
}

/** Reads --port (0–65535; 0 picks a free one) and --host from `parsed`, and the server's environment variables. */
export function serverOptions(parsed: Parsed): ServerOptions {
  const portText = stringOption(parsed, "port");
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535))
    throw new UsageError(`--port expects a port number (0–65535), not \`${portText}\`.`);
  const host = stringOption(parsed, "host");
  const token = process.env["CELLFORGE_ADMIN_TOKEN"];
  return {
    settings: { ...(port === undefined ? {} : { port }), ...(host === undefined ? {} : { host }) },
    adminToken: token === "" ? undefined : token,
    logger: { level: process.env["CELLFORGE_LOG_LEVEL"] ?? "warn" },
  };
}
