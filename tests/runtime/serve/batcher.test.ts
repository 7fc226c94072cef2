// The micro-batcher on its own: coalescing, splitting, admission and failure isolation, with plain predict functions.
import { describe, expect, it, vi } from "vitest";
import { BatchLatency } from "../../../runtime/serve/batch-latency.ts";
import { Batcher, type BatcherOptions, type BatchReport } from "../../../runtime/serve/batcher.ts";
import { OverloadedError, PredictError } from "../../../runtime/serve/errors.ts";
import type { BatchingSettings } from "../../../runtime/serve/serving-config.ts";

const settings: BatchingSettings = {
  maxBatchSize: 8,
  maxBatchSizeAlone: 1, // never fewer than maxBatchSize: calls of maxBatchSize unless a test sets it
  maxWaitMs: 0,
  maxQueueRows: 1000,
  maxQueueLatencyMs: 1000,
};

/** A batcher whose model doubles numbers, recording every call's rows. */
function doubling(
  overrides: Partial<Omit<BatcherOptions, "predict">> = {},
  predict?: (rows: readonly unknown[]) => unknown,
) {
  const calls: number[][] = [];
  const reports: BatchReport[] = [];
  const batcher = new Batcher({
    ...settings,
    ...overrides,
    predict: async (rows) => {
      calls.push(rows as number[]);
      return predict === undefined ? (rows as number[]).map((n) => n * 2) : predict(rows);
    },
    onBatch: (report) => reports.push(report),
  });
  return { batcher, calls, reports };
}

