/** The Jupyter connection file: five free TCP ports and a random HMAC key, in a private temp folder. */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What a kernel needs to bind its sockets (jupyter_client's connection file format). */
export interface ConnectionInfo {
  transport: "tcp";
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: "hmac-sha256";
  kernel_name: string;
}

/** A connection file on disk; `remove()` deletes its folder. */
export interface ConnectionFile {
  path: string;
  info: ConnectionInfo;
  remove(): Promise<void>;
}

const LOOPBACK = "127.0.0.1";

/** Asks the OS for `count` distinct free ports, holding them all open so none repeats. */
async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  try {
    return await Promise.all(
      servers.map(
        (server) =>
          new Promise<number>((resolve, reject) => {
            server.once("error", reject);
            server.listen(0, LOOPBACK, () => {
              const address = server.address();
              if (address === null || typeof address === "string") reject(new Error("no TCP address"));
              else resolve(address.port);
            });
          }),
      ),
    );
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

/** Writes a fresh connection file (mode 0600) into a new folder under `parentDir` (default: the OS temp dir). */
export async function createConnectionFile(parentDir: string = tmpdir()): Promise<ConnectionFile> {
  const [shell, iopub, stdin, control, hb] = await freePorts(5);
  if (shell === undefined || iopub === undefined || stdin === undefined || control === undefined || hb === undefined) {
    throw new Error("expected five ports");
  }
  const info: ConnectionInfo = {
    transport: "tcp",
    ip: LOOPBACK,
    shell_port: shell,
    iopub_port: iopub,
    stdin_port: stdin,
    control_port: control,
    hb_port: hb,
    key: randomBytes(32).toString("hex"),
    signature_scheme: "hmac-sha256",
    kernel_name: "cellforge-tslab",
  };
  const dir = await mkdtemp(join(parentDir, "cellforge-kernel-"));
  const path = join(dir, "connection.json");
  await writeFile(path, JSON.stringify(info, null, 2), { mode: 0o600 });
  return { path, info, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The ZeroMQ endpoint of one of the kernel's ports. */
export function endpoint(info: ConnectionInfo, port: number): string {
  return `${info.transport}://${info.ip}:${port}`;
}
