// Request counts and latency kept outside prom-client: /metrics must read exactly as prom-client's own counter and histogram would.
import { Counter, Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { RequestMetrics } from "../../../runtime/serve/request-metrics.ts";

const BOUNDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 1];
const REQUESTS: [string, string, number, number][] = [
  ["/predict", "POST", 200, 0.0004],
  ["/predict", "POST", 200, 0.0005], // on a bound: counted in that bucket
  ["/predict", "POST", 400, 0.0011],
  ["/health", "GET", 200, 0.00005],
  ["/predict", "POST", 200, 7], // above every bound: only in +Inf
  ["unmatched", "GET", 404, 0.001],
  ["/invocations", "POST", 503, 0.02],
];

describe("RequestMetrics", () => {
  it("exposes the same text as prom-client's counter and histogram fed the same requests", async () => {
    const ours = new Registry();
    const metrics = new RequestMetrics(ours, BOUNDS);
    const reference = new Registry();
    const counter = new Counter({
      name: "cellforge_http_requests_total",
      help: "HTTP requests by route, method and status code.",
      labelNames: ["route", "method", "status"],
      registers: [reference],
    });
    const histogram = new Histogram({
      name: "cellforge_http_request_duration_seconds",
      help: "Time from request to response, by route and method.",
      labelNames: ["route", "method"],
      buckets: BOUNDS,
      registers: [reference],
    });
    for (const [route, method, status, seconds] of REQUESTS) {
      metrics.observe(route, method, status, seconds);
      counter.inc({ route, method, status: String(status) });
      histogram.observe({ route, method }, seconds);
    }
    const text = await ours.metrics();
    expect(text).toBe(await reference.metrics());
    expect(text).toContain(
      'cellforge_http_request_duration_seconds_bucket{le="0.0005",route="/predict",method="POST"} 2',
    );
    expect(text).toContain('cellforge_http_requests_total{route="/invocations",method="POST",status="503"} 1');
  });

  it("gives --workers' aggregation the same samples as prom-client", async () => {
    const ours = new Registry();
    const metrics = new RequestMetrics(ours, BOUNDS);
    const reference = new Registry();
    new Counter({
      name: "cellforge_http_requests_total",
      help: "HTTP requests by route, method and status code.",
      labelNames: ["route", "method", "status"],
      registers: [reference],
    }).inc({ route: "/predict", method: "POST", status: "200" });
    const histogram = new Histogram({
      name: "cellforge_http_request_duration_seconds",
      help: "Time from request to response, by route and method.",
      labelNames: ["route", "method"],
      buckets: BOUNDS,
      registers: [reference],
    });
    metrics.observe("/predict", "POST", 200, 0.003);
    histogram.observe({ route: "/predict", method: "POST" }, 0.003);
    const strip = (json: Awaited<ReturnType<Registry["getMetricsAsJSON"]>>) =>
      json.map((metric) => ({
        ...metric,
        values: metric.values.map(
          ({ value, labels, metricName }: { value: number; labels: object; metricName?: string }) => ({
            value,
            labels,
            metricName,
          }),
        ),
      }));
    expect(strip(await ours.getMetricsAsJSON())).toEqual(strip(await reference.getMetricsAsJSON()));
  });
});
