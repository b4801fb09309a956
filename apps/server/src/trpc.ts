import { appRouter, createInnerContext } from "@idhub/api";
import type { Core } from "@idhub/core";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { TRPCError } from "@trpc/server";
import { TRPC_ERROR_CODES_BY_KEY, type TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import type { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Logger } from "pino";
import { readLimited } from "./http/body.js";
import type { AppContext, AppEnv } from "./http/env.js";
import { HttpProblem, isHttpProblem } from "./http/problems.js";
import type { Surface } from "./http/surface.js";
import { retryAfterOf } from "./http/retry-after.js";
import { logUnexpected } from "./http/unexpected.js";
import { answerFastCall, fastPathInput, fastPathProcedure } from "./trpc-fast-path.js";

// A batch may carry several metadata values of up to 1 MB each.
export const TRPC_MAX_BODY = 8 * 1024 * 1024;

/** A tRPC-shaped error for what happens before tRPC's own handler runs (size limit, crashes). */
function trpcError(c: AppContext, code: TRPC_ERROR_CODE_KEY, status: number, message: string): Response {
  const body = { error: { message, code: TRPC_ERROR_CODES_BY_KEY[code], data: { code, httpStatus: status, domain: null } } };
  return c.json(body, status as ContentfulStatusCode);
}

export function trpcSurface(logger: Logger): Surface {
  return {
    name: "trpc",
    maxBody: TRPC_MAX_BODY,
    fail(c, error) {
      if (isHttpProblem(error) && error.kind === "tooLarge") {
        return trpcError(c, "PAYLOAD_TOO_LARGE", 413, "Request body is too large.");
      }
      logUnexpected(logger, c, error);
      return trpcError(c, "INTERNAL_SERVER_ERROR", 500, "Internal server error");
    },
  };
}

/**
 * A chunked body has no Content-Length for the early size check, so it is read here within the
 * limit and handed on as bytes. Returns undefined when it is too large.
 */
async function bounded(request: Request): Promise<Request | undefined> {
  if (request.headers.has("content-length") || request.body === null) return request;
  const bytes = await readLimited(request, TRPC_MAX_BODY);
  if (bytes === undefined) return undefined;
  return new Request(request.url, { method: request.method, headers: request.headers, body: bytes });
}

/**
 * `/trpc/*` through tRPC's stock fetch handler (architecture.md: correct for batches, streaming and
 * `?batch=1`), except plain single mutations, which take the fast path of trpc-fast-path.ts (same
 * answers, a fraction of the cost). The context receives the outcome of the shared authentication
 * middleware.
 */
export function mountTrpc(app: Hono<AppEnv>, core: Core, logger: Logger, surface: Surface): void {
  const contextOf = (c: AppContext) =>
    createInnerContext({ core, principal: c.get("principal") ?? null, authError: c.get("authError") ?? null });
  // Domain errors become their own tRPC codes (in @idhub/api); an internal error is an incident.
  const logIfUnexpected = (c: AppContext, error: TRPCError) => {
    if (error.code === "INTERNAL_SERVER_ERROR") logUnexpected(logger, c, error.cause ?? error);
  };
  // A throttled login's Retry-After, on both paths.
  const retryAfterHeaders = (errors: readonly TRPCError[]): { headers?: Record<string, string> } => {
    const retryAfter = errors.map((error) => retryAfterOf(error.cause)).find((value) => value !== undefined);
    return retryAfter ? { headers: { "retry-after": retryAfter } } : {};
  };

  app.all("/trpc/*", async (c) => {
    let req: Request | undefined = c.req.raw;
    const fastPath = fastPathProcedure(c);
    if (fastPath !== undefined) {
      const bytes = await readLimited(c.req.raw, TRPC_MAX_BODY);
      if (bytes === undefined) return surface.fail(c, new HttpProblem("tooLarge"));
      const parsed = fastPathInput(bytes);
      if (parsed.ok) {
        return answerFastCall({ path: fastPath, input: parsed.input }, contextOf(c), {
          onError: (error) => logIfUnexpected(c, error),
          headersFor: (error) => retryAfterHeaders([error]).headers ?? {},
        });
      }
      // Not JSON: the stock handler answers it, from the bytes already read.
      req = new Request(c.req.url, { method: "POST", headers: c.req.raw.headers, body: bytes });
    } else {
      req = await bounded(req);
      if (!req) return surface.fail(c, new HttpProblem("tooLarge"));
    }
    return fetchRequestHandler({
      endpoint: "/trpc",
      req,
      router: appRouter,
      createContext: () => contextOf(c),
      onError: ({ error }) => logIfUnexpected(c, error),
      responseMeta: ({ errors }) => retryAfterHeaders(errors),
    });
  });
}
