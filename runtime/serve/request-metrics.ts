/**
 * cellforge_http_requests_total and cellforge_http_request_duration_seconds, counted in plain
 * numbers on each request and handed to prom-client only when /metrics is read. prom-client's own
 * `inc` and `observe` check and hash their label object on every call: ~2 µs per request, about 5%
 * of what the server spends on a small request. The exposition is the same, and so is what
 * --workers aggregates (both read the metrics' `get`).
 */
import { Counter, Histogram, type CounterConfiguration, type HistogramConfiguration, type Registry } from "prom-client";

const LATENCY = "cellforge_http_request_duration_seconds";

type RequestLabel = "route" | "method" | "status";
type LatencyLabel = "route" | "method" | "le";

/** One route and method's requests. */
interface Series {
  readonly route: string;
  readonly method: string;
  /** Requests by status code, in the order the codes were first seen. */
  readonly statuses: Map<number, number>;
  /** Requests per latency bucket (not cumulative); the last one counts those above every bound. */
  readonly buckets: number[];
  sum: number;
  count: number;
}

/** A counter whose samples are read from the request counts when scraped. */
class RequestCounter extends Counter<RequestLabel> {
  constructor(
    config: CounterConfiguration<RequestLabel>,
    private readonly samples: () => { labels: Partial<Record<RequestLabel, string>>; value: number }[],
  ) {
    super(config);
  }

  override async get() {
    return { ...(await super.get()), values: this.samples() };
  }
}

/** A histogram whose samples are read from the latency buckets when scraped. */
class LatencyHistogram extends Histogram<LatencyLabel> {
  /** The same histogram, unregistered and never observed: the name, help, type and aggregator of `get`'s answer. */
  private readonly shape: Histogram<LatencyLabel>;

  constructor(
    config: HistogramConfiguration<LatencyLabel>,
    private readonly samples: () => {
      labels: Partial<Record<LatencyLabel, string | number>>;
      value: number;
      metricName: string;
    }[],
  ) {
    super(config);
    this.shape = new Histogram({ ...config, registers: [] });
  }

  override async get() {
    return { ...(await this.shape.get()), values: this.samples() };
  }

  /** What prom-client's Registry reads for the text exposition when a metric has it (the base class does). */
  getForPromString() {
    return this.get();
  }
}

/** Requests by route, method and status, and their latency by route and method. */
export class RequestMetrics {
  private readonly series = new Map<string, Map<string, Series>>();

  /** @param bounds the latency buckets' upper bounds, in seconds, ascending */
  constructor(
    registry: Registry,
    private readonly bounds: readonly number[],
  ) {
    const registers = [registry];
    new RequestCounter(
      {
        name: "cellforge_http_requests_total",
        help: "HTTP requests by route, method and status code.",
        labelNames: ["route", "method", "status"],
        registers,
      },
      () => this.requestSamples(),
    );
    new LatencyHistogram(
      {
        name: LATENCY,
        help: "Time from request to response, by route and method.",
        labelNames: ["route", "method"],
        buckets: [...bounds],
        registers,
      },
      () => this.latencySamples(),
    );
  }

  /** Counts one answered request. */
  observe(route: string, method: string, status: number, seconds: number): void {
    let methods = this.series.get(route);
    if (methods === undefined) this.series.set(route, (methods = new Map<string, Series>()));
    let series = methods.get(method);
    if (series === undefined) {
      series = {
        route,
        method,
        statuses: new Map(),
        buckets: new Array<number>(this.bounds.length + 1).fill(0),
        sum: 0,
        count: 0,
      };
      methods.set(method, series);
    }
    series.statuses.set(status, (series.statuses.get(status) ?? 0) + 1);
    let bucket = 0;
    while (bucket < this.bounds.length && seconds > this.bounds[bucket]!) bucket++;
    series.buckets[bucket]!++;
    series.sum += seconds;
    series.count++;
  }

  private *allSeries(): Generator<Series> {
    for (const methods of this.series.values()) yield* methods.values();
  }

  private requestSamples() {
    const samples = [];
    for (const { route, method, statuses } of this.allSeries()) {
      for (const [status, value] of statuses)
        samples.push({ labels: { route, method, status: String(status) }, value });
    }
    return samples;
  }

  private latencySamples() {
    const samples = [];
    for (const { route, method, buckets, sum, count } of this.allSeries()) {
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += buckets[i]!;
        samples.push({ labels: { le, route, method }, value: cumulative, metricName: `${LATENCY}_bucket` });
      });
      samples.push({ labels: { le: "+Inf", route, method }, value: count, metricName: `${LATENCY}_bucket` });
      samples.push(
        { labels: { route, method }, value: sum, metricName: `${LATENCY}_sum` },
        { labels: { route, method }, value: count, metricName: `${LATENCY}_count` },
      );
    }
    return samples;
  }
}
