import type { RunningServer } from "./server.js";

/**
 * Serves until SIGTERM or SIGINT, then shuts down gracefully and resolves with the signal. A second
 * signal during shutdown gets Node's default behaviour (the process ends at once). With `exitAfterMs`
 * the process is ended at that deadline even if something still holds the event loop, so a
 * stop always completes within IDHUB_SHUTDOWN_TIMEOUT (plus a moment to close the database).
 */
export function runUntilSignal(
  server: Pick<RunningServer, "close" | "logger">,
  signals: readonly NodeJS.Signals[] = ["SIGTERM", "SIGINT"],
  exitAfterMs?: number,
): Promise<NodeJS.Signals> {
  return new Promise((resolve, reject) => {
    const stop = (signal: NodeJS.Signals) => {
      for (const s of signals) process.off(s, stop);
      server.logger.info({ signal }, "shutting down");
      if (exitAfterMs !== undefined) {
        setTimeout(() => {
          server.logger.warn({ exitAfterMs }, "shutdown timeout reached: exiting");
          process.exit(1);
        }, exitAfterMs).unref();
      }
      server.close().then(() => resolve(signal), reject);
    };
    for (const s of signals) process.on(s, stop);
  });
}
