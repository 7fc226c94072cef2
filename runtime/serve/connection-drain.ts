/**
 * The connections of an HTTP server, for a graceful stop: requests in flight (bodies still arriving
 * included) are answered, answers during the drain carry `Connection: close` (see server.ts), and a
 * keep-alive socket with no request is closed only once it has been quiet for a grace period, so
 * that a client sending its next request at the moment the stop begins is answered, not reset.
 * (Node's own server.close() destroys idle sockets at once, which races such a request.)
 */
import type { Server } from "node:http";
import type { Socket } from "node:net";

/** What is known of one connection. */
interface Connection {
  /** Requests received on it and not yet answered. */
  busy: number;
  /** When it last received bytes or finished an answer (performance.now()). */
  lastActive: number;
}

/** How often a drain looks for sockets quiet long enough to close. */
const SWEEP_MS = 50;

/** Tracks a server's connections and drains them on request. */
export class ConnectionDrain {
  private readonly connections = new Map<Socket, Connection>();
  private draining = false;

  constructor(server: Server) {
    server.on("connection", (socket: Socket) => {
      const connection: Connection = { busy: 0, lastActive: performance.now() };
      this.connections.set(socket, connection);
      if (this.draining) this.watch(socket, connection);
      socket.once("close", () => this.connections.delete(socket));
    });
    server.on("request", (request, response) => {
      const connection = this.connections.get(request.socket);
      if (connection === undefined) return;
      connection.busy++;
      response.once("close", () => {
        connection.busy--;
        connection.lastActive = performance.now();
      });
    });
  }

  /** Open connections. */
  get size(): number {
    return this.connections.size;
  }

  /** From now on: waits for every request to be answered and closes each socket once it has had no request for `idleGraceMs`; resolves when none is left. */
  drain(idleGraceMs: number): Promise<void> {
    this.draining = true;
    for (const [socket, connection] of this.connections) this.watch(socket, connection);
    return new Promise((resolve) => {
      const sweep = (): void => {
        const now = performance.now();
        for (const [socket, connection] of this.connections) {
          if (connection.busy === 0 && now - connection.lastActive >= idleGraceMs) socket.destroy();
        }
        if (this.connections.size === 0) resolve();
        else setTimeout(sweep, SWEEP_MS);
      };
      sweep();
    });
  }

  /** Counts bytes arriving on `socket` as activity: a request whose headers are still arriving is not idle. */
  private watch(socket: Socket, connection: Connection): void {
    socket.on("data", () => (connection.lastActive = performance.now()));
  }
}
