import { randomUUID } from "node:crypto";
import { isDomainError, type DomainError, type ErrorKind } from "@idhub/core";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Logger } from "pino";
import type { AppContext } from "../http/env.js";
import { isHttpProblem, type ProblemKind } from "../http/problems.js";
import { logUnexpected } from "../http/unexpected.js";

// Only subcodes Trusted Twin's Python client knows: it raises on any other (api-trustedtwin.md).
// The first three digits are the HTTP status.

const BY_KIND: Record<ErrorKind, number> = {
  INVALID: 400592,
  UNAUTHENTICATED: 401000,
  FORBIDDEN: 403535,
  NOT_FOUND: 404653,
  CONFLICT: 400897,
  PRECONDITION_FAILED: 412000,
  TOO_LARGE: 400141,
};

/** Domain codes with a subcode of their own; everything else follows its kind. */
const BY_CODE: Record<string, number> = {
  "rule.syntax": 400589,
  "twin.alreadyTerminated": 400358,
  "identity.alreadyExists": 400358,
};

const PROBLEMS: Record<ProblemKind, [number, string]> = {
  badJson: [400415, "Request body is not a valid JSON."],
  badUtf8: [400314, "Request body contains invalid characters."],
  tooLarge: [400141, "Request body is larger than 64 kB."],
  // Trusted Twin has no 405: a known path with another method is an unknown route.
  unknownRoute: [404653, "The requested route does not exist."],
  methodNotAllowed: [404653, "The requested route does not exist."],
  notAcceptable: [400592, "Only JSON responses are available."],
};

const INTERNAL: [number, string] = [500000, "Internal server error."];

const fromDomain = (error: DomainError): [number, string] => [BY_CODE[error.code] ?? BY_KIND[error.kind], error.message];

/**
 * The Trusted Twin error renderer: `{subcode, description, trace}`, status = first three digits.
 * The trace is the request id (X-Request-Id), so a client's report finds the server's log lines.
 */
export function renderTrustedTwinError(logger: Logger, c: AppContext, error: unknown): Response {
  const trace = c.get("requestId") ?? randomUUID();
  let answer = INTERNAL;
  if (isDomainError(error)) answer = fromDomain(error);
  else if (isHttpProblem(error)) answer = PROBLEMS[error.kind];
  else logUnexpected(logger, c, error, trace);
  const [subcode, description] = answer;
  return c.json({ subcode, description, trace }, Math.floor(subcode / 1000) as ContentfulStatusCode);
}
