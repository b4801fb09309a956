import type { Logger } from "pino";
import type { AppContext } from "./env.js";

/**
 * Logs an exception no rule anticipated, with the request id (and the error's trace id, if the
 * surface has one) so an operator can find it. The stack goes to the log only, never to the client.
 */
export function logUnexpected(logger: Logger, c: AppContext, error: unknown, trace?: string): void {
  logger.error({ reqId: c.get("requestId"), trace, method: c.req.method, path: c.get("logPath") ?? c.req.path, err: error }, "unexpected error");
}
