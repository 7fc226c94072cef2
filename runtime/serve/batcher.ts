/**
 * The micro-batcher: rows of concurrent requests are queued and coalesced into predict calls of at
 * most `maxBatchSize` rows (a big request is split across calls, interleaved with the requests that arrive after it), one call at a time, so the fixed
 * cost of a TF.js call is paid once per batch instead of once per request. While big requests have the model to
 * themselves (no request of at most `maxBatchSize` rows for 10 s), their calls take up to `maxBatchSizeAlone`
 * rows: a 128-row call of the Pokémon model spends about a third of its time on TF.js's fixed cost.
 *
 * Batches form on their own under load: a predict call on WASM blocks the event loop (or, with the
 * model on its own thread, two calls are under way), requests arriving meanwhile are parsed in the
 * next I/O phase and all join the next batch. With `maxWaitMs` > 0 the first queued row also waits
 * that long for company.
 *
 * Admission: the queue is bounded by rows, not requests (a 10,000-row request is 10,000 rows of
 * work), and by the wait a new request can expect, estimated from the slower of measured batch
 * latency and the queue's observed wall-clock drain rate (drain-rate.ts). Either bound answers 503
 * with a Retry-After instead of queueing without end. A request that finds the queue empty is
 * admitted; one request may never have more than max_queue_rows rows (413). The latency bound is
 * also enforced, not only estimated: a request whose first row has not started within
 * max_queue_latency_ms of joining the queue leaves it with 503, so under overload the requests that
 * are served wait at most that long and the others are told to come back.
 *
 * Every prediction is checked for NaN and ±Infinity before it is handed back: an input far outside
 * the training range makes a model output them, and they have no JSON form (422 for that request).
 */
import { BatchLatency } from "./batch-latency.ts";
import { DrainRate } from "./drain-rate.ts";
import {
  NonFinitePredictionError,
  NotReadyError,
  OverloadedError,
  PredictError,
  ServeError,
  TooManyRowsError,
} from "./errors.ts";
import type { BatchingSettings } from "./serving-config.ts";
import { nextTurn } from "./next-turn.ts";

/**
 * How long after a request of at most max_batch_size rows calls stay at max_batch_size rather than max_batch_size_alone:
 * long enough that requests a few seconds apart each meet short calls (with 1 s, one every 1.5 s waited a median 25 ms
 * behind 10,000-row batches against 14–20 ms).
 */
const ALONE_AFTER_MS = 10_000;

/** Predicts one output per input row, in order, with `target` (the model version the rows' requests started on). */
export type BatchPredict = (rows: readonly unknown[], target: unknown) => Promise<unknown>;

/** One predict call the batcher made, for metrics. */
export interface BatchReport {
  rows: number;
  /** Requests (or parts of split requests) in the batch. */
  requests: number;
  /** Time the predict call took. */
  ms: number;
  predictions: readonly unknown[];
}

/**
 * The connection a request came in on (a `net.Socket` is one): once it is destroyed, the client hung up, and the
 * request's rows not yet in a batch leave the queue when the next batch forms. (Read at batch time rather than
 * listened for: a `close` listener per request cost as much as the batcher's other work for it.)
 */
export interface Requester {
  readonly destroyed: boolean;
}

/** Why a request was refused, for metrics. */
export type RejectReason = "queue_rows" | "queue_latency";

/** What the batcher needs besides its settings. */
export interface BatcherOptions extends BatchingSettings {
  predict: BatchPredict;
  /** Keeps a submit's `target` alive until its request is answered; returns what releases it. */
  hold?: (target: unknown) => (() => void) | undefined;
  onBatch?: (report: BatchReport) => void;
  onReject?: (reason: RejectReason) => void;
  /**
   * Predict calls that may be under way at once (default 1). With 2, the next batch's call starts while the last one
   * awaits the model on its own thread (tfjs/model-thread.ts): the event loop writes its features and reads the
   * previous batch's answers while the model computes. Calls still complete in order, each with its own rows.
   */
  pipelineDepth?: number;
  /** The clock, in ms. */
  now?: () => number;
}

