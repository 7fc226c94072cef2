/**
 * How long the model takes per batch, from measured predict calls: a least-squares fit of
 * `ms = a + b·rows`. Admission control uses it to estimate a new request's wait in the queue.
 *
 * Only the predict calls are timed, not the HTTP work between them: that work grows with the
 * traffic itself — refused requests included, whose bodies are still read off the socket — so
 * counting it would let refusals inflate the estimate that causes them. The estimate is thus a
 * lower bound of the real wait, which errs on the side of serving.
 *
 * BentoML's dispatcher (bentoml/BentoML #3200, #3646) fitted the same line and cancelled requests
 * on it; a fit gone wrong (negative slope, cold-start samples, every batch the same size) turned
 * light load into "Service Busy". Here the coefficients are clamped at 0, the fit only counts as
 * calibrated once batches of two sizes were measured (the warm-up runs 1 row and a full batch), a
 * fit without spread keeps the last slope that had some, and an admitted request is never
 * cancelled on the strength of an estimate.
 */

/** Exponentially decayed sums for a least-squares fit of duration = a + b·rows. */
interface Sums {
  w: number;
  n: number;
  d: number;
  nn: number;
  nd: number;
}

/** Weight kept by earlier samples at each new one: about the last 20 batches count. */
const DECAY = 0.95;

/** The fitted line: `a` ms per batch plus `b` ms per row. */
export interface LatencyFit {
  a: number;
  b: number;
}

/** Measured batch latencies. */
export class BatchLatency {
  private sums: Sums = { w: 0, n: 0, d: 0, nn: 0, nd: 0 };
  private readonly sizes = new Set<number>();
  private slope: number | undefined;

  /** Records that a batch of `rows` rows took `ms`. */
  record(rows: number, ms: number): void {
    if (!(rows > 0) || !Number.isFinite(ms) || ms < 0) return;
    const s = this.sums;
    this.sums = {
      w: s.w * DECAY + 1,
      n: s.n * DECAY + rows,
      d: s.d * DECAY + ms,
      nn: s.nn * DECAY + rows * rows,
      nd: s.nd * DECAY + rows * ms,
    };
    if (this.sizes.size < 2) this.sizes.add(rows);
    const slope = this.spreadSlope();
    if (slope !== undefined) this.slope = slope;
  }

  private spreadSlope(): number | undefined {
    const { w, n, d, nn, nd } = this.sums;
    const meanN = n / w;
    const variance = nn / w - meanN * meanN;
    if (this.sizes.size < 2 || variance < 0.25) return undefined;
    return Math.max(0, (nd / w - meanN * (d / w)) / variance);
  }

  /** Whether batches of at least two sizes were measured: only then may an estimate refuse work. */
  get calibrated(): boolean {
    return this.sizes.size >= 2;
  }

  /** The current fit, or undefined before any measurement. */
  fit(): LatencyFit | undefined {
    const { w, n, d } = this.sums;
    if (w === 0) return undefined;
    const meanN = n / w;
    const meanD = d / w;
    // Without a slope yet, charge the whole mean to the rows: an upper bound at the sizes seen.
    const b = this.slope ?? meanD / meanN;
    const a = meanD - b * meanN;
    return a >= 0 ? { a, b } : { a: 0, b: meanD / meanN };
  }

  /** Estimated time to serve `rows` rows in batches of at most `maxBatchSize`, in ms (undefined before any measurement). */
  drainMs(rows: number, maxBatchSize: number): number | undefined {
    if (rows <= 0) return 0;
    const fit = this.fit();
    if (fit === undefined) return undefined;
    return Math.ceil(rows / maxBatchSize) * fit.a + rows * fit.b;
  }
}
