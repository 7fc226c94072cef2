/** A Jupyter client for one tslab kernel: starts it, runs code on the shell channel, collects IOPub, shuts it down. */
import { randomUUID } from "node:crypto";
import { stat } from "node:fs/promises";
import * as zmq from "zeromq";
import { type ConnectionFile, createConnectionFile, endpoint } from "./connection-file.ts";
import {
  CellTimeoutError,
  KernelDiedError,
  KernelProtocolError,
  KernelStartError,
  RunInterruptedError,
  TslabNotPatchedError,
} from "./errors.ts";
import { describeExit, KernelProcess } from "./kernel-process.ts";
import { createMessage, isObject, type JsonObject, type JupyterMessage, MessageCodec, stringField } from "./wire.ts";

/** Where and how to start the kernel. */
export interface KernelStartOptions {
  /** The kernel's working directory: relative paths in cells resolve from here. */
  cwd: string;
  /** Parent folder of the connection file's temp folder (default: the OS temp dir). */
  tmpDir?: string;
  /** How long the kernel may take to answer its first kernel_info_request (default 60 s). */
  startTimeoutMs?: number;
  /** Aborting it stops the start and kills the kernel. */
  signal?: AbortSignal;
}

/** What the kernel says about itself (kernel_info_reply). */
export interface KernelInfo {
  implementation: string;
  implementationVersion: string;
  protocolVersion: string;
  languageInfo: JsonObject;
}

/** Options of one execution. */
export interface ExecuteOptions {
  /** Receives every IOPub message this request caused, except status messages, in order. */
  onOutput(message: JupyterMessage): void;
  /** Interrupt the cell, then fail with CellTimeoutError, after this long (default: no limit). */
  timeoutMs?: number;
  /** Aborting it fails the execution with RunInterruptedError at once. */
  signal?: AbortSignal;
}

/** The shell channel's execute_reply. */
export interface ExecuteReply {
  status: "ok" | "error" | "aborted";
  executionCount: number | null;
  content: JsonObject;
}

interface Pending {
  onReply(message: JupyterMessage): void;
  onIopub(message: JupyterMessage): void;
}

/** How long to wait, after a kernel_info_reply, for a status on IOPub proving our subscription is live. */
const IOPUB_PROBE_MS = 300;
/** With the reply in hand, how long IOPub may stay silent before the missing `idle` means lost output. */
const IOPUB_SILENCE_MS = 10_000;
/** After a timeout's SIGINT, how long the kernel gets to report the interrupted cell. */
const INTERRUPT_GRACE_MS = 3_000;
/** How long a shutdown_request may take before the kernel is terminated. */
const SHUTDOWN_GRACE_MS = 2_000;
/** The marker patches/tslab+1.0.22.patch puts in kernel_info_reply.implementation_version. */
const PATCH_MARKER = /\+cellforge\.\d+$/;

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (typeof reason === "string") return reason;
  if (reason instanceof Error) return reason.message;
  return "aborted";
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** A running tslab kernel and the ZeroMQ sockets talking to it. */
export class Kernel {
  readonly session = randomUUID();
  private readonly codec: MessageCodec;
  private readonly shell: zmq.Dealer;
  private readonly control: zmq.Dealer;
  private readonly iopub: zmq.Subscriber;
  private readonly pending = new Map<string, Pending>();
  private readonly sendChains = new Map<zmq.Dealer, Promise<void>>();
  private fatal: Error | null = null;
  private closing = false;
  private shutdownPromise: Promise<void> | null = null;
  private kernelInfo: KernelInfo | null = null;

