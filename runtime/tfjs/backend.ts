/**
 * Loads TensorFlow.js on the fastest backend this machine has: the native
 * tfjs-node binding when it is really installed, else WASM (with SIMD when the
 * CPU has it), else the pure-JS CPU backend.
 */
import * as tf from "@tensorflow/tfjs";

export { tf };

/** The backends cellforge knows, fastest first; "tensorflow" is tfjs-node's native binding. */
export type BackendName = "tensorflow" | "wasm" | "cpu";

/** What `useFastestBackend` picked, and why. */
export interface BackendReport {
  name: BackendName;
  /** WASM only: whether the SIMD build runs. */
  simd: boolean;
  /** WASM only: whether the multi-threaded build runs. */
  threads: boolean;
  /** One line for logs, e.g. "wasm (SIMD)". */
  description: string;
}

/** Raised when a backend named in CELLFORGE_TF_BACKEND cannot be used. */
export class BackendError extends Error {
  readonly code = "TF_BACKEND";
  constructor(message: string) {
    super(message);
    this.name = "BackendError";
  }
}

const order: BackendName[] = ["tensorflow", "wasm", "cpu"];
let chosen: Promise<BackendReport> | undefined;

/**
 * Whether the real tfjs-node is installed. Projects alias `@tensorflow/tfjs-node`
 * to plain `@tensorflow/tfjs` (danfojs-node needs the name), so the name proves
 * nothing: only the real package has the `node` namespace.
 */
async function loadNativeBinding(): Promise<boolean> {
  try {
    const specifier = "@tensorflow/tfjs-node";
    const mod = (await import(specifier)) as Record<string, unknown>;
    return typeof mod["node"] === "object" && mod["node"] !== null;
  } catch {
    return false;
  }
}

/**
 * Runs `start` and removes the process-wide crash handlers it added: the wasm backend's Emscripten module
 * installs `uncaughtException` and `unhandledRejection` listeners that rethrow, so that any later crash
 * printed its one-line, 100 kB minified source before the error. Node's own handling does the same
 * job (print the error, exit 1) and names the code that threw.
 */
async function withoutAddedCrashHandlers<T>(start: () => Promise<T>): Promise<T> {
  const exceptions = new Set(process.listeners("uncaughtException"));
  const rejections = new Set(process.listeners("unhandledRejection"));
  try {
    return await start();
  } finally {
    for (const listener of process.listeners("uncaughtException"))
      if (!exceptions.has(listener)) process.removeListener("uncaughtException", listener);
    for (const listener of process.listeners("unhandledRejection"))
      if (!rejections.has(listener)) process.removeListener("unhandledRejection", listener);
  }
}

async function tryBackend(name: BackendName): Promise<boolean> {
  if (name === "tensorflow" && !(await loadNativeBinding())) return false;
  return withoutAddedCrashHandlers(async () => {
    if (name === "wasm") await import("@tensorflow/tfjs-backend-wasm");
    try {
      return await tf.setBackend(name);
    } catch {
      return false;
    }
  });
}

async function report(name: BackendName): Promise<BackendReport> {
  if (name !== "wasm") {
    const description = name === "tensorflow" ? "tensorflow (native tfjs-node)" : "cpu (pure JavaScript)";
    return { name, simd: false, threads: false, description };
  }
  const simd = (await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")) === true;
  const threads = (await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT")) === true;
  const features = [simd ? "SIMD" : "no SIMD", ...(threads ? ["threads"] : [])].join(", ");
  return { name, simd, threads, description: `wasm (${features})` };
}

function requested(): BackendName | undefined {
  const value = process.env["CELLFORGE_TF_BACKEND"];
  if (value === undefined || value === "") return undefined;
  if ((order as string[]).includes(value)) return value as BackendName;
  throw new BackendError(
    `CELLFORGE_TF_BACKEND is "${value}"; set it to one of ${order.join(", ")} or unset it to pick the fastest.`,
  );
}

async function choose(): Promise<BackendReport> {
  const wanted = requested();
  if (wanted !== undefined) {
    if (await tryBackend(wanted)) return report(wanted);
    const hint = wanted === "tensorflow" ? " Install it with `npm install @tensorflow/tfjs-node`." : "";
    throw new BackendError(`CELLFORGE_TF_BACKEND asks for "${wanted}", which is not available here.${hint}`);
  }
  for (const name of order) {
    if (await tryBackend(name)) return report(name);
  }
  throw new BackendError("No TensorFlow.js backend could start; reinstall @tensorflow/tfjs.");
}

/**
 * Picks the fastest TensorFlow.js backend once per process and reports it.
 * Set CELLFORGE_TF_BACKEND=tensorflow|wasm|cpu to force one.
 */
export function useFastestBackend(): Promise<BackendReport> {
  chosen ??= choose().catch((error: unknown) => {
    chosen = undefined;
    throw error;
  });
  return chosen;
}
