import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { OPENAPI, validatorAt } from "../support/openapi-contract.js";

// The committed document (apps/server/openapi.json) is the contract: complete, linted, with an
// example for every request and response that validates against its own schema.

const METHODS = ["get", "put", "post", "delete", "patch"];
const operations = Object.entries<Record<string, any>>(OPENAPI.paths).flatMap(([path, item]) =>
  METHODS.filter((method) => item[method]).map((method) => ({ path, method, op: item[method] })),
);
const rest = operations.filter(({ path }) => !path.startsWith("/health")); // probes: 200/503 (or 500), no client errors
const isConnector = (path: string) => path.startsWith("/api/");

describe("the committed OpenAPI document", () => {
  it("passes `redocly lint` with zero errors", { timeout: 120_000 }, async () => {
    const serverDir = resolve(import.meta.dirname, "../..");
    const run = await promisify(execFile)("pnpm", ["exec", "redocly", "lint", "openapi.json", "--format=json"], { cwd: serverDir })
      .catch((failure: { stdout: string }) => failure);
    const report = JSON.parse(run.stdout.slice(run.stdout.indexOf("{")));
    const errors = report.problems.filter((p: { severity: string }) => p.severity === "error");
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
  });

  it("has unique, stable operation ids", async () => {
    const ids = operations.map(({ op }) => op.operationId as string);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => /V2V2/.test(id))).toEqual([]);
    // A changed id breaks every generated client: changing this list must be deliberate.
    await expect(operations.map(({ path, method, op }) => `${op.operationId} ${method.toUpperCase()} ${path}`).join("\n") + "\n")
      .toMatchFileSnapshot("./__snapshots__/operation-ids.txt");
  });

  it("gives every request body and response an example that validates against its schema", () => {
    const bad: unknown[] = [];
    let checked = 0;
    for (const { path, method, op } of operations) {
      const media: Array<[string[], any]> = [
        ...Object.entries<any>(op.requestBody?.content ?? {}).map(([type, m]): [string[], any] => [["requestBody", "content", type], m]),
        ...Object.entries<any>(op.responses).flatMap(([status, r]) =>
          Object.entries<any>(r.content ?? {}).map(([type, m]): [string[], any] => [["responses", status, "content", type], m]),
        ),
      ];
      for (const [pointer, entry] of media) {
        checked++;
        if (entry.example === undefined) {
          bad.push({ missing: [method, path, ...pointer].join(" ") });
          continue;
        }
        const validate = validatorAt(["paths", path, method, ...pointer, "schema"]);
        if (!validate(entry.example)) bad.push({ at: [method, path, ...pointer].join(" "), errors: validate.errors });
      }
    }
    expect(bad).toEqual([]);
    expect(checked).toBeGreaterThan(rest.length * 4);
  });

  it("declares every status each route can answer, with its envelope", () => {
    const missing: string[] = [];
    const need = (cond: boolean, what: string) => void (cond || missing.push(what));
    for (const { path, method, op } of rest) {
      const at = `${method.toUpperCase()} ${path}`;
      const statuses = Object.keys(op.responses);
      const authenticated = op.security.length > 0;
      for (const status of ["400", "404", "500"]) need(statuses.includes(status), `${at}: ${status}`);
      if (authenticated || !isConnector(path)) {
        need(op.responses["401"]?.headers?.["Retry-After"] !== undefined, `${at}: 401 with Retry-After (throttling)`);
      }
      if (isConnector(path)) {
        need(statuses.includes("405") && op.responses["405"].headers?.Allow !== undefined, `${at}: 405 with Allow`);
        need(statuses.includes("413"), `${at}: 413`);
        if (!statuses.includes("204")) need(statuses.includes("406"), `${at}: 406`);
      }
      const ifMatch = (op.parameters ?? []).some((p: { name: string; in: string }) => p.in === "header" && p.name === "if-match");
      if (ifMatch) need(statuses.includes("412"), `${at}: 412 (it reads If-Match)`);
      for (const [status, response] of Object.entries<any>(op.responses)) {
        if (Number(status) >= 400) {
          const schema = response.content?.["application/json"]?.schema?.$ref;
          need(schema === (isConnector(path) ? "#/components/schemas/ConnectorError" : "#/components/schemas/TrustedTwinError"), `${at}: ${status} envelope`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("declares ETag on answers of the routes that send it and If-Match where it is read", () => {
    const get = (path: string, method: string) => OPENAPI.paths[path][method];
    expect(get("/twins/{twin}", "patch").responses["200"].headers.ETag).toBeDefined();
    expect(get("/twins/{twin}", "patch").parameters.some((p: { name: string }) => p.name === "if-match")).toBe(true);
    expect(get("/api/v2/IdentityMetadata", "put").responses["200"].headers.ETag).toBeDefined();
    expect(get("/api/v2/IdentityMetadata", "put").responses["412"]).toBeDefined();
  });
});