  private constructor(
    readonly process: KernelProcess,
    private readonly connection: ConnectionFile,
  ) {
    const info = connection.info;
    this.codec = new MessageCodec(info.key);
    this.shell = new zmq.Dealer({ linger: 0 });
    this.control = new zmq.Dealer({ linger: 0 });
    // Unlimited receive queue: the kernel's side decides the pace, we never drop.
    this.iopub = new zmq.Subscriber({ linger: 0, receiveHighWaterMark: 0 });
    this.iopub.subscribe();
    this.shell.connect(endpoint(info, info.shell_port));
    this.control.connect(endpoint(info, info.control_port));
    this.iopub.connect(endpoint(info, info.iopub_port));
    void this.pump(this.shell, "reply");
    void this.pump(this.control, "reply");
    void this.pump(this.iopub, "iopub");
    void this.process.exited.then((exit) => {
      if (this.closing) return;
      this.fail(
        new KernelDiedError(
          `the tslab kernel died (${describeExit(exit)}); look for process.exit(), a crashing native module ` +
            `or memory exhaustion in the cell${this.outputHint()}`,
        ),
      );
    });
  }

  /** Starts tslab in `cwd` with a fresh connection file and waits until it answers on shell and IOPub. */
  static async start(options: KernelStartOptions): Promise<Kernel> {
    const isDirectory = await stat(options.cwd).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isDirectory) {
      throw new KernelStartError(
        `the kernel's working directory ${options.cwd} does not exist: pass an existing folder (--cwd)`,
      );
    }
    const connection = await createConnectionFile(options.tmpDir);
    let kernelProcess: KernelProcess;
    try {
      kernelProcess = KernelProcess.spawn({ connectionFile: connection.path, cwd: options.cwd });
    } catch (error) {
      await connection.remove();
      throw new KernelStartError(`could not start tslab: ${error instanceof Error ? error.message : String(error)}`);
    }
    const kernel = new Kernel(kernelProcess, connection);
    try {
      await kernel.waitForReady(options.startTimeoutMs ?? 60_000, options.signal);
    } catch (error) {
      await kernel.shutdown({ graceful: false });
      throw error;
    }
    return kernel;
  }

  /** The kernel's kernel_info_reply, available once started. */
  get info(): KernelInfo {
    if (this.kernelInfo === null) throw new Error("the kernel has not answered kernel_info yet");
    return this.kernelInfo;
  }

  private outputHint(): string {
    const tail = this.process.outputTail.trim();
    return tail === "" ? "" : `; its last output:\n${tail}`;
  }

  private async pump(socket: zmq.Dealer | zmq.Subscriber, kind: "reply" | "iopub"): Promise<void> {
    try {
      for await (const frames of socket) {
        let message: JupyterMessage;
        try {
          message = this.codec.decode(frames);
        } catch (error) {
          this.fail(error instanceof Error ? error : new KernelProtocolError(String(error)));
          continue;
        }
        const parentId = message.parent_header.msg_id;
        const pending = parentId === undefined ? undefined : this.pending.get(parentId);
        if (pending === undefined) continue;
        if (kind === "reply") pending.onReply(message);
        else pending.onIopub(message);
      }
    } catch (error) {
      if (!this.closing) this.fail(new KernelProtocolError(`ZeroMQ receive failed: ${String(error)}`));
    }
  }

  /** Fails every request in flight; later requests fail at once. */
  private fail(error: Error): void {
    if (this.fatal === null) this.fatal = error;
    for (const listener of [...this.failureListeners]) listener(error);
  }

  private readonly failureListeners = new Set<(error: Error) => void>();

  /** Sends on a Dealer, one send at a time (zeromq v6 rejects a send while another is pending). */
  private send(socket: zmq.Dealer, message: JupyterMessage): Promise<void> {
    const frames = this.codec.encode(message);
    const previous = this.sendChains.get(socket) ?? Promise.resolve();
    const next = previous.then(() => socket.send(frames));
    this.sendChains.set(
      socket,
      next.catch(() => undefined),
    );
    return next;
  }

  /**
   * Sends one request and settles when `settle` says so, or fails on kernel death, protocol errors,
   * the deadline or the abort signal. The callbacks get `done`/`failWith` to finish the request.
   */
  private request<T>(
    socket: zmq.Dealer,
    message: JupyterMessage,
    handlers: (finish: { done(value: T): void; failWith(error: Error): void }) => Pending,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const id = message.header.msg_id;
      let settled = false;
      const cleanup = (): void => {
        settled = true;
        this.pending.delete(id);
        this.failureListeners.delete(onFailure);
        signal?.removeEventListener("abort", onAbort);
      };
      const finish = {
        done: (value: T): void => {
          if (settled) return;
          cleanup();
          resolve(value);
        },
        failWith: (error: Error): void => {
          if (settled) return;
          cleanup();
          reject(error);
        },
      };
      const onFailure = (error: Error): void => finish.failWith(error);
      const onAbort = (): void =>
        finish.failWith(new RunInterruptedError(signal === undefined ? "aborted" : abortReason(signal)));
      if (this.fatal !== null) return reject(this.fatal);
      if (signal?.aborted === true) return onAbort();
      this.failureListeners.add(onFailure);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.pending.set(id, handlers(finish));
      this.send(socket, message).catch((error: unknown) =>
        finish.failWith(new KernelProtocolError(`could not send ${message.header.msg_type}: ${String(error)}`)),
      );
    });
  }

  private async waitForReady(timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const onTimeoutOrDeath = (error: Error): Error => {
      if (error instanceof KernelDiedError)
        return new KernelStartError(`tslab exited during start-up: ${error.message}`);
      if (error instanceof RunInterruptedError && timeout.signal.aborted && signal?.aborted !== true) {
        return new KernelStartError(
          `tslab did not answer within ${timeoutMs / 1000} s of starting${this.outputHint()}`,
        );
      }
      return error;
    };
    const combined = signal === undefined ? timeout.signal : AbortSignal.any([signal, timeout.signal]);
    try {
      // Repeat kernel_info until one comes back with a status on IOPub: only then is our subscription
      // live, and no output of the first cell can be lost to ZeroMQ's slow-joiner window.
      while (Date.now() < deadline) {
        const request = createMessage(this.session, "kernel_info_request", {});
        const { reply, iopubLive } = await this.request<{ reply: JupyterMessage; iopubLive: boolean }>(
          this.shell,
          request,
          (finish) => {
            let reply: JupyterMessage | null = null;
            let iopubLive = false;
            return {
              onReply: (message) => {
                reply = message;
                if (iopubLive) finish.done({ reply, iopubLive });
                else setTimeout(() => reply !== null && finish.done({ reply, iopubLive }), IOPUB_PROBE_MS);
              },
              onIopub: () => {
                iopubLive = true;
                if (reply !== null) finish.done({ reply, iopubLive });
              },
            };
          },
          combined,
        ).catch((error: unknown) => {
          throw error instanceof Error ? onTimeoutOrDeath(error) : error;
        });
        if (!iopubLive) continue;
        this.kernelInfo = readKernelInfo(reply.content);
        if (!PATCH_MARKER.test(this.kernelInfo.implementationVersion)) {
          throw new TslabNotPatchedError(this.kernelInfo.implementationVersion);
        }
        return;
      }
      throw onTimeoutOrDeath(new RunInterruptedError("timeout"));
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends a kernel_info_request; resolves once its reply and IOPub `idle` are in (a bare protocol round trip). */
  requestInfo(signal?: AbortSignal): Promise<KernelInfo> {
    const request = createMessage(this.session, "kernel_info_request", {});
    return this.request<KernelInfo>(
      this.shell,
      request,
      (finish) => {
        let reply: JupyterMessage | null = null;
        let idle = false;
        const complete = (): void => {
          if (reply !== null && idle) finish.done(readKernelInfo(reply.content));
        };
        return {
          onReply: (message) => {
            reply = message;
            complete();
          },
          onIopub: (message) => {
            if (message.header.msg_type === "status" && message.content["execution_state"] === "idle") idle = true;
            complete();
          },
        };
      },
      signal,
    );
  }

  /**
   * Runs `code` as one cell. Resolves with the execute_reply once both the reply and the IOPub `idle`
   * have arrived (so every output was delivered to `onOutput`). Rejects with CellTimeoutError
   * (after interrupting the cell and collecting what it reported), KernelDiedError,
   * RunInterruptedError or KernelProtocolError.
   */
  execute(code: string, options: ExecuteOptions): Promise<ExecuteReply> {
    const request = createMessage(this.session, "execute_request", {
      code,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    });
    const timers: NodeJS.Timeout[] = [];
    const result = this.request<ExecuteReply>(
      this.shell,
      request,
      (finish) => {
        let reply: JupyterMessage | null = null;
        let idle = false;
        let timedOut = false;
        let silence: NodeJS.Timeout | undefined;
        const complete = (): void => {
          if (reply === null || !idle) return;
          if (timedOut) finish.failWith(new CellTimeoutError(options.timeoutMs ?? 0));
          else finish.done(readExecuteReply(reply.content));
        };
        // Once one half of the answer is in, the other must follow while IOPub keeps talking.
        const watchSilence = (): void => {
          clearTimeout(silence);
          if (reply === null) return;
          silence = setTimeout(
            () =>
              finish.failWith(
                new KernelProtocolError(
                  `the kernel replied but its IOPub channel went silent for ${IOPUB_SILENCE_MS / 1000} s ` +
                    "without the final `idle` status: outputs were lost. Is node_modules/tslab patched " +
                    "(run `npm install`)?",
                ),
              ),
            IOPUB_SILENCE_MS,
          );
          timers.push(silence);
        };
        if (options.timeoutMs !== undefined) {
          const timeoutMs = options.timeoutMs;
          timers.push(
            setTimeout(() => {
              timedOut = true;
              this.interrupt();
              timers.push(setTimeout(() => finish.failWith(new CellTimeoutError(timeoutMs)), INTERRUPT_GRACE_MS));
            }, timeoutMs),
          );
        }
        return {
          onReply: (message) => {
            if (message.header.msg_type !== "execute_reply") return;
            reply = message;
            watchSilence();
            complete();
          },
          onIopub: (message) => {
            if (message.header.msg_type === "status") {
              if (message.content["execution_state"] === "idle") {
                idle = true;
                complete();
              }
            } else {
              options.onOutput(message);
            }
            watchSilence();
          },
        };
      },
      options.signal,
    );
    return result.finally(() => {
      for (const timer of timers) clearTimeout(timer);
    });
  }

  /** Interrupts the running cell the way Jupyter does for tslab (interrupt_mode "signal"): SIGINT to the group. */
  interrupt(): void {
    if (!this.process.hasExited) this.process.signal("SIGINT");
  }

  /**
   * Stops the kernel and everything it started, closes the sockets and deletes the connection file.
   * Graceful: a shutdown_request first, then SIGTERM, then SIGKILL. Idempotent.
   */
  shutdown(options: { graceful?: boolean } = {}): Promise<void> {
    this.shutdownPromise ??= this.stop(options.graceful ?? true);
    return this.shutdownPromise;
  }

  private async stop(graceful: boolean): Promise<void> {
    this.closing = true;
    try {
      if (graceful && !this.process.hasExited && this.fatal === null) {
        const request = createMessage(this.session, "shutdown_request", { restart: false });
        void this.send(this.control, request).catch(() => undefined);
        await Promise.race([this.process.exited, sleep(SHUTDOWN_GRACE_MS)]);
      }
      if (!this.process.hasExited) {
        this.process.signal("SIGTERM");
        await Promise.race([this.process.exited, sleep(1_000)]);
      }
    } finally {
      // Also reaches whatever a cell spawned, which outlives the kernel otherwise.
      this.process.kill();
      await Promise.race([this.process.exited, sleep(5_000)]);
      this.shell.close();
      this.control.close();
      this.iopub.close();
      await this.connection.remove();
    }
  }

  /** Kills the kernel's process group now (synchronous, for signal and exit handlers). */
  kill(): void {
    this.closing = true;
    this.process.kill();
  }
}

function readKernelInfo(content: JsonObject): KernelInfo {
  const languageInfo = content["language_info"];
  return {
    implementation: stringField(content, "implementation"),
    implementationVersion: stringField(content, "implementation_version"),
    protocolVersion: stringField(content, "protocol_version"),
    languageInfo: isObject(languageInfo) ? languageInfo : {},
  };
}

function readExecuteReply(content: JsonObject): ExecuteReply {
  const status = content["status"];
  const count = content["execution_count"];
  return {
    status: status === "ok" || status === "error" ? status : "aborted",
    executionCount: typeof count === "number" ? count : null,
    content,
  };
}
