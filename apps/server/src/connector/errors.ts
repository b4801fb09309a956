import { isDomainError, type DomainError } from "@idhub/core";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Logger } from "pino";
import type { AppContext } from "../http/env.js";
import { isHttpProblem, type HttpProblem, type ProblemKind } from "../http/problems.js";
import { logUnexpected } from "../http/unexpected.js";
import { newErrorId } from "./wire.js";

interface Answer {
  status: number;
  code: string;
  message: string;
}

const UNAUTHORIZED: Answer = { status: 401, code: "error.connector.unauthorized", message: "Unauthorized." };
const FORBIDDEN: Answer = {
  status: 403,
  code: "error.connector.forbidden",
  message: "You are not allowed to access this endpoint.",
};
const UNEXPECTED: Answer = { status: 500, code: "error.connector.unexpected", message: "An unexpected error occurred." };

/**
 * Core codes whose Connector code is not simply `error.runtime.<core code>` (or, for NOT_FOUND,
 * `error.runtime.recordNotFound`). Later areas add their codes here.
 */
const CODES: Record<string, string> = {
  "validation.invalidInput": "error.runtime.validation.invalidPropertyValue",
};

/**
 * The Connector code of a domain error. Areas that mirror the Connector (relationships, templates,
 * identity metadata) use upstream's codes (`error.…`) as their core codes: those pass unchanged.
 */
const connectorCode = (error: DomainError, fallback: string): string =>
  CODES[error.code] ?? (error.code.startsWith("error.") ? error.code : fallback);

function fromDomain(error: DomainError): Answer {
  switch (error.kind) {
    case "UNAUTHENTICATED":
      return UNAUTHORIZED;
    case "FORBIDDEN":
      return FORBIDDEN;
    case "NOT_FOUND":
      return { status: 404, code: connectorCode(error, "error.runtime.recordNotFound"), message: error.message };
    case "PRECONDITION_FAILED":
      // Only clients that send If-Match (an idhub extension) can see this.
      return { status: 412, code: "error.connector.preconditionFailed", message: error.message };
    default:
      return { status: 400, code: connectorCode(error, `error.runtime.${error.code}`), message: error.message };
  }
}

const PROBLEMS: Record<ProblemKind, Answer> = {
  badJson: {
    status: 400,
    code: "error.connector.validation.invalidJsonInPayload",
    message: "The given payload is not a valid json object.",
  },
  badUtf8: {
    status: 400,
    code: "error.connector.validation.invalidJsonInPayload",
    message: "The given payload is not a valid json object.",
  },
  tooLarge: { status: 413, code: "error.connector.http.payloadTooLarge", message: "The request payload is larger than 2 MB." },
  unknownRoute: { status: 404, code: "error.connector.http.routeDoesNotExist", message: "The requested route does not exist." },
  methodNotAllowed: {
    status: 405,
    code: "error.connector.http.methodNotAllowed",
    message: "The request method is not supported for the requested resource.",
  },
  notAcceptable: {
    status: 406,
    code: "error.connector.http.notAcceptable",
    message:
      "The requested resource is capable of generating only content not acceptable according to the Accept headers sent in the request.",
  },
};

function fromProblem(c: AppContext, problem: HttpProblem): Answer {
  if (problem.kind === "methodNotAllowed") c.header("Allow", problem.allow.join(", "));
  return PROBLEMS[problem.kind];
}

/** The Connector error renderer: `{"error": {code, message, id, time, docs}}`. */
export function renderConnectorError(logger: Logger, c: AppContext, error: unknown): Response {
  let answer = UNEXPECTED;
  if (isDomainError(error)) answer = fromDomain(error);
  else if (isHttpProblem(error)) answer = fromProblem(c, error);
  else logUnexpected(logger, c, error);
  const body = {
    error: {
      code: answer.code,
      message: answer.message,
      id: newErrorId(),
      time: new Date().toISOString(),
      docs: `https://enmeshed.eu/integrate/error-codes#${answer.code}`,
    },
  };
  return c.json(body, answer.status as ContentfulStatusCode);
}
