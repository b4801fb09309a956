import { readFileSync } from "node:fs";
import Ajv2020Module from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { expect } from "vitest";

// Every REST answer the end-to-end tests receive is checked here against the committed OpenAPI
// document (apps/server/openapi.json): the status must be declared for the operation, the body
// must match that status's schema, and an ETag may only come where one is declared. The shared
// fetch helper (http.ts) and the Connector SDK's axios instance (connector-sdk.ts) call
// expectContract on every response, so a mismatch fails the test that met it.

type Json = Record<string, any>;

export const OPENAPI: Json = JSON.parse(readFileSync(new URL("../../openapi.json", import.meta.url), "utf8"));

const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as typeof Ajv2020Module.default;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as typeof addFormatsModule.default;
export const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(OPENAPI, "openapi");

/** Validates a value against the schema at a JSON pointer of the document. */
export function validatorAt(pointer: readonly string[]) {
  const fragment = pointer.map((part) => encodeURIComponent(part.replace(/~/g, "~0").replace(/\//g, "~1"))).join("/");
  const id = `openapi#/${fragment}`;
  return ajv.getSchema(id) ?? ajv.compile({ $ref: id });
}

// Not REST: tRPC, the docs UI and document, Prometheus.
const OUTSIDE = [/^\/trpc(\/|$)/, /^\/docs(\/|$)/, /^\/openapi\.json$/, /^\/metrics$/];
const CONNECTOR = /^\/api\/(core\/v1|v2)(\/|$)/;

interface PathEntry {
  template: string;
  matcher: RegExp;
  /** Literal segments: `/RelationshipTemplates/Own` outranks `/RelationshipTemplates/{id}`. */
  literals: number;
}

const PATHS: PathEntry[] = Object.keys(OPENAPI.paths).map((template) => ({
  template,
  matcher: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}$`),
  literals: template.split("/").filter((segment) => segment && !segment.startsWith("{")).length,
}));

export interface ObservedResponse {
  method: string;
  /** The request path as sent (raw, query allowed). */
  path: string;
  status: number;
  headers: { get(name: string): string | null };
  /** The parsed JSON body, or the text when it is not JSON ("" when empty). */
  body: unknown;
}

/** The document's path template a request path matches (most literal segments first). */
function pathTemplateOf(path: string): string | undefined {
  const matches = PATHS.filter((entry) => entry.matcher.test(path)).sort((a, b) => b.literals - a.literals);
  return matches[0]?.template;
}

/** Fails the running test when the response is not what the committed document promises. */
export function expectContract(observed: ObservedResponse): void {
  const problem = contractProblem(observed);
  expect(problem, `${observed.method} ${observed.path} → ${observed.status} breaks openapi.json`).toBeNull();
}

export function contractProblem({ method, path: raw, status, headers, body }: ObservedResponse): unknown {
  let path = raw.split("?")[0]!;
  if (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
  if (OUTSIDE.some((pattern) => pattern.test(path))) return null;
  const verb = method.toLowerCase();
  if (verb === "options" && status === 204) return null; // a CORS preflight (http/cors.ts), not an operation
  const template = pathTemplateOf(path);
  const errorSchema = CONNECTOR.test(path) ? "ConnectorError" : "TrustedTwinError";
  const asError = () => {
    const validate = validatorAt(["components", "schemas", errorSchema]);
    return validate(body) ? null : { expected: errorSchema, errors: validate.errors, body };
  };
  const operations = template ? OPENAPI.paths[template] : undefined;
  const operation = operations?.[verb === "head" ? "get" : verb];
  if (!operation) {
    // No such operation: the surface's fallback answers in its error envelope. On a known path the
    // Connector's 405 (and the 401 it checks first) must be declared on the path's operations.
    if (operations && CONNECTOR.test(path)) {
      const declared = Object.values<Json>(operations).some((op) => op.responses?.[status]);
      if (!declared) return { undeclared: status, path: template, note: "no operation of this path declares it" };
    } else if (![400, 401, 404, 413].includes(status)) {
      return { unexpectedStatus: status, note: "an unknown route answers 404 (or 400/401/413 before routing)" };
    }
    return asError();
  }
  const response = operation.responses[status];
  if (!response) return { undeclared: status, operation: operation.operationId, declared: Object.keys(operation.responses) };
  if (headers.get("etag") !== null && !response.headers?.ETag) return { undeclaredHeader: "ETag", operation: operation.operationId, status };
  if (verb === "head") return null;
  const media = response.content?.["application/json"];
  if (!media) return body === "" ? null : { unexpectedBody: body, operation: operation.operationId, status };
  const validate = validatorAt(["paths", template!, verb, "responses", String(status), "content", "application/json", "schema"]);
  return validate(body) ? null : { operation: operation.operationId, status, errors: validate.errors, body };
}
