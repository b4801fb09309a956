import { describe, expect, it } from "vitest";
import { withServer } from "../support/server.js";

describe("OpenAPI document and Swagger UI", () => {
  const fx = withServer();

  it("serves one OpenAPI 3.1 document at /openapi.json and /docs/json, without authentication", async () => {
    const a = await fx.server.http("GET", "/openapi.json");
    const b = await fx.server.http("GET", "/docs/json");
    expect(a.status).toBe(200);
    expect(b.body).toEqual(a.body);
    const doc = a.body;
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.tags.map((t: { name: string }) => t.name)).toEqual(["trustedtwin", "connector", "operations"]);
  });

  it("describes every route of both tables, with the error bodies as shared components", async () => {
    const doc = (await fx.server.http("GET", "/openapi.json")).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/whoami", "/account", "/users", "/users/{user}", "/roles", "/roles/{role}",
        "/users/{user}/secrets", "/secrets/{account}/{pin}",
        "/api/core/v1/Account/IdentityInfo", "/api/v2/Account/IdentityInfo",
        "/api/core/v1/Account/Sync", "/api/v2/Account/SyncInfo", "/health",
      ]),
    );
    expect(doc.paths["/users/{user}"].patch.operationId).toBe("update_user");
    expect(doc.paths["/users/{user}"].patch.tags).toEqual(["trustedtwin"]);
    expect(doc.paths["/api/v2/Account/IdentityInfo"].get.tags).toEqual(["connector"]);
    expect(doc.components.schemas.TrustedTwinError).toBeDefined();
    expect(doc.components.schemas.ConnectorError).toBeDefined();
    expect(doc.paths["/users"].post.responses["403"].content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/TrustedTwinError",
    });
    expect(doc.paths["/api/core/v1/Account/IdentityInfo"].get.responses["401"].content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/ConnectorError",
    });
    expect(doc.components.securitySchemes).toMatchObject({
      TrustedTwinSecret: { type: "apiKey", in: "header", name: "Authorization" },
      ApiKeyAuth: { type: "apiKey", in: "header", name: "X-API-KEY" },
    });
    expect(doc.paths["/secrets/{account}/{pin}"].post.security).toEqual([]);
    const ids = Object.values(doc.paths).flatMap((p: any) => Object.values(p).map((op: any) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("serves Swagger UI from the installed package (no CDN)", async () => {
    const page = await fx.server.http("GET", "/docs");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.text).not.toMatch(/https?:\/\//);
    for (const asset of page.text.match(/\/docs\/[\w./-]+/g)!) {
      const reply = await fx.server.http("GET", asset);
      expect(reply.status, asset).toBe(200);
      expect(reply.text.length, asset).toBeGreaterThan(10);
    }
    expect((await fx.server.http("GET", "/docs/assets/package.json")).status).toBe(404);
  });
});

describe("conditional requests in the OpenAPI document", () => {
  const fx = withServer();

  it("declares If-Match on conditional changes and ETag on versioned answers, on both surfaces", async () => {
    const doc = (await fx.server.http("GET", "/openapi.json")).body;
    const ifMatch = (op: { parameters?: { in: string; name: string }[] }) =>
      (op.parameters ?? []).some((p) => p.in === "header" && p.name === "if-match");
    const patch = doc.paths["/twins/{twin}/identities/{identity}"].patch;
    expect(ifMatch(patch)).toBe(true);
    expect(patch.responses["200"].headers.ETag).toBeDefined();
    expect(doc.paths["/twins/{twin}/identities/{identity}"].get.responses["200"].headers.ETag).toBeDefined();
    expect(ifMatch(doc.paths["/twins/{twin}/identities/{identity}"].get)).toBe(false);
    expect(ifMatch(doc.paths["/api/core/v1/IdentityMetadata"].put)).toBe(true);
    expect(ifMatch(doc.paths["/api/v2/IdentityMetadata"].delete)).toBe(true);
  });
});
