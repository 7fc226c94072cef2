/**
 * How fast the queue really drains under load: wall-clock time per row between the ends of
 * back-to-back batches. Unlike BatchLatency (predict calls only), it counts everything the process
 * does between batches — reading, parsing, validating and refusing other requests, serialising
 * answers — which under overload with clients retrying at once is most of the time. Admission
 * estimates a new request's wait from the slower of the two, so it refuses rather than queues a
 * request past max_queue_latency_ms, and Retry-After says how long the queue really takes to empty.
 * Ends, not starts, delimit the cycles: with the model on its own thread the next batch starts
 * while the last one runs (batcher.ts, pipelineDepth), but batches still end one after another.
 */

/** Weight kept by earlier cycles at each new one: about the last 10 cycles count. */
const DECAY = 0.9;

/** Observed wall-clock drain rate of a backlogged queue. */
export class DrainRate {
  private rows = 0;
  private ms = 0;
  private lastEnd: number | undefined;

  /** A batch of `rows` rows ended at `at`; `backlogged` says whether the queue stayed busy since the previous batch ended (rows waited or a call was under way then). */
  batchEnded(at: number, rows: number, backlogged: boolean): void {
    if (backlogged && this.lastEnd !== undefined && rows > 0) {
      this.rows = this.rows * DECAY + rows;
      this.ms = this.ms * DECAY + (at - this.lastEnd);
    }
    this.lastEnd = at;
  }

  /** Observed ms per row while backlogged, or undefined before a backlog was seen. */
  msPerRow(): number | undefined {
    return this.rows === 0 ? undefined : this.ms / this.rows;
  }

  /** Estimated wall-clock time to drain `rows` queued rows, or undefined before a backlog was seen. */
  drainMs(rows: number): number | undefined {
    const perRow = this.msPerRow();
    return perRow === undefined ? undefined : rows * perRow;
  }
}
