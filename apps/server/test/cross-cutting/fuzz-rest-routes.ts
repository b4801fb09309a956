import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { expectNoLeak } from "../support/assertions.js";
import type { Reply } from "../support/http.js";

// fuzz-rest.test.ts, part 1: the routes it fuzzes (read from the committed OpenAPI document) and
// what each surface may answer them.

export type Surface = "trustedtwin" | "connector";
export type Schema = Record<string, any>;

export interface Route {
  method: string;
  path: string;
  surface: Surface;
  authenticated: boolean;
  pathParams: string[];
  queryParams: string[];
  body: Schema | undefined;
}

// ---------------------------------------------------------------------------------------------
// The route list, from the document

const doc = JSON.parse(readFileSync(new URL("../../openapi.json", import.meta.url), "utf8")) as { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, Schema> } };

export function resolve(schema: Schema | undefined): Schema | undefined {
  let s = schema;
  for (let i = 0; s?.$ref && i < 10; i++) s = doc.components.schemas[String(s.$ref).replace("#/components/schemas/", "")];
  return s;
}

export const ROUTES: Route[] = Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops)
    .filter(([, op]) => typeof op === "object" && op !== null && "responses" in op)
    .map(([method, op]): Route => {
      const params: { in: string; name: string }[] = op.parameters ?? [];
      const surface: Surface = (op.tags ?? []).includes("trustedtwin") ? "trustedtwin" : "connector";
      return {
        method: method.toUpperCase(),
        path,
        surface,
        authenticated: (op.security ?? []).length > 0,
        pathParams: params.filter((p) => p.in === "path").map((p) => p.name),
        queryParams: params.filter((p) => p.in === "query").map((p) => p.name),
        body: op.requestBody ? (resolve(op.requestBody.content?.["application/json"]?.schema) ?? {}) : undefined,
      };
    }),
);

// ---------------------------------------------------------------------------------------------
// What the surfaces may answer (api-trustedtwin.md "Errors", api-connector.md "Wire conventions")

const TT_SUBCODES = new Set([400415, 400314, 400141, 400592, 400589, 400358, 400897, 401000, 403535, 404653, 412000]);
const CONNECTOR_STATUSES = new Set([400, 401, 403, 404, 405, 406, 412, 413]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function checkReply(route: Route, reply: Reply): void {
  const context = `${route.method} ${route.path} → ${reply.status} ${reply.text.slice(0, 300)}`;
  expect(reply.status, context).toBeLessThan(500);
  expectNoLeak(reply);
  if (reply.status >= 200 && reply.status < 300) return;
  if (route.surface === "trustedtwin") {
    expect(reply.body, context).toEqual({ subcode: expect.any(Number), description: expect.any(String), trace: expect.stringMatching(UUID) });
    expect(TT_SUBCODES.has(reply.body.subcode), context).toBe(true);
    expect(Math.floor(reply.body.subcode / 1000), context).toBe(reply.status);
  } else {
    expect(CONNECTOR_STATUSES.has(reply.status), context).toBe(true);
    expect(Object.keys(reply.body ?? {}), context).toEqual(["error"]);
    const { error } = reply.body;
    expect(Object.keys(error), context).toEqual(["code", "message", "id", "time", "docs"]);
    expect(error.code, context).toMatch(/^error\./);
    expect(error.message, context).toEqual(expect.any(String));
    expect(error.id, context).toMatch(/^ERR[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{17}$/);
    expect(error.docs, context).toBe(`https://enmeshed.eu/integrate/error-codes#${error.code}`);
  }
}
