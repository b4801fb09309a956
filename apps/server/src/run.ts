import type { RunningServer } from "./server.js";

/**
 * Serves until SIGTERM or SIGINT, then shuts down gracefully and resolves with the signal. A second
 * signal during shutdown gets Node's default behaviour (the process ends at once).
 */
export function runUntilSignal(
  server: Pick<RunningServer, "close" | "logger">,
  signals: readonly NodeJS.Signals[] = ["SIGTERM", "SIGINT"],
): Promise<NodeJS.Signals> {
  return new Promise((resolve, reject) => {
    const stop = (signal: NodeJS.Signals) => {
      for (const s of signals) process.off(s, stop);
      server.logger.info({ signal }, "shutting down");
      server.close().then(() => resolve(signal), reject);
    };
    for (const s of signals) process.on(s, stop);
  });
}
