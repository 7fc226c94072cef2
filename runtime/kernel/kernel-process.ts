/** The tslab kernel as an operating-system process: spawned in its own process group, killed as a group. */
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** How the process ended. */
export interface KernelExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Where to start tslab and in which folder. */
export interface KernelProcessOptions {
  connectionFile: string;
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

const STDERR_TAIL_BYTES = 8192;
const live = new Set<KernelProcess>();
let exitHookInstalled = false;

/** The folder of the tslab package this project depends on (node_modules/tslab). */
export function tslabDir(): string {
  return dirname(createRequire(import.meta.url).resolve("tslab/package.json"));
}

/**
 * The `--import` flag that lets cells import the project's own TypeScript modules
 * (pipelines/, @cellforge/runtime): tsx's loader, by absolute URL so any cwd works.
 */
export function typescriptLoaderArgs(): string[] {
  return ["--import", import.meta.resolve("tsx")];
}

/** A running `tslab kernel` process and every process it started (same process group). */
export class KernelProcess {
  readonly pid: number;
  /** Resolves when the kernel process has exited (never rejects). */
  readonly exited: Promise<KernelExit>;
  private exit: KernelExit | null = null;
  private output = "";

  private constructor(
    private readonly child: ChildProcess,
    pid: number,
  ) {
    this.pid = pid;
    this.exited = new Promise((resolve) => {
      const exited = (exit: KernelExit): void => {
        this.exit ??= exit;
        live.delete(this);
        resolve(this.exit);
      };
      child.once("exit", (code, signal) => exited({ code, signal }));
      child.once("error", (error) => {
        this.output += `${error.message}\n`;
        exited({ code: null, signal: null });
      });
    });
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString("utf8")).slice(-STDERR_TAIL_BYTES);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
  }

  /** Starts `node --import tsx node_modules/tslab/bin/tslab kernel --config-path FILE` as a process-group leader. */
  static spawn(options: KernelProcessOptions): KernelProcess {
    const bin = join(tslabDir(), "bin", "tslab");
    const child = spawn(
      process.execPath,
      [...typescriptLoaderArgs(), bin, "kernel", "--config-path", options.connectionFile],
      {
        cwd: options.cwd,
        // Its own process group, so that one signal reaches the kernel and anything a cell spawned,
        // and so that Ctrl-C in the terminal reaches only the runner, which then decides.
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        // JPY_PARENT_PID: the patched kernel exits by itself if this process dies without cleaning up.
        env: { ...process.env, ...options.env, JPY_PARENT_PID: String(process.pid) },
      },
    );
    if (child.pid === undefined) {
      // The reason arrives as an 'error' event; keep it from becoming an uncaught exception.
      child.once("error", () => undefined);
      throw new Error(`could not start ${process.execPath} ${bin}`);
    }
    const kernel = new KernelProcess(child, child.pid);
    live.add(kernel);
    installExitHook();
    return kernel;
  }

  /** Whether the kernel process itself has exited. */
  get hasExited(): boolean {
    return this.exit !== null;
  }

  /** How it exited, once it has. */
  get exitInfo(): KernelExit | null {
    return this.exit;
  }

  /** The last few kilobytes the process wrote to its own stdout/stderr (startup errors land here). */
  get outputTail(): string {
    return this.output;
  }

  /** Sends a signal to the whole process group; a group that is already gone is not an error. */
  signal(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, signal);
    } catch (error) {
      if (!(error instanceof Error && "code" in error && error.code === "ESRCH")) throw error;
    }
  }

  /** SIGKILLs the group right away (synchronous: safe in exit handlers). */
  kill(): void {
    this.signal("SIGKILL");
  }
}

/** Describes an exit for error messages: "exit code 1" or "signal SIGKILL". */
export function describeExit(exit: KernelExit): string {
  return exit.signal !== null ? `signal ${exit.signal}` : `exit code ${String(exit.code)}`;
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort when the embedding program exits without shutting its kernels down.
  process.on("exit", () => {
    for (const kernel of live) kernel.kill();
  });
}
