/** `cellforge worker`: takes run jobs from Redis (BullMQ) and runs them against this project's catalog and tracking store. */
import type { Command } from "../command.ts";
import { integerOption, parseOptions, stringOption } from "../options.ts";

const usage = `Usage: cellforge worker [options]

Waits for run jobs on a Redis queue (queued by \`cellforge run --on workers\` and
\`cellforge sweep --on workers\`) and executes each as a normal tracked run, in its own
process, against this checkout's pipelines, the data catalog and the tracking store. Start as
many workers as you like, on as many machines, each in a checkout of the same commit sharing
the tracking store and the data/artifact folders. A job queued with other node code is refused,
saying which side to update.

Redis: CELLFORGE_REDIS_URL, else \`redis\` in conf/ENV/workers.yml (default redis://127.0.0.1:6379).

SIGTERM or Ctrl-C: stop taking jobs and finish the current ones; a second one cancels them
(their runs end KILLED) and exits.

Options:
  --concurrency N   runs at once in this worker (default 1)
  --queue NAME      the queue to take jobs from (default: \`queue\` in workers.yml, else cellforge)
  --env ENV         configuration environment: conf/ENV over conf/base (default: local)`;

const worker: Command = {
  name: "worker",
  summary: "take pipeline runs queued on Redis and execute them",
  usage,
  async run(args) {
    const parsed = parseOptions(
      args,
      { concurrency: { type: "string" }, queue: { type: "string" }, env: { type: "string" } },
      0,
    );
    const concurrency = integerOption(parsed, "concurrency") ?? 1;
    const queue = stringOption(parsed, "queue");
    const env = stringOption(parsed, "env") ?? "local";
    const { findProjectRoot } = await import("../../config/project-root.ts");
    const { workersSettings } = await import("../../workers/workers-settings.ts");
    const { connectRedis, displayUrl } = await import("../../workers/redis-connection.ts");
    const { startWorker } = await import("../../workers/worker.ts");
    const root = findProjectRoot();
    const settings = workersSettings(root, env, queue === undefined ? {} : { queue });
    const connection = await connectRedis(settings.redisUrl);
    const running = startWorker({ root, settings, connection, concurrency });
    console.log(
      `cellforge worker ${process.pid}: taking jobs from queue ${settings.queue} at ${displayUrl(settings.redisUrl)} (concurrency ${concurrency})`,
    );
    const warming = performance.now();
    void running.warm.then(() =>
      console.log(
        `cellforge worker ${process.pid}: run processes ready (TF.js and pipelines loaded in ${((performance.now() - warming) / 1000).toFixed(1)} s)`,
      ),
    );
    await new Promise<void>((resolve) => {
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals): void => {
        signals++;
        if (signals === 1) {
          console.log(`cellforge worker: ${signal}: no new jobs; finishing the current ones (again to cancel them).`);
          void running.drain().then(resolve);
        } else {
          console.log(`cellforge worker: ${signal} again: cancelling the current runs.`);
          void running.stopNow().then(resolve);
        }
      };
      process.on("SIGTERM", onSignal);
      process.on("SIGINT", onSignal);
    });
    connection.disconnect();
    console.log("cellforge worker: stopped.");
    return 0;
  },
};

export default worker;
