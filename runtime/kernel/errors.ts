/** The errors of the headless notebook runner: each has a stable `code` and says what to do. */

/** Base class: every kernel-runner error carries a machine-readable code. */
export abstract class KernelRunnerError extends Error {
  abstract readonly code: string;
}

/** The tslab kernel could not be started or did not answer in time. */
export class KernelStartError extends KernelRunnerError {
  readonly code = "KERNEL_START";
  constructor(message: string) {
    super(message);
    this.name = "KernelStartError";
  }
}

/** The kernel process exited while the runner still needed it. */
export class KernelDiedError extends KernelRunnerError {
  readonly code = "KERNEL_DIED";
  constructor(message: string) {
    super(message);
    this.name = "KernelDiedError";
  }
}

/** node_modules/tslab lacks the project's patch (patches/tslab+1.0.22.patch). */
export class TslabNotPatchedError extends KernelRunnerError {
  readonly code = "TSLAB_UNPATCHED";
  constructor(implementationVersion: string) {
    super(
      `the tslab kernel (implementation_version ${JSON.stringify(implementationVersion)}) is not patched: ` +
        "unpatched tslab 1.0.22 loses output under load. Run `npm install` at the project root " +
        "(its postinstall runs patch-package with patches/tslab+1.0.22.patch).",
    );
    this.name = "TslabNotPatchedError";
  }
}

/** A message from the kernel broke the Jupyter messaging protocol (bad signature, missing frames, lost output). */
export class KernelProtocolError extends KernelRunnerError {
  readonly code = "KERNEL_PROTOCOL";
  constructor(message: string) {
    super(message);
    this.name = "KernelProtocolError";
  }
}

/** A cell ran longer than the per-cell timeout. */
export class CellTimeoutError extends KernelRunnerError {
  readonly code = "CELL_TIMEOUT";
  constructor(readonly timeoutMs: number) {
    super(`the cell did not finish within ${timeoutMs / 1000} s; raise --timeout or make the cell faster`);
    this.name = "CellTimeoutError";
  }
}

/** The run was stopped from outside (Ctrl-C, SIGTERM, an aborted signal). */
export class RunInterruptedError extends KernelRunnerError {
  readonly code = "RUN_INTERRUPTED";
  constructor(reason: string) {
    super(`the run was interrupted (${reason})`);
    this.name = "RunInterruptedError";
  }
}

/** A `-p name=value` parameter cannot be injected (bad syntax, unknown name, no parameters cell). */
export class ParameterError extends KernelRunnerError {
  readonly code = "NB_PARAMETER";
  constructor(message: string) {
    super(message);
    this.name = "ParameterError";
  }
}

/** The Jupyter kernelspec could not be written. */
export class KernelspecError extends KernelRunnerError {
  readonly code = "KERNELSPEC";
  constructor(message: string) {
    super(message);
    this.name = "KernelspecError";
  }
}
