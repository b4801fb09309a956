import { readFileSync } from "node:fs";
import { appRouter } from "@idhub/api";

// The REST routes of the committed OpenAPI document and the tRPC procedures of the appRouter, as the
// route-by-route matrices (cross-cutting/isolation-matrix, cross-cutting/permissions-matrix) walk them.

export const OPENAPI = JSON.parse(readFileSync(new URL("../../openapi.json", import.meta.url), "utf8")) as {
  paths: Record<string, Record<string, { operationId?: string }>>;
};
export const METHODS = ["get", "post", "put", "patch", "delete"];
/** The tRPC procedures at run time: a flat record by dotted path (the static type nests them). */
export const PROCEDURES = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: "query" | "mutation" | "subscription" } }>).map(
  ([path, procedure]) => ({ path, type: procedure._def.type }),
);
export const CONNECTOR_PREFIXES = ["/api/core/v1", "/api/v2"];

export const fillPath = (path: string, params: Record<string, string> = {}) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`no value for {${name}} in ${path}`);
    return encodeURIComponent(params[name]!);
  });
