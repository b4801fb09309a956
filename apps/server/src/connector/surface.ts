import type { Logger } from "pino";
import { decodeUtf8, INVALID_JSON, parseJson, readLimited } from "../http/body.js";
import type { AppContext } from "../http/env.js";
import { HttpProblem } from "../http/problems.js";
import type { AnyRoute } from "../http/route-table.js";
import { ALLOW, errorResponse, RETRY_AFTER, type HeaderDoc } from "../http/documented-errors.js";
import type { RestSurface } from "../http/surface.js";
import { renderConnectorError } from "./errors.js";
import { acceptsJson, CONNECTOR_PREFIXES, errorEnvelope, resultEnvelope } from "./wire.js";
import { setResponseHeader } from "../http/response-headers.js";

export const CONNECTOR_MAX_BODY = 2 * 1024 * 1024;

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;

const error = (code: string, message: string, description: string, headers?: Record<string, HeaderDoc>) =>
  errorResponse(
    errorEnvelope,
    description,
    {
      error: {
        code,
        message,
        id: "ERRABCDEFGHJKLMNPQR",
        time: "2026-01-02T03:04:05.678Z",
        docs: `https://enmeshed.eu/integrate/error-codes#${code}`,
      },
    },
    headers,
  );

/**
 * Reads a body like the Connector's express stack: JSON only when the content type says so, and
 * then it must be an object or array; an empty body, or one of another type, is `{}` (the SDK sends
 * bodyless PUTs as `application/x-www-form-urlencoded` with length 0).
 */
async function readBody(c: AppContext): Promise<unknown> {
  const bytes = await readLimited(c.req.raw, CONNECTOR_MAX_BODY);
  if (bytes === undefined) throw new HttpProblem("tooLarge");
  if (bytes.byteLength === 0 || !JSON_TYPE.test(c.req.header("content-type") ?? "")) return {};
  const text = decodeUtf8(bytes);
  if (text === undefined) throw new HttpProblem("badUtf8");
  const value = parseJson(text);
  if (value === INVALID_JSON || typeof value !== "object" || value === null) throw new HttpProblem("badJson");
  return value;
}

/** The enmeshed Connector's REST conventions: two prefixes, `{"result"}` / `{"error"}` envelopes. */
export function connectorSurface(logger: Logger): RestSurface {
  return {
    name: "connector",
    tag: "connector",
    prefixes: CONNECTOR_PREFIXES,
    securityScheme: "ApiKeyAuth",
    maxBody: CONNECTOR_MAX_BODY,
    // The same operation exists under both prefixes; the 6.x prefix gets a suffix to stay unique.
    operationId: (route: AnyRoute, prefix: string) => {
      const id = route.operationId ?? route.action ?? `${route.method} ${route.path}`;
      return prefix === "/api/v2" ? `${id}V2` : id;
    },
    successSchema: resultEnvelope,
    errorResponses: (route) => ({
      400: error("error.runtime.validation.invalidPropertyValue", "must be a string", "Invalid request"),
      // Throttled clients get the same 401 plus Retry-After (the Connector has no 429).
      ...(route.public
        ? {}
        : { 401: error("error.connector.unauthorized", "Unauthorized.", "Missing, unknown or expired API key, or too many failures", RETRY_AFTER) }),
      ...(route.action
        ? { 403: error("error.connector.forbidden", "You are not allowed to access this endpoint.", "The role does not permit this action") }
        : {}),
      404: error("error.runtime.recordNotFound", "Record not found.", "Not found (or an unknown route: error.connector.http.routeDoesNotExist)"),
      405: error(
        "error.connector.http.methodNotAllowed",
        "The request method is not supported for the requested resource.",
        "Another method than the path's: Allow lists the ones it answers",
        ALLOW,
      ),
      ...(route.status !== 204
        ? { 406: error("error.connector.http.notAcceptable", "Only JSON responses are available.", "Accept admits no JSON answer") }
        : {}),
      ...(route.ifMatch
        ? { 412: error("error.connector.preconditionFailed", "The object has changed.", "If-Match names another version (our extension)") }
        : {}),
      413: error("error.connector.http.payloadTooLarge", "The request payload is larger than 2 MB.", "Request body over 2 MB"),
      500: error("error.connector.unexpected", "An unexpected error occurred.", "Unexpected error"),
    }),
    successHeaders: (route): Record<string, HeaderDoc> =>
      route.status === 201 ? { Location: { description: "Always `_` (as the Connector answers)", schema: { type: "string" } } } : {},
    readBody,
    precheck(c, route) {
      if (route.status !== 204 && !acceptsJson(c.req.header("accept"))) throw new HttpProblem("notAcceptable");
    },
    succeed(c, status, body) {
      if (status === 204) return c.body(null, 204);
      if (status === 201) setResponseHeader(c, "Location", "_");
      return c.json({ result: body }, status);
    },
    fail: (c, failure) => renderConnectorError(logger, c, failure),
  };
}