interface Job {
  rows: readonly unknown[];
  /** What predicts the rows (the model version the request started on); a batch never mixes targets. */
  target: unknown;
  /** Index of the first row not yet handed to a batch. */
  next: number;
  results: unknown[];
  /** Rows predicted so far. */
  done: number;
  failed: boolean;
  enqueuedAt: number;
  /** Whether it joined a queue with rows ahead of it: only then can its wait be the queue's fault, and shed. */
  queuedBehind: boolean;
  requester: Requester | undefined;
  /** Told of each run of rows predicted, in order, as soon as it is (an answer writer starts on them). */
  onPredicted: PredictedRows | undefined;
  resolve(predictions: unknown[]): void;
  reject(error: Error): void;
}

/**
 * Called with a request's results so far whenever rows `from`…`to` - 1 of it were predicted; returns true when it has
 * taken those rows for good (written them into the answer), so that the batcher lets them go: a 10,000-row request's
 * predictions then die young instead of being copied by every scavenge until the last row is predicted.
 */
export type PredictedRows = (results: readonly unknown[], from: number, to: number) => boolean;

interface Slice {
  job: Job;
  from: number;
  to: number;
}

/** The client closed its connection before its predictions were ready. */
class ClientGoneError extends ServeError {
  constructor() {
    super("CLIENT_GONE", "The client closed the connection before its predictions were ready.", 499);
  }
}

/** Whether every number in `value` is finite (no paths built: this runs on every prediction). */
function allFinite(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value !== "object" || value === null) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!allFinite(value[i])) return false;
    return true;
  }
  for (const key in value)
    if (Object.hasOwn(value, key) && !allFinite((value as Record<string, unknown>)[key])) return false;
  return true;
}

