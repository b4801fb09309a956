import type { Logger } from "pino";
import { decodeUtf8, INVALID_JSON, parseJson, readLimited } from "../http/body.js";
import type { AppContext } from "../http/env.js";
import { HttpProblem } from "../http/problems.js";
import type { AnyRoute } from "../http/route-table.js";
import { errorResponse, RETRY_AFTER, type HeaderDoc } from "../http/documented-errors.js";
import type { RestSurface } from "../http/surface.js";
import { renderTrustedTwinError } from "./errors.js";
import { errorBody } from "./wire.js";

export const TRUSTED_TWIN_MAX_BODY = 64 * 1024;

const TRACE = "6f1c2a9e-3b7d-4c55-9f0e-2d8a41b7c3e1";
const error = (subcode: number, description: string, headers?: Record<string, HeaderDoc>) =>
  errorResponse(errorBody, description, { subcode, description: PROBLEM_TEXT[subcode] ?? description, trace: TRACE }, headers);
// What the example of each documented subcode says (the renderer's texts, or a typical domain message).
const PROBLEM_TEXT: Record<number, string> = {
  400592: "identity: must be at most 512 characters",
  401000: "Missing, unknown or expired secret.",
  403535: "The role does not allow get_twin.",
  404653: "The requested route does not exist.",
  412000: "The object has changed since the given If-Match version.",
  500000: "Internal server error.",
};

/** Trusted Twin's REST conventions: root paths, bare JSON bodies, `{subcode, description, trace}` errors. */
export function trustedTwinSurface(logger: Logger): RestSurface {
  return {
    name: "trustedtwin",
    tag: "trustedtwin",
    prefixes: [""],
    securityScheme: "TrustedTwinSecret",
    maxBody: TRUSTED_TWIN_MAX_BODY,
    operationId: (route: AnyRoute) => route.operationId ?? route.action ?? `${route.method} ${route.path}`,
    successSchema: (response) => response,
    errorResponses: (route) => ({
      400: error(400592, "Invalid request (400415 JSON, 400314 UTF-8, 400141 size, 400592 parameter, 400589 rule, 400358, 400897)"),
      // Public routes too: redeeming a PIN is throttled like a login.
      // Throttled clients get the same 401 (Trusted Twin has no 429) plus Retry-After.
      401: error(
        401000,
        route.public ? "Too many failed attempts from this client (401000)" : "Missing, unknown or expired secret, or too many failures (401000)",
        RETRY_AFTER,
      ),
      ...(route.action ? { 403: error(403535, "Action not permitted (403535)") } : {}),
      404: error(404653, "Not found, or another method on a known path (404653: Trusted Twin has no 405)"),
      ...(route.ifMatch ? { 412: error(412000, "If-Match names another version than the current one (412000)") } : {}),
      500: error(500000, "Internal error (500000)"),
    }),
    // Clients always send JSON here, so the body is parsed whatever its content type says.
    async readBody(c: AppContext) {
      const bytes = await readLimited(c.req.raw, TRUSTED_TWIN_MAX_BODY);
      if (bytes === undefined) throw new HttpProblem("tooLarge");
      const text = decodeUtf8(bytes);
      if (text === undefined) throw new HttpProblem("badUtf8");
      if (text.trim() === "") return {};
      const value = parseJson(text);
      if (value === INVALID_JSON) throw new HttpProblem("badJson");
      return value;
    },
    succeed: (c, status, body) => (status === 204 ? c.body(null, 204) : c.json(body, status)),
    fail: (c, failure) => renderTrustedTwinError(logger, c, failure),
  };
}
