import type { Logger } from "pino";
import { decodeUtf8, INVALID_JSON, parseJson, readLimited } from "../http/body.js";
import type { AppContext } from "../http/env.js";
import { HttpProblem } from "../http/problems.js";
import type { AnyRoute } from "../http/route-table.js";
import type { RestSurface } from "../http/surface.js";
import { renderTrustedTwinError } from "./errors.js";
import { errorBody } from "./wire.js";

export const TRUSTED_TWIN_MAX_BODY = 64 * 1024;

const error = (description: string) => ({ description, content: { "application/json": { schema: errorBody } } });

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
      400: error("Invalid request (400415 JSON, 400314 UTF-8, 400141 size, 400592 parameter, 400589 rule, 400358, 400897)"),
      ...(route.public ? {} : { 401: error("Missing, unknown or expired secret (401000)") }),
      ...(route.action ? { 403: error("Action not permitted (403535)") } : {}),
      404: error("Not found (404653)"),
      500: error("Internal error (500000)"),
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
