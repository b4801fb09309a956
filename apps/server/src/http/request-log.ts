import { randomUUID } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import type { AppEnv } from "./env.js";
import { setResponseHeader } from "./response-headers.js";

// An id from a proxy in front of us is kept when it is harmless to log and echo.
const ACCEPTABLE_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * First middleware: gives the request an id (echoed as X-Request-Id) and writes one structured log
 * line when it is answered. Only method, path, status, duration and id are logged: never headers,
 * bodies or query strings, which may carry secrets.
 */
export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  // The line's fields are fixed above and none can hold a secret (a sensitive path is logged as its
  // route template), so it skips the logger's redaction pass, which doubled the line's cost.
  const requests = logger.child({}, { redact: [] });
  return async (c, next) => {
    const startedAt = performance.now();
    const incoming = c.req.header("x-request-id");
    const requestId = incoming !== undefined && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
    c.set("requestId", requestId);
    c.set("startedAt", startedAt);
    await next();
    setResponseHeader(c, "X-Request-Id", requestId);
    requests.info(
      {
        reqId: requestId,
        method: c.req.method,
        path: c.get("logPath") ?? c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - startedAt) * 100) / 100,
      },
      "request",
    );
  };
}