/** Where `value` holds NaN or ±Infinity (a JSON pointer), or undefined when it holds none. */
function nonFinitePath(value: unknown, path: string): { path: string; value: string } | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? undefined : { path, value: String(value) };
  if (typeof value !== "object" || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nonFinitePath(value[i], `${path}/${i}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const found = nonFinitePath((value as Record<string, unknown>)[key], `${path}/${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

function predictFailure(error: unknown): ServeError {
  if (error instanceof ServeError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new PredictError(`The model's predict function failed: ${reason}`, { cause: error });
}

/** Queues rows, runs them through the model in batches, and refuses work beyond its bounds. */
export class Batcher {
  readonly latency = new BatchLatency();
  readonly drainRate = new DrainRate();
  private readonly settings: BatchingSettings;
  private readonly predict: BatchPredict;
  private readonly hold: ((target: unknown) => (() => void) | undefined) | undefined;
  private readonly onBatch: ((report: BatchReport) => void) | undefined;
  private readonly onReject: ((reason: RejectReason) => void) | undefined;
  private readonly now: () => number;
  /** Jobs in arrival order; entries before `head` are done (cleared so they can be collected). */
  private queue: (Job | undefined)[] = [];
  private head = 0;
  private queued = 0;
  private scheduled = false;
  /** Predict calls under way. */
  private running = 0;
  private readonly pipelineDepth: number;
  /** Rows of a call while big requests have the model to themselves: max_batch_size_alone, never fewer than max_batch_size. */
  private readonly aloneRows: number;
  private closed = false;
  /** Whether rows were still queued, or another call under way, when the last batch ended (the next one ends a back-to-back cycle). */
  private backlogged = false;
  private idleWaiters: (() => void)[] = [];
  /** When a request of at most max_batch_size rows (one that fits a single call, where latency counts) last arrived. */
  private lastSmallAt = -Infinity;

  constructor(options: BatcherOptions) {
    const { predict, hold, onBatch, onReject, now, pipelineDepth, ...settings } = options;
    this.settings = settings;
    this.pipelineDepth = Math.max(1, pipelineDepth ?? 1);
    this.aloneRows = Math.max(settings.maxBatchSize, settings.maxBatchSizeAlone);
    this.predict = predict;
    this.hold = hold;
    this.onBatch = onBatch;
    this.onReject = onReject;
    this.now = now ?? (() => performance.now());
  }

  /** Rows waiting for a batch. */
  get queuedRows(): number {
    return this.queued;
  }

  /** The most rows one request may have (max_queue_rows). */
  get maxRequestRows(): number {
    return this.settings.maxQueueRows;
  }

  /** A TooManyRowsError (413) when a request of `rows` rows could never be queued, else undefined. */
  rowLimitRefusal(rows: number): TooManyRowsError | undefined {
    return rows > this.settings.maxQueueRows ? new TooManyRowsError(this.settings.maxQueueRows, rows) : undefined;
  }

  /** Estimated wait before a new request's first row runs, behind `queued` rows: the slower of the predict-call fit and the observed drain rate. */
  private expectedWaitMs(queued: number): number | undefined {
    const predicted = this.latency.calibrated ? this.latency.drainMs(queued, this.settings.maxBatchSize) : undefined;
    const observed = this.drainRate.drainMs(queued);
    if (predicted === undefined) return observed;
    return observed === undefined ? predicted : Math.max(predicted, observed);
  }

  /** Seconds a refused client should wait before retrying: the observed time to drain what is queued, at least 1, at most 60. */
  retryAfterSeconds(): number {
    const ms =
      this.expectedWaitMs(this.queued) ?? this.latency.drainMs(this.queued, this.settings.maxBatchSize) ?? 1000;
    return Math.min(60, Math.max(1, Math.ceil(ms / 1000)));
  }

  /**
   * An OverloadedError when `rows` more rows would overfill the queue or wait too long, else
   * undefined. Routes also ask with rows = 1 before reading a request's body, so that shedding
   * load costs no JSON parsing or validation.
   */
  refusal(rows: number): OverloadedError | undefined {
    const queued = this.queued;
    if (queued === 0) return undefined;
    const { maxQueueRows, maxQueueLatencyMs } = this.settings;
    if (queued + rows > maxQueueRows) {
      this.onReject?.("queue_rows");
      const retry = this.retryAfterSeconds();
      const adds = rows > 1 ? ` and this request has ${rows} more` : "";
      return new OverloadedError(
        retry,
        `The server is at capacity: ${queued} rows are queued${adds} (limit ${maxQueueRows}). Retry after ${retry} s.`,
      );
    }
    // The wait before this request's first row runs: its own size is work, not waiting, so a big
    // request is not refused for being big.
    const wait = this.expectedWaitMs(queued) ?? 0;
    if (maxQueueLatencyMs > 0 && wait > maxQueueLatencyMs) {
      this.onReject?.("queue_latency");
      const retry = this.retryAfterSeconds();
      return new OverloadedError(
        retry,
        `The server is at capacity: this request would wait about ${Math.round(wait)} ms behind ${queued} queued rows before its first row runs (limit ${maxQueueLatencyMs} ms). Retry after ${retry} s.`,
      );
    }
    return undefined;
  }

  /**
   * Queues `rows` and resolves to their predictions, in order; rejects with OverloadedError when
   * the server is at capacity. `receivedAt` (same clock) is when the request's body had arrived:
   * its wait is counted from there, so time spent waiting to be parsed counts too. When the `requester`'s connection is gone by the time a batch would
   * take the rows, they leave the queue instead: nobody is waiting for them.
   */
  submit(
    rows: readonly unknown[],
    requester?: Requester,
    receivedAt?: number,
    target?: unknown,
    onPredicted?: PredictedRows,
  ): Promise<unknown[]> {
    if (this.closed)
      return Promise.reject(new NotReadyError("The server is shutting down; send the request to another instance."));
    if (rows.length === 0) return Promise.resolve([]);
    const refusal = this.rowLimitRefusal(rows.length) ?? this.refusal(rows.length);
    if (refusal !== undefined) return Promise.reject(refusal);
    const now = this.now();
    if (rows.length <= this.settings.maxBatchSize) this.lastSmallAt = now;
    const release = this.hold?.(target);
    return new Promise<unknown[]>((resolve, reject) => {
      const job: Job = {
        rows,
        target,
        next: 0,
        results: new Array<unknown>(rows.length),
        done: 0,
        failed: false,
        enqueuedAt: Math.min(receivedAt ?? Infinity, now),
        queuedBehind: this.queued > 0 || this.running > 0,
        requester,
        onPredicted,
        resolve: (predictions) => {
          release?.();
          resolve(predictions);
        },
        reject: (error) => {
          release?.();
          reject(error);
        },
      };
      this.queue.push(job);
      this.queued += rows.length;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running >= this.pipelineDepth || this.queued === 0) return;
    this.scheduled = true;
    const head = this.queue[this.head]!;
    const waited = this.now() - head.enqueuedAt;
    const { maxWaitMs, maxBatchSize } = this.settings;
    if (maxWaitMs === 0 || this.queued >= maxBatchSize || waited >= maxWaitMs) setImmediate(() => void this.runBatch());
    else setTimeout(() => void this.runBatch(), maxWaitMs - waited);
  }

  /** The sizes of full predict calls: max_batch_size, and the size of calls while big requests are alone (to warm up). */
  get callSizes(): number[] {
    return [this.settings.maxBatchSize, this.aloneRows];
  }

  /** Rows the next predict call may take: max_batch_size_alone while no small request arrived lately, else max_batch_size. */
  private callRows(now: number): number {
    return now - this.lastSmallAt >= ALONE_AFTER_MS ? this.aloneRows : this.settings.maxBatchSize;
  }

  /**
   * Takes up to `callRows` rows off the queue, splitting a job that does not fit; a job whose client hung up leaves it.
   */
  private take(): Slice[] {
    const slices: Slice[] = [];
    const { maxQueueLatencyMs } = this.settings;
    const now = this.now();
    let room = this.callRows(now);
    while (room > 0 && this.head < this.queue.length) {
      const job = this.queue[this.head]!;
      if (job.requester?.destroyed === true) this.fail(job, new ClientGoneError());
      else if (job.next === 0 && job.queuedBehind && maxQueueLatencyMs > 0 && now - job.enqueuedAt > maxQueueLatencyMs)
        this.shed(job, now - job.enqueuedAt);
      if (job.next === job.rows.length) {
        this.dequeueHead(); // failed or abandoned: its rows already left the count
        continue;
      }
      // Rows of requests that started on another model version wait for the next batch.
      if (slices.length > 0 && job.target !== slices[0]!.job.target) break;
      const count = Math.min(room, job.rows.length - job.next);
      slices.push({ job, from: job.next, to: job.next + count });
      job.next += count;
      this.queued -= count;
      room -= count;
      if (job.next === job.rows.length) this.dequeueHead();
      else this.requeueHead(); // the batch is full: the rest of a big job waits behind requests that came after it
    }
    return slices;
  }

  /** Fails a job that waited past max_queue_latency_ms before its first row could run: 503, come back later. */
  private shed(job: Job, waited: number): void {
    this.onReject?.("queue_latency");
    const retry = this.retryAfterSeconds();
    const limit = this.settings.maxQueueLatencyMs;
    this.fail(
      job,
      new OverloadedError(
        retry,
        `The server is at capacity: this request waited ${Math.round(waited)} ms in the queue without starting (limit ${limit} ms). Retry after ${retry} s.`,
      ),
    );
  }

  /**
   * Moves the head job, partly taken, to the back of the queue: a 10,000-row request is predicted in slices
   * interleaved with the requests that arrived meanwhile, so a one-record /predict waits for one slice, not for it.
   */
  private requeueHead(): void {
    const job = this.queue[this.head]!;
    this.dequeueHead();
    this.queue.push(job);
  }

  /** Moves past the head job; dropping finished jobs so their rows and results can be collected. */
  private dequeueHead(): void {
    this.queue[this.head] = undefined;
    this.head++;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  private async runBatch(): Promise<void> {
    this.scheduled = false;
    this.running++;
    try {
      const slices = this.take();
      const rows = slices.reduce((sum, s) => sum + (s.to - s.from), 0);
      if (rows > 0) {
        const executed = this.execute(slices, rows);
        // The call's synchronous part (a predict cell's features, up to its first await) has run: the next batch may start.
        if (this.pipelineDepth > 1) this.schedule();
        const ms = await executed;
        // A pipelined call's time also counts the event loop's other work while it awaited the model, which grows with
        // the traffic (refused requests included): the fit keeps its warm-up figures, and the drain rate tells the rest.
        if (this.pipelineDepth === 1) this.latency.record(rows, ms);
        // Only full batches tell the rate at which a backlog drains: a batch of the one row that arrived is mostly the
        // cost of a call, which a queue of many rows pays once per max_batch_size rows.
        this.drainRate.batchEnded(this.now(), rows, this.backlogged && rows >= this.settings.maxBatchSize);
      }
      this.backlogged = this.queued > 0 || this.running > 1;
      // Let the I/O phase read what arrived meanwhile: it joins the next batch, and /health stays responsive during a big request.
      if (this.queued > 0) await nextTurn();
    } finally {
      this.running--;
    }
    if (this.queued > 0) this.schedule();
    else if (this.running === 0) this.notifyIdle();
  }

  private rowsOf(slices: readonly Slice[], count: number): readonly unknown[] {
    const only = slices.length === 1 ? slices[0]! : undefined;
    if (only !== undefined && only.from === 0 && only.to === only.job.rows.length) return only.job.rows;
    const rows = new Array<unknown>(count);
    let at = 0;
    for (const { job, from, to } of slices) for (let i = from; i < to; i++) rows[at++] = job.rows[i];
    return rows;
  }

  /** Runs one predict call for `slices`; resolves to its duration. A failing batch is retried request by request, so one bad request fails alone. */
  private async execute(slices: readonly Slice[], rows: number): Promise<number> {
    const start = this.now();
    try {
      const predictions = await this.call(
        this.rowsOf(slices, rows),
        slices.length === 1 ? slices[0]!.from : 0,
        slices[0]!.job.target,
      );
      const ms = this.now() - start;
      this.deliver(slices, predictions);
      this.onBatch?.({ rows, requests: slices.length, ms, predictions });
      return ms;
    } catch (error) {
      if (slices.length === 1) {
        this.fail(slices[0]!.job, error);
        return this.now() - start;
      }
    }
    for (const slice of slices) {
      if (slice.job.failed) continue;
      const began = this.now();
      try {
        const predictions = await this.call(slice.job.rows.slice(slice.from, slice.to), slice.from, slice.job.target);
        this.deliver([slice], predictions);
        this.onBatch?.({ rows: slice.to - slice.from, requests: 1, ms: this.now() - began, predictions });
      } catch (error) {
        this.fail(slice.job, error);
      }
    }
    return this.now() - start;
  }

  /** One predict call; `firstRow` is the request's index of rows[0], for messages. */
  private async call(rows: readonly unknown[], firstRow: number, target: unknown): Promise<readonly unknown[]> {
    let predictions: unknown;
    try {
      predictions = await this.predict(rows, target);
    } catch (error) {
      throw predictFailure(error);
    }
    if (!Array.isArray(predictions) || predictions.length !== rows.length) {
      throw new PredictError(
        `The model's predict function returned ${Array.isArray(predictions) ? `${predictions.length} predictions` : `a ${typeof predictions}`} for ${rows.length} rows; it must return one prediction per row, in order.`,
      );
    }
    for (let i = 0; i < predictions.length; i++) {
      const where = allFinite(predictions[i]) ? undefined : nonFinitePath(predictions[i], "");
      if (where !== undefined) {
        throw new NonFinitePredictionError(
          `The model's prediction for row ${firstRow + i} has ${where.value} at ${where.path === "" ? "the top level" : where.path}, which JSON cannot carry: the input is probably far outside the range the model was trained on. Check the row's values.`,
        );
      }
    }
    return predictions as readonly unknown[];
  }

  private deliver(slices: readonly Slice[], predictions: readonly unknown[]): void {
    let offset = 0;
    for (const { job, from, to } of slices) {
      for (let i = from; i < to; i++) job.results[i] = predictions[offset++];
      job.done += to - from;
      if (!job.failed && job.onPredicted?.(job.results, from, to) === true) job.results.fill(undefined, from, to);
      if (job.done === job.rows.length && !job.failed) job.resolve(job.results);
    }
  }

  /** Fails `job`; its rows not yet handed to a batch leave the queue. */
  private fail(job: Job, error: unknown): void {
    if (job.failed || job.done === job.rows.length) return;
    job.failed = true;
    this.queued -= job.rows.length - job.next;
    job.next = job.rows.length;
    job.reject(error instanceof ClientGoneError ? error : predictFailure(error));
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Resolves once every queued row has been predicted. */
  drain(): Promise<void> {
    if (this.queued === 0 && this.running === 0 && !this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Refuses new work and resolves once the queue is empty. */
  async close(): Promise<void> {
    this.closed = true;
    await this.drain();
  }
}
