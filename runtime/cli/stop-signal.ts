/** Graceful stops for long-running commands (serve, start, ui): the first signal drains, a second one exits. */

/**
 * Resolves when one of `signals` arrives; a second one exits at once (130 after Ctrl-C, else 143).
 * This is the CLI, the one place allowed to exit. Signals left out are ignored.
 */
export function stopSignal(signals: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM"]): Promise<NodeJS.Signals> {
  if (!signals.includes("SIGINT")) process.on("SIGINT", () => undefined);
  return new Promise((resolve) => {
    const first = (signal: NodeJS.Signals): void => {
      for (const s of signals) process.off(s, first);
      for (const s of signals) process.once(s, () => process.exit(signal === "SIGINT" ? 130 : 143));
      resolve(signal);
    };
    for (const s of signals) process.on(s, first);
  });
}
