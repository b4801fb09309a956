import type { Server } from "node:http";

export interface DrainOptions {
  /**
   * How long a draining server still accepts connections (answering /health/ready with 503), so a
   * balancer that routes by readiness stops sending before the port closes.
   */
  delayMs: number;
  /** Everything — delay, requests in flight — ends by then; connections still open are cut. */
  timeoutMs: number;
}

/**
 * Graceful shutdown of one HTTP server, in the order orchestrators expect:
 * 1. draining starts: readiness answers 503 and every response carries `Connection: close`, so
 *    keep-alive clients move to another process instead of racing a closing socket;
 * 2. after `delayMs` the port stops accepting; idle connections are closed as they go idle;
 * 3. requests in flight finish; at `timeoutMs` whatever is left is cut.
 */
export class Drain {
  #draining = false;
  #done: Promise<void> | undefined;

  constructor(private readonly server: Server) {
    // Runs before the app's handler: while draining, Node answers with `Connection: close`.
    server.prependListener("request", (_req, res) => {
      if (this.#draining) res.shouldKeepAlive = false;
    });
  }

  get draining(): boolean {
    return this.#draining;
  }

  /** Starts draining (idempotent) and resolves when the server is closed. */
  start(options: DrainOptions): Promise<void> {
    this.#draining = true;
    return (this.#done ??= this.#close(options));
  }

  async #close({ delayMs, timeoutMs }: DrainOptions): Promise<void> {
    const started = Date.now();
    const delay = Math.min(delayMs, timeoutMs);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const left = Math.max(0, timeoutMs - (Date.now() - started));
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      const sweep = setInterval(() => server.closeIdleConnections(), 25);
      const deadline = setTimeout(() => server.closeAllConnections(), left);
      server.close((error) => {
        clearInterval(sweep);
        clearTimeout(deadline);
        if (error) reject(error);
        else resolve();
      });
      server.closeIdleConnections();
    });
  }
}