describe("Batcher", () => {
  it("coalesces requests that arrive in the same event-loop turn into one predict call", async () => {
    const { batcher, calls } = doubling();
    const answers = await Promise.all([batcher.submit([1]), batcher.submit([2, 3]), batcher.submit([4])]);
    expect(answers).toEqual([[2], [4, 6], [8]]);
    expect(calls).toEqual([[1, 2, 3, 4]]);
  });

  it("splits a request bigger than max_batch_size across calls, reassembles it in order, and lets a later small request in after one slice", async () => {
    const { batcher, calls } = doubling();
    const rows = Array.from({ length: 20 }, (_, i) => i);
    const [big, small] = await Promise.all([batcher.submit(rows), batcher.submit([100])]);
    expect(big).toEqual(rows.map((n) => n * 2));
    expect(small).toEqual([200]);
    expect(calls.map((c) => c.length)).toEqual([8, 8, 5]);
    // The small request rides in the second call, not behind the whole big one.
    expect(calls[1]![0]).toBe(100);
    expect(calls.flat().sort((a, b) => a - b)).toEqual([...rows, 100]);
  });

  it("gives a big request alone calls of max_batch_size_alone, and max_batch_size for 10 s after any small request", async () => {
    let clock = 0;
    const { batcher, calls } = doubling({ maxBatchSize: 4, maxBatchSizeAlone: 16, now: () => clock });
    const rows = Array.from({ length: 40 }, (_, i) => i);
    const sizes = async (): Promise<number[]> => {
      calls.length = 0;
      expect(await batcher.submit(rows)).toEqual(rows.map((n) => n * 2));
      return calls.map((call) => call.length);
    };
    expect(await sizes()).toEqual([16, 16, 8]);
    clock = 5_000;
    await batcher.submit([100]);
    clock = 14_999;
    expect(await sizes()).toEqual(Array(10).fill(4));
    clock = 15_000;
    expect(await sizes()).toEqual([16, 16, 8]);
  });

  it("lets a small request that arrives during a big request's alone calls in after the call under way, with calls of max_batch_size from then on", async () => {
    let small: Promise<unknown[]> | undefined;
    const { batcher, calls } = doubling({ maxBatchSize: 4, maxBatchSizeAlone: 16 }, (rows) => {
      if (small === undefined) small = batcher.submit([100]);
      return (rows as number[]).map((n) => n * 2);
    });
    const rows = Array.from({ length: 40 }, (_, i) => i);
    expect(await batcher.submit(rows)).toEqual(rows.map((n) => n * 2));
    expect(await small).toEqual([200]);
    expect(calls[0]).toHaveLength(16);
    expect(calls.slice(1).every((call) => call.length <= 4)).toBe(true);
    // Behind the one call already taken for the big request, and the 4-row slice it had queued ahead.
    expect(calls.findIndex((call) => call.includes(100))).toBeLessThanOrEqual(2);
  });

  it("with pipelineDepth 2, starts the next batch's call while the last one awaits its model, and answers both in order", async () => {
    // A model on another thread: each call's rows wait for the test to release them, in the order they were sent.
    const started: number[][] = [];
    const waiting: (() => void)[] = [];
    const predicted: [number, number][] = [];
    const batcher = new Batcher({
      ...settings,
      maxBatchSize: 4,
      pipelineDepth: 2,
      predict: (rows) => {
        started.push(rows as number[]);
        return new Promise((resolve) => waiting.push(() => resolve((rows as number[]).map((n) => -n))));
      },
    });
    const rows = Array.from({ length: 12 }, (_, i) => i);
    const answer = batcher.submit(rows, undefined, undefined, undefined, (_, from, to) => {
      predicted.push([from, to]);
      return false;
    });
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    // Two calls are under way, none answered: a third waits for a free place.
    expect(started).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
    waiting.shift()!();
    await vi.waitFor(() => expect(started).toHaveLength(3));
    expect(predicted).toEqual([[0, 4]]);
    while (waiting.length > 0) {
      waiting.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await answer).toEqual(rows.map((n) => -n));
    expect(predicted).toEqual([
      [0, 4],
      [4, 8],
      [8, 12],
    ]);
  });

  it("lets go of the predictions a consumer has taken, and keeps the others for the answer", async () => {
    const batcher = new Batcher({
      ...settings,
      maxBatchSize: 4,
      predict: (rows) => Promise.resolve((rows as number[]).map((n) => -n)),
    });
    const taken: number[][] = [];
    const answer = await batcher.submit(
      [0, 1, 2, 3, 4, 5, 6, 7],
      undefined,
      undefined,
      undefined,
      (results, from, to) => {
        if (from !== 0) return false;
        taken.push(results.slice(from, to) as number[]);
        return true;
      },
    );
    expect(taken).toEqual([[-0, -1, -2, -3]]);
    expect(answer).toEqual([undefined, undefined, undefined, undefined, -4, -5, -6, -7]);
  });

  it("with pipelineDepth 1 (the default), makes one call at a time", async () => {
    let underWay = 0;
    let most = 0;
    const batcher = new Batcher({
      ...settings,
      maxBatchSize: 2,
      predict: async (rows) => {
        most = Math.max(most, ++underWay);
        await new Promise((resolve) => setTimeout(resolve, 2));
        underWay--;
        return rows;
      },
    });
    expect(await batcher.submit([1, 2, 3, 4, 5, 6])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(most).toBe(1);
  });

  it("waits up to max_wait_ms for company when configured", async () => {
    const { batcher, calls } = doubling({ maxWaitMs: 30 });
    const first = batcher.submit([1]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const second = batcher.submit([2]);
    await Promise.all([first, second]);
    expect(calls).toEqual([[1, 2]]);
  });

  it("answers an empty batch without calling the model", async () => {
    const { batcher, calls } = doubling();
    expect(await batcher.submit([])).toEqual([]);
    expect(calls).toEqual([]);
  });

  it("refuses rows beyond max_queue_rows with a Retry-After, but always admits into an empty queue", async () => {
    const { batcher } = doubling({ maxQueueRows: 10 });
    const full = batcher.submit(Array.from({ length: 10 }, (_, i) => i)); // empty queue: admitted, filling it
    const refused = batcher.submit([1]);
    await expect(refused).rejects.toBeInstanceOf(OverloadedError);
    await expect(refused).rejects.toMatchObject({ statusCode: 503, retryAfterSeconds: expect.any(Number) as number });
    expect((await full).length).toBe(10);
    expect(await batcher.submit([1])).toEqual([2]); // drained: admitted again
  });

  it("refuses one request of more rows than max_queue_rows with 413, even into an empty queue", async () => {
    const { batcher, calls } = doubling({ maxQueueRows: 10 });
    await expect(batcher.submit(Array.from({ length: 11 }, (_, i) => i))).rejects.toMatchObject({
      code: "TOO_MANY_ROWS",
      statusCode: 413,
    });
    expect(calls).toEqual([]);
  });

  it("answers a request past max_queue_latency_ms of queueing with 503 rather than serving it late, and Retry-After from the observed drain", async () => {
    // A clock that only the model moves: each batch of 4 rows takes 50 ms, whatever the machine.
    let clock = 0;
    const batcher = new Batcher({
      ...settings,
      maxBatchSize: 4,
      maxQueueLatencyMs: 120,
      now: () => clock,
      predict: async (rows) => {
        clock += 50;
        return rows;
      },
    });
    // Not calibrated yet, so every request is admitted; 10 requests of 4 rows would take 500 ms to drain.
    const submitted = Array.from({ length: 10 }, (_, i) => ({ at: clock, answer: batcher.submit([i, i, i, i]) }));
    const outcomes = await Promise.allSettled(submitted.map((s) => s.answer));
    const served = outcomes.filter((o) => o.status === "fulfilled").length;
    const refused = outcomes
      .filter((o): o is PromiseRejectedResult => o.status === "rejected")
      .map((o) => o.reason as OverloadedError);
    // Served: those whose first row started within 120 ms (at 0, 50 and 100 ms); the rest waited longer and were refused.
    expect(served).toBe(3);
    expect(refused).toHaveLength(7);
    for (const error of refused) expect(error).toMatchObject({ code: "OVERLOADED", statusCode: 503 });
    expect(refused[0]!.message).toMatch(/waited 150 ms in the queue without starting \(limit 120 ms\)/);
    expect(batcher.drainRate.msPerRow()).toBeCloseTo(12.5);
  });

  it("fails a request whose prediction holds NaN or Infinity with 422 naming the row, and serves the requests batched with it", async () => {
    const { batcher } = doubling({}, (rows) =>
      (rows as number[]).map((n) => ({ score: n === 13 ? Number.NaN : n, parts: [n, n === 14 ? Infinity : 0] })),
    );
    const results = await Promise.allSettled([batcher.submit([1]), batcher.submit([2, 13]), batcher.submit([14])]);
    expect(results[0]).toMatchObject({ status: "fulfilled" });
    expect(results[1]).toMatchObject({
      status: "rejected",
      reason: { code: "NON_FINITE_PREDICTION", statusCode: 422 },
    });
    expect((results[1] as PromiseRejectedResult).reason).toHaveProperty(
      "message",
      expect.stringMatching(/row 1 has NaN at \/score/) as string,
    );
    expect((results[2] as PromiseRejectedResult).reason).toHaveProperty(
      "message",
      expect.stringMatching(/row 0 has Infinity at \/parts\/1/) as string,
    );
  });

  it("refuses a request whose estimated wait exceeds max_queue_latency_ms once the latency fit is calibrated", async () => {
    const slow = (rows: readonly unknown[]) => {
      const until = performance.now() + 2 + rows.length * 5;
      while (performance.now() < until);
      return rows;
    };
    // A limit far above a stall of the event loop on a loaded machine (at 20 ms, a 30 ms stall shed the first request).
    const { batcher } = doubling({ maxQueueLatencyMs: 150, maxBatchSize: 4 }, slow);
    await batcher.submit([1]);
    await batcher.submit([1, 2, 3, 4]);
    await batcher.drain();
    expect(batcher.latency.calibrated).toBe(true);
    const first = batcher.submit(Array.from({ length: 40 }, (_, i) => i)); // ~10 batches × 22 ms: admitted, queue was empty
    const second = batcher.submit([1]);
    await expect(second).rejects.toMatchObject({ code: "OVERLOADED" });
    expect((await first).length).toBe(40);
  });

  it("fails only the request whose rows make predict throw, not the ones batched with it", async () => {
    const { batcher } = doubling({}, (rows) => {
      if ((rows as number[]).includes(13)) throw new Error("unlucky row");
      return (rows as number[]).map((n) => n * 2);
    });
    const results = await Promise.allSettled([batcher.submit([1]), batcher.submit([13]), batcher.submit([2])]);
    expect(results[0]).toEqual({ status: "fulfilled", value: [2] });
    expect(results[1]).toMatchObject({ status: "rejected", reason: expect.any(PredictError) as PredictError });
    expect((results[1] as PromiseRejectedResult).reason).toHaveProperty(
      "message",
      "The model's predict function failed: unlucky row",
    );
    expect(results[2]).toEqual({ status: "fulfilled", value: [4] });
  });

  it("fails a request when predict returns the wrong number of predictions", async () => {
    const { batcher } = doubling({}, () => [1]);
    await expect(batcher.submit([1, 2])).rejects.toThrow(/returned 1 predictions for 2 rows/);
  });

  it("drops the queued rows of a request whose client hung up, and serves the others", async () => {
    const { batcher, calls } = doubling({ maxBatchSize: 4 });
    const connection = { destroyed: false };
    const abandoned = batcher.submit(
      Array.from({ length: 40 }, (_, i) => i),
      connection,
    );
    const kept = batcher.submit([100], { destroyed: false });
    expect(batcher.queuedRows).toBe(41);
    connection.destroyed = true;
    await expect(abandoned).rejects.toMatchObject({ code: "CLIENT_GONE" });
    expect(await kept).toEqual([200]);
    expect(calls).toEqual([[100]]);
    expect(batcher.queuedRows).toBe(0);
  });

  it("stops predicting a split request once its client hangs up", async () => {
    const connection = { destroyed: false };
    const { batcher, calls } = doubling({ maxBatchSize: 4 }, (rows) => {
      connection.destroyed = true; // the client leaves while its first batch runs
      return (rows as number[]).map((row) => row * 2);
    });
    await expect(
      batcher.submit(
        Array.from({ length: 40 }, (_, i) => i),
        connection,
      ),
    ).rejects.toMatchObject({ code: "CLIENT_GONE" });
    expect(calls).toEqual([[0, 1, 2, 3]]);
    expect(batcher.queuedRows).toBe(0);
  });

  it("reports each predict call for the metrics", async () => {
    const { batcher, reports } = doubling();
    await Promise.all([batcher.submit([1, 2]), batcher.submit([3])]);
    expect(reports).toMatchObject([{ rows: 3, requests: 2, predictions: [2, 4, 6] }]);
  });

  it("drains its queue on close and refuses new work afterwards", async () => {
    const { batcher } = doubling();
    const pending = batcher.submit([1, 2, 3]);
    await batcher.close();
    expect(await pending).toEqual([2, 4, 6]);
    await expect(batcher.submit([1])).rejects.toMatchObject({ code: "NOT_READY" });
  });
});

describe("BatchLatency", () => {
  it("is calibrated only after batches of two sizes", () => {
    const latency = new BatchLatency();
    latency.record(1, 1);
    latency.record(1, 1);
    expect(latency.calibrated).toBe(false);
    latency.record(100, 11);
    expect(latency.calibrated).toBe(true);
    const fit = latency.fit()!;
    expect(fit.a).toBeCloseTo(0.9, 1);
    expect(fit.b).toBeCloseTo(0.1, 2);
  });

  it("never fits a negative slope or intercept", () => {
    const latency = new BatchLatency();
    latency.record(1, 5);
    latency.record(100, 1); // bigger batch faster: noise, not a negative cost per row
    const fit = latency.fit()!;
    expect(fit.a).toBeGreaterThanOrEqual(0);
    expect(fit.b).toBeGreaterThanOrEqual(0);
  });

  it("keeps the last slope when recent batches all have the same size", () => {
    const latency = new BatchLatency();
    latency.record(1, 1.1);
    latency.record(101, 11.1);
    for (let i = 0; i < 500; i++) latency.record(1, 1.1);
    // A per-row charge of the whole 1.1 ms would make 1000 queued rows look like 1.1 s.
    expect(latency.drainMs(1000, 100)).toBeLessThan(200);
  });
});
