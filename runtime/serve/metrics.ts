/** The server's Prometheus metrics (prom-client, one registry per server): requests, latency, batches, predictions by class, queue, tensors, process. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { tf } from "../tfjs/backend.ts";
import type { BatchReport, RejectReason } from "./batcher.ts";
import { ClassCounter } from "./class-field.ts";
import { RequestMetrics } from "./request-metrics.ts";
import type { ServedModel } from "./served-model.ts";

/** Everything /metrics exposes. */
export class ServingMetrics {
  readonly registry = new Registry();
  private readonly requests: RequestMetrics;
  private readonly batchRows: Histogram;
  private readonly batchSeconds: Histogram;
  private readonly predictions: Counter<"class">;
  private readonly rejected: Counter<"reason">;
  private readonly modelInfo: Gauge<"name" | "version">;
  private readonly classes: ClassCounter | undefined;

  /**
   * @param classField the prediction field counted by class (see class-field.ts), if any
   * @param queuedRows reads the batcher's queue length at scrape time
   */
  constructor(classField: string | undefined, queuedRows: () => number) {
    const registers = [this.registry];
    this.classes = classField === undefined ? undefined : new ClassCounter(classField);
    this.requests = new RequestMetrics(
      this.registry,
      [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    );
    this.batchRows = new Histogram({
      name: "cellforge_batch_size_rows",
      help: "Rows per predict call.",
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096],
      registers,
    });
    this.batchSeconds = new Histogram({
      name: "cellforge_batch_duration_seconds",
      help: "Time per predict call.",
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.predictions = new Counter({
      name: "cellforge_predictions_total",
      help: `Predictions by class (the \`${classField ?? "none"}\` field of the response).`,
      labelNames: ["class"],
      registers,
    });
    this.rejected = new Counter({
      name: "cellforge_rejected_requests_total",
      help: "Requests answered 503 because the queue was full (queue_rows) or too slow (queue_latency).",
      labelNames: ["reason"],
      registers,
    });
    this.modelInfo = new Gauge({
      name: "cellforge_model_info",
      help: "The model version being served (value 1).",
      labelNames: ["name", "version"],
      registers,
      aggregator: "max",
    });
    new Gauge({
      name: "cellforge_queue_rows",
      help: "Rows waiting for a batch.",
      registers,
      collect() {
        this.set(queuedRows());
      },
    });
    new Gauge({
      name: "cellforge_tensors",
      help: "TF.js tensors alive in the process (tf.memory().numTensors); flat under load when predict releases its tensors.",
      registers,
      collect() {
        this.set(tf.memory().numTensors);
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Records one answered request. */
  observeRequest(route: string, method: string, status: number, seconds: number): void {
    this.requests.observe(route, method, status, seconds);
  }

  /** Records one predict call. */
  observeBatch(report: BatchReport): void {
    this.batchRows.observe(report.rows);
    this.batchSeconds.observe(report.ms / 1000);
    if (this.classes === undefined) return;
    for (const [label, count] of this.classes.count(report.predictions)) this.predictions.inc({ class: label }, count);
  }

  /** Records a 503 from admission control. */
  observeRejection(reason: RejectReason): void {
    this.rejected.inc({ reason });
  }

  /** Points cellforge_model_info at `model`. */
  setModel(model: ServedModel): void {
    this.modelInfo.reset();
    this.modelInfo.set({ name: model.version.name, version: String(model.version.version) }, 1);
  }

  /** The Prometheus text exposition. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  /** The exposition's content type. */
  get contentType(): string {
    return this.registry.contentType;
  }
}
